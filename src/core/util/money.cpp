#include "core/util/money.hpp"

#include <cctype>
#include <limits>

namespace istd::util {

namespace {

bool fail(std::string* error, std::string text) {
  if (error) *error = std::move(text);
  return false;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::int64_t> parse_euros(std::string_view text, std::string* error) {
  std::string_view s = trim(text);
  bool negative = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    negative = s.front() == '-';
    s = trim(s.substr(1));
  }
  // Currency sign or code in front ("€ 21,00", "EUR 21,00"), or behind ("21,00 €").
  for (std::string_view sign : {std::string_view("\xE2\x82\xAC"), std::string_view("EUR")}) {
    if (s.substr(0, sign.size()) == sign) s = trim(s.substr(sign.size()));
    if (s.size() >= sign.size() && s.substr(s.size() - sign.size()) == sign)
      s = trim(s.substr(0, s.size() - sign.size()));
  }
  if (!negative && !s.empty() && s.front() == '-') {
    negative = true;
    s = trim(s.substr(1));
  }
  if (s.empty()) {
    fail(error, "empty; write euros, e.g. 21,00");
    return std::nullopt;
  }
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != ',' && c != '.') {
      fail(error, "not an amount in euros (write e.g. 21,00 or 21.00)");
      return std::nullopt;
    }
  if (!std::isdigit(static_cast<unsigned char>(s.front()))) {
    fail(error, "not an amount in euros (write e.g. 0,50, not ,50)");
    return std::nullopt;
  }
  // The decimal separator: the last separator when followed by 1 or 2 digits.
  const auto last = s.find_last_of(",.");
  std::string_view whole = s, decimals;
  char decimal_sep = 0;
  if (last != std::string_view::npos) {
    const std::size_t after = s.size() - last - 1;
    const char sep = s[last];
    const bool other_kind_before =
        s.substr(0, last).find(sep == ',' ? '.' : ',') != std::string_view::npos;
    const bool same_kind_before = s.substr(0, last).find(sep) != std::string_view::npos;
    if (after == 1 || after == 2) {
      if (same_kind_before) {
        fail(error, "the decimal separator appears twice");
        return std::nullopt;
      }
      decimal_sep = sep;
      whole = s.substr(0, last);
      decimals = s.substr(last + 1);
    } else if (after == 0) {
      fail(error, "ends with a separator (write e.g. 21,00)");
      return std::nullopt;
    } else if (after == 3 && !other_kind_before && !same_kind_before) {
      fail(error, "ambiguous: thousands or more than two decimals? Write 1234,00 or 1.234,00");
      return std::nullopt;
    } else if (!(after == 3 && (same_kind_before || other_kind_before))) {
      fail(error, "more than two decimals; amounts are in euros with at most two decimals");
      return std::nullopt;
    }
  }
  // Thousands separators in the whole part: one kind (not the decimal one), groups of three.
  std::int64_t euros = 0;
  char thousands = 0;
  std::size_t group = 0;
  bool grouped = false;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    const char c = whole[i];
    if (c == ',' || c == '.') {
      if (c == decimal_sep || (thousands && c != thousands) || i == 0 || (grouped && group != 3) ||
          (!grouped && group > 3)) {
        fail(error, "misplaced separator (write e.g. 1234,00 or 1.234,00)");
        return std::nullopt;
      }
      thousands = c;
      grouped = true;
      group = 0;
      continue;
    }
    ++group;
    if (euros > (std::numeric_limits<std::int64_t>::max() / 100 - 9) / 10) {
      fail(error, "too large");
      return std::nullopt;
    }
    euros = euros * 10 + (c - '0');
  }
  if (grouped && group != 3) {
    fail(error, "misplaced separator (write e.g. 1234,00 or 1.234,00)");
    return std::nullopt;
  }
  std::int64_t cents = 0;
  if (decimals.size() == 1) cents = (decimals[0] - '0') * 10;
  if (decimals.size() == 2) cents = (decimals[0] - '0') * 10 + (decimals[1] - '0');
  const std::int64_t total = euros * 100 + cents;
  return negative ? -total : total;
}

std::string format_euros(std::int64_t cents, EuroFormat format) {
  const bool negative = cents < 0;
  // Via unsigned: the magnitude of INT64_MIN fits.
  const std::uint64_t magnitude =
      negative ? std::uint64_t(0) - static_cast<std::uint64_t>(cents) : std::uint64_t(cents);
  const std::string digits = std::to_string(magnitude / 100);
  std::string out;
  if (negative) out += '-';
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (format.thousands && i > 0 && (digits.size() - i) % 3 == 0) out += format.thousands;
    out += digits[i];
  }
  out += format.decimal;
  const unsigned c = static_cast<unsigned>(magnitude % 100);
  out += static_cast<char>('0' + c / 10);
  out += static_cast<char>('0' + c % 10);
  return out;
}

}  // namespace istd::util
