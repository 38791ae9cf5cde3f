// Simple types compiled from Xerces-C's schema model: the derivation chain is walked from the
// type up to its built-in primitive (xs:string, xs:decimal, xs:boolean, xs:date, xs:time,
// xs:dateTime), the facets of every restriction step (built-in ones such as xs:integer's
// included) are read from the step's Xerces datatype validator and kept in a flat list of
// checks that must all hold. Verdicts follow Xerces-C 3.2, which stays the oracle:
// * whitespace is handled as the type's whiteSpace facet says before anything is checked;
// * lengths are counted in UTF-16 code units (a character beyond U+FFFF counts twice), as
//   Xerces counts them;
// * the patterns written on one restriction step are alternatives, those of different steps
//   must all match;
// * numeric enumerations and bounds are compared by value ('01' equals '1'), to any length;
// * dates: year 0000 is refused, the day must exist in its month (leap years by the
//   Gregorian rule), time zones up to +/-14:00; times: 24:00:00 (nothing after it) and a leap
//   second (ss = 60, at any minute) are taken, as Xerces takes them;
// * xs:decimal takes '.', '+.' and '-.' (zero), as Xerces does.
// Enumerations or bounds on dates and times are not handled (Unsupported): no schema uses them.
#include "core/xsd/simple_type.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>
#include <xercesc/framework/psvi/XSConstants.hpp>
#include <xercesc/framework/psvi/XSSimpleTypeDefinition.hpp>
#include <xercesc/framework/psvi/XSTypeDefinition.hpp>
#include <xercesc/util/KVStringPair.hpp>
#include <xercesc/util/RefHashTableOf.hpp>
#include <xercesc/validators/datatype/DatatypeValidator.hpp>

#include "core/xml/utf.hpp"
#include "core/xsd/pattern.hpp"
#include "core/xsd/unsupported.hpp"

namespace istd::xsd {

using namespace xercesc;

namespace {

constexpr std::string_view kXsdNamespace = "http://www.w3.org/2001/XMLSchema";

enum class Primitive { string, decimal, boolean, date, time, date_time };

bool is_xml_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// The value quoted for a message, cut after 40 characters (at a character boundary).
std::string quote(std::string_view v) {
  constexpr std::size_t kMax = 40;
  std::size_t chars = 0, i = 0;
  while (i < v.size() && chars < kMax) {
    ++i;
    while (i < v.size() && (static_cast<unsigned char>(v[i]) & 0xC0) == 0x80) ++i;
    ++chars;
  }
  if (i >= v.size()) return fmt::format("'{}'", v);
  return fmt::format("'{}...'", v.substr(0, i));
}

/// Length in UTF-16 code units, as Xerces counts it (a character beyond U+FFFF counts twice).
/// Continuation bytes are not counted; a 4-byte lead byte counts 2.
std::size_t utf16_length(std::string_view v) {
  std::size_t n = 0;
  for (char ch : v) {
    const auto b = static_cast<unsigned char>(ch);
    if ((b & 0xC0) == 0x80) continue;
    n += b >= 0xF0 ? 2 : 1;
  }
  return n;
}

// -- decimals ----------------------------------------------------------------------------------

/// A decimal number as views into its text: digits without leading (integer part) or trailing
/// (fraction) zeros. Zero has both parts empty and is never negative.
struct DecimalView {
  bool negative = false;
  std::string_view int_digits;
  std::string_view frac_digits;
  bool zero() const { return int_digits.empty() && frac_digits.empty(); }
};

/// xs:decimal's lexical form: [+-]?([0-9]+(\.[0-9]*)?|\.[0-9]*). Xerces-C also takes a point
/// without digits ('.', '+.', '-.') for zero; so does this.
bool parse_decimal(std::string_view s, DecimalView& out) {
  std::size_t i = 0;
  out = DecimalView{};
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) out.negative = s[i++] == '-';
  const std::size_t int_start = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  std::size_t int_end = i;
  std::size_t frac_start = i, frac_end = i;
  if (i < s.size() && s[i] == '.') {
    frac_start = ++i;
    while (i < s.size() && is_digit(s[i])) ++i;
    frac_end = i;
  }
  if (i != s.size() || (int_end == int_start && frac_start == int_end)) return false;
  std::size_t a = int_start;
  while (a < int_end && s[a] == '0') ++a;
  while (frac_end > frac_start && s[frac_end - 1] == '0') --frac_end;
  out.int_digits = s.substr(a, int_end - a);
  out.frac_digits = s.substr(frac_start, frac_end - frac_start);
  if (out.zero()) out.negative = false;
  return true;
}

int compare_magnitude(const DecimalView& a, const DecimalView& b) {
  if (a.int_digits.size() != b.int_digits.size())
    return a.int_digits.size() < b.int_digits.size() ? -1 : 1;
  if (int c = a.int_digits.compare(b.int_digits); c != 0) return c < 0 ? -1 : 1;
  const std::size_t n = std::max(a.frac_digits.size(), b.frac_digits.size());
  for (std::size_t i = 0; i < n; ++i) {
    const char x = i < a.frac_digits.size() ? a.frac_digits[i] : '0';
    const char y = i < b.frac_digits.size() ? b.frac_digits[i] : '0';
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

int compare(const DecimalView& a, const DecimalView& b) {
  if (a.negative != b.negative) return a.negative ? -1 : 1;
  const int m = compare_magnitude(a, b);
  return a.negative ? -m : m;
}

/// A decimal owned by the compiled type (a bound or an enumeration value).
struct Decimal {
  std::string text;  ///< as written in the schema
  bool negative = false;
  std::string int_digits, frac_digits;
  DecimalView view() const { return DecimalView{negative, int_digits, frac_digits}; }
};

// -- dates and times ---------------------------------------------------------------------------

constexpr const char* kMonthNames[] = {"January", "February", "March",     "April",
                                       "May",     "June",     "July",      "August",
                                       "September", "October", "November", "December"};

/// Reads exactly `n` digits at s[i].
bool read_digits(std::string_view s, std::size_t& i, std::size_t n, int& out) {
  if (i + n > s.size()) return false;
  int v = 0;
  for (std::size_t k = 0; k < n; ++k) {
    if (!is_digit(s[i + k])) return false;
    v = v * 10 + (s[i + k] - '0');
  }
  i += n;
  out = v;
  return true;
}

/// A date: -?YYYY-MM-DD (a year of more than four digits has no leading zero). At s[i].
bool parse_date_part(std::string_view s, std::size_t& i, std::string& why, std::string_view what) {
  const std::size_t start = i;
  if (i < s.size() && s[i] == '-') ++i;
  const std::size_t year_start = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  const std::size_t year_len = i - year_start;
  const std::string_view year = s.substr(year_start, year_len);
  if (year_len < 4) {
    why = fmt::format("is not a valid {} (expected the form YYYY-MM-DD)", what);
    return false;
  }
  if (year_len > 4 && year[0] == '0') {
    why = fmt::format("is not a valid {} (a year of more than four digits may not start with 0)",
                      what);
    return false;
  }
  if (year.find_first_not_of('0') == std::string_view::npos) {
    why = fmt::format("is not a valid {} (there is no year 0000)", what);
    return false;
  }
  int month = 0, day = 0;
  if (i >= s.size() || s[i] != '-' || !read_digits(s, ++i, 2, month) || i >= s.size() ||
      s[i] != '-' || !read_digits(s, ++i, 2, day)) {
    why = fmt::format("is not a valid {} (expected the form YYYY-MM-DD)", what);
    return false;
  }
  if (month < 1 || month > 12) {
    why = fmt::format("is not a valid {} (there is no month {:02})", what, month);
    return false;
  }
  // The year modulo 400 decides leap years; the year may have any number of digits.
  int mod400 = 0;
  for (char c : year) mod400 = (mod400 * 10 + (c - '0')) % 400;
  if (year_start > start && mod400 != 0) mod400 = 400 - mod400;  // a negative year
  const bool leap = mod400 % 4 == 0 && (mod400 % 100 != 0 || mod400 == 0);
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int days = month == 2 && leap ? 29 : kDays[month - 1];
  if (day < 1 || day > days) {
    if (day < 1)
      why = fmt::format("is not a valid {} (there is no day 00)", what);
    else if (month == 2 && day == 29)
      why = fmt::format("is not a valid {} ({} is not a leap year)", what, year);
    else
      why = fmt::format("is not a valid {} ({} has {} days)", what, kMonthNames[month - 1], days);
    return false;
  }
  return true;
}

/// A time: hh:mm:ss(.s+)? At s[i].
bool parse_time_part(std::string_view s, std::size_t& i, std::string& why, std::string_view what) {
  int hour = 0, minute = 0, second = 0;
  if (!read_digits(s, i, 2, hour) || i >= s.size() || s[i] != ':' ||
      !read_digits(s, ++i, 2, minute) || i >= s.size() || s[i] != ':' ||
      !read_digits(s, ++i, 2, second)) {
    why = fmt::format("is not a valid {} (expected the form hh:mm:ss)", what);
    return false;
  }
  bool fraction_zero = true;
  if (i < s.size() && s[i] == '.') {
    const std::size_t start = ++i;
    while (i < s.size() && is_digit(s[i])) {
      if (s[i] != '0') fraction_zero = false;
      ++i;
    }
    if (i == start) {
      why = fmt::format("is not a valid {} (no digits after the decimal point)", what);
      return false;
    }
  }
  if (hour == 24 && minute == 0 && second == 0 && fraction_zero) return true;  // end of day
  // Xerces accepts a leap second (second 60) at any minute.
  if (hour > 23 || minute > 59 || second > 60) {
    why = fmt::format("is not a valid {} ({:02}:{:02}:{:02} is not a time of day)", what, hour,
                      minute, second);
    return false;
  }
  return true;
}

/// An optional time zone (Z or +hh:mm / -hh:mm, at most 14:00) and the end of the value.
bool parse_zone(std::string_view s, std::size_t& i, std::string& why, std::string_view what) {
  if (i == s.size()) return true;
  if (s[i] == 'Z') {
    ++i;
  } else if (s[i] == '+' || s[i] == '-') {
    int hh = 0, mm = 0;
    if (!read_digits(s, ++i, 2, hh) || i >= s.size() || s[i] != ':' ||
        !read_digits(s, ++i, 2, mm)) {
      why = fmt::format("is not a valid {} (a time zone has the form +hh:mm or -hh:mm)", what);
      return false;
    }
    if (hh > 14 || mm > 59 || (hh == 14 && mm != 0)) {
      why = fmt::format("is not a valid {} (time zone {} is beyond +/-14:00)", what,
                        s.substr(i - 6, 6));
      return false;
    }
  }
  if (i != s.size()) {
    why = fmt::format("is not a valid {} (unexpected '{}')", what, s.substr(i));
    return false;
  }
  return true;
}

}  // namespace

// -- the compiled type -------------------------------------------------------------------------

struct SimpleType::Impl {
  enum class Bound { min_inclusive, min_exclusive, max_inclusive, max_exclusive };
  struct NumericBound {
    Bound kind;
    Decimal value;
  };

  std::string name;
  Primitive primitive = Primitive::string;
  short whitespace = DatatypeValidator::PRESERVE;
  std::vector<Pattern> patterns;  // each must match (one per restriction step)
  std::optional<std::size_t> length, min_length, max_length;
  std::optional<std::size_t> total_digits, fraction_digits;
  std::vector<NumericBound> bounds;
  // The enumeration of the nearest step that has one (the others allow more).
  bool has_enumeration = false;
  std::string enumeration_owner;                ///< the type that lists them
  std::vector<std::string> enumeration_order;   ///< as listed (for messages)
  std::vector<std::string> enumeration_sorted;  ///< strings: sorted, for lookup
  std::vector<Decimal> enumeration_numbers;     ///< decimals

  bool check(std::string_view raw, std::string& why) const;
  bool fail(std::string_view value, std::string& why, std::string text) const {
    why = fmt::format("{} {}", quote(value), text);
    return false;
  }
  std::string allowed_list() const {
    std::string out;
    constexpr std::size_t kShown = 10;
    for (std::size_t i = 0; i < enumeration_order.size() && i < kShown; ++i) {
      if (i) out += ", ";
      out += enumeration_order[i];
    }
    if (enumeration_order.size() > kShown) out += ", ...";
    return out;
  }
};

bool SimpleType::Impl::check(std::string_view raw, std::string& why) const {
  // Whitespace: preserved, replaced (tab, newline, carriage return become spaces) or collapsed
  // (replaced, then runs of spaces become one, leading and trailing ones dropped). Values
  // rarely need it: the text is copied only then.
  std::string_view value = raw;
  std::string normalised;
  if (whitespace != DatatypeValidator::PRESERVE) {
    bool needs = false;
    for (std::size_t i = 0; i < raw.size() && !needs; ++i) {
      const char c = raw[i];
      if (c == '\t' || c == '\n' || c == '\r') needs = true;
      if (c == ' ' && whitespace == DatatypeValidator::COLLAPSE &&
          (i == 0 || i + 1 == raw.size() || raw[i + 1] == ' '))
        needs = true;
    }
    if (needs) {
      normalised.reserve(raw.size());
      for (char c : raw) {
        if (is_xml_space(c)) c = ' ';
        if (c == ' ' && whitespace == DatatypeValidator::COLLAPSE &&
            (normalised.empty() || normalised.back() == ' '))
          continue;
        normalised.push_back(c);
      }
      if (whitespace == DatatypeValidator::COLLAPSE && !normalised.empty() &&
          normalised.back() == ' ')
        normalised.pop_back();
      value = normalised;
    }
  }

  // The built-in primitive's lexical rules.
  DecimalView number;
  switch (primitive) {
    case Primitive::string:
      break;
    case Primitive::decimal:
      if (!parse_decimal(value, number)) return fail(value, why, "is not a valid number");
      break;
    case Primitive::boolean:
      if (value != "true" && value != "false" && value != "1" && value != "0")
        return fail(value, why, "is not a valid boolean (true, false, 1 or 0)");
      break;
    case Primitive::date: {
      std::size_t i = 0;
      std::string rule;
      if (!parse_date_part(value, i, rule, "date") || !parse_zone(value, i, rule, "date"))
        return fail(value, why, rule);
      break;
    }
    case Primitive::time: {
      std::size_t i = 0;
      std::string rule;
      if (!parse_time_part(value, i, rule, "time") || !parse_zone(value, i, rule, "time"))
        return fail(value, why, rule);
      break;
    }
    case Primitive::date_time: {
      std::size_t i = 0;
      std::string rule;
      if (!parse_date_part(value, i, rule, "date and time")) return fail(value, why, rule);
      if (i >= value.size() || value[i] != 'T')
        return fail(value, why, "is not a valid date and time (expected YYYY-MM-DDThh:mm:ss)");
      ++i;
      if (!parse_time_part(value, i, rule, "date and time") ||
          !parse_zone(value, i, rule, "date and time"))
        return fail(value, why, rule);
      break;
    }
  }

  for (const Pattern& p : patterns)
    if (!p.matches(value))
      return fail(value, why, fmt::format("does not have the required form ({})", p.source()));

  if (length || min_length || max_length) {
    const std::size_t n = utf16_length(value);
    if (length && n != *length)
      return fail(value, why,
                  fmt::format("does not have exactly {} character{} (length)", *length,
                              *length == 1 ? "" : "s"));
    if (min_length && n < *min_length)
      return fail(value, why,
                  n == 0 ? fmt::format("is empty; at least {} character{} required (minLength)",
                                       *min_length, *min_length == 1 ? " is" : "s are")
                         : fmt::format("is shorter than the {} character{} required (minLength)",
                                       *min_length, *min_length == 1 ? "" : "s"));
    if (max_length && n > *max_length)
      return fail(value, why,
                  fmt::format("is longer than the {} character{} allowed (maxLength)",
                              *max_length, *max_length == 1 ? "" : "s"));
  }

  if (has_enumeration) {
    bool found = false;
    if (primitive == Primitive::decimal) {
      for (const Decimal& d : enumeration_numbers)
        if (compare(number, d.view()) == 0) {
          found = true;
          break;
        }
    } else {
      found = std::binary_search(enumeration_sorted.begin(), enumeration_sorted.end(), value,
                                 [](std::string_view a, std::string_view b) { return a < b; });
    }
    if (!found) {
      if (enumeration_owner.empty())
        return fail(value, why, fmt::format("is not one of the allowed values ({})",
                                            allowed_list()));
      return fail(value, why,
                  fmt::format("is not one of the allowed values of {} ({})", enumeration_owner,
                              allowed_list()));
    }
  }

  if (primitive == Primitive::decimal) {
    for (const NumericBound& b : bounds) {
      const int c = compare(number, b.value.view());
      switch (b.kind) {
        case Bound::min_inclusive:
          if (c < 0)
            return fail(value, why,
                        fmt::format("is less than the minimum {} (minInclusive)", b.value.text));
          break;
        case Bound::min_exclusive:
          if (c <= 0)
            return fail(value, why,
                        fmt::format("is not greater than {} (minExclusive)", b.value.text));
          break;
        case Bound::max_inclusive:
          if (c > 0)
            return fail(value, why, fmt::format("is greater than the maximum {} (maxInclusive)",
                                                b.value.text));
          break;
        case Bound::max_exclusive:
          if (c >= 0)
            return fail(value, why,
                        fmt::format("is not less than {} (maxExclusive)", b.value.text));
          break;
      }
    }
    if (total_digits && number.int_digits.size() + number.frac_digits.size() > *total_digits)
      return fail(value, why,
                  fmt::format("has more than the {} digit{} allowed (totalDigits)", *total_digits,
                              *total_digits == 1 ? "" : "s"));
    if (fraction_digits && number.frac_digits.size() > *fraction_digits) {
      if (*fraction_digits == 0)
        return fail(value, why, "is not a whole number (fractionDigits 0)");
      return fail(value, why,
                  fmt::format("has more than the {} decimal{} allowed (fractionDigits)",
                              *fraction_digits, *fraction_digits == 1 ? "" : "s"));
    }
  }
  return true;
}

SimpleType::SimpleType(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SimpleType::~SimpleType() = default;

bool SimpleType::check(std::string_view value, std::string& why) const {
  return impl_->check(value, why);
}

const std::string& SimpleType::name() const { return impl_->name; }

// -- compilation -------------------------------------------------------------------------------

namespace {

std::string type_label(XSTypeDefinition& t) {
  if (t.getAnonymous()) return "(anonymous)";
  const std::string ns = xml::utf8(t.getNamespace());
  return ns == kXsdNamespace ? "xs:" + xml::utf8(t.getName()) : xml::utf8(t.getName());
}

std::size_t facet_count(const std::string& type, const std::string& facet,
                        const std::string& value) {
  std::size_t n = 0;
  if (value.empty() || value.size() > 9 || !std::all_of(value.begin(), value.end(), is_digit))
    throw Unsupported(fmt::format("simple type {}: {} '{}' is not a number handled", type, facet,
                                  value));
  for (char c : value) n = n * 10 + static_cast<std::size_t>(c - '0');
  return n;
}

Decimal facet_decimal(const std::string& type, const std::string& facet, std::string value) {
  // Facet values are in the base type's lexical space, whitespace collapsed.
  while (!value.empty() && is_xml_space(value.back())) value.pop_back();
  std::size_t a = 0;
  while (a < value.size() && is_xml_space(value[a])) ++a;
  value.erase(0, a);
  DecimalView v;
  if (!parse_decimal(value, v))
    throw Unsupported(fmt::format("simple type {}: {} '{}' is not a decimal", type, facet, value));
  Decimal d;
  d.negative = v.negative;
  d.int_digits = std::string(v.int_digits);
  d.frac_digits = std::string(v.frac_digits);
  d.text = std::move(value);
  return d;
}

void keep_min(std::optional<std::size_t>& slot, std::size_t v) {
  if (!slot || v < *slot) slot = v;
}
void keep_max(std::optional<std::size_t>& slot, std::size_t v) {
  if (!slot || v > *slot) slot = v;
}

}  // namespace

std::shared_ptr<const SimpleType> compile_simple_type(const XSSimpleTypeDefinition& type_in) {
  auto& type = const_cast<XSSimpleTypeDefinition&>(type_in);  // Xerces' getters are not const
  auto impl = std::make_unique<SimpleType::Impl>();
  impl->name = type.getAnonymous() ? std::string("(anonymous)") : xml::utf8(type.getName());
  const std::string label = type_label(type);

  if (DatatypeValidator* dv = type.getDatatypeValidator()) impl->whitespace = dv->getWSFacet();

  bool have_primitive = false;
  bool enumeration_seen = false;
  XSTypeDefinition* step = &type;
  for (int depth = 0; step && !have_primitive; ++depth) {
    if (depth > 64) throw Unsupported("simple type " + label + ": derivation chain too deep");
    if (step->getTypeCategory() != XSTypeDefinition::SIMPLE_TYPE)
      throw Unsupported("simple type " + label + " is not derived from a built-in simple type");
    auto* st = static_cast<XSSimpleTypeDefinition*>(step);
    const std::string step_label = type_label(*st);
    if (st->getVariety() != XSSimpleTypeDefinition::VARIETY_ATOMIC)
      throw Unsupported(fmt::format("simple type {}: {} is a list or union type", label,
                                    step_label));

    const bool builtin = !st->getAnonymous() && xml::utf8(st->getNamespace()) == kXsdNamespace;
    if (builtin) {
      const std::string n = xml::utf8(st->getName());
      if (n == "string") {
        impl->primitive = Primitive::string;
        have_primitive = true;
      } else if (n == "decimal") {
        impl->primitive = Primitive::decimal;
        have_primitive = true;
      } else if (n == "boolean") {
        impl->primitive = Primitive::boolean;
        have_primitive = true;
      } else if (n == "date") {
        impl->primitive = Primitive::date;
        have_primitive = true;
      } else if (n == "time") {
        impl->primitive = Primitive::time;
        have_primitive = true;
      } else if (n == "dateTime") {
        impl->primitive = Primitive::date_time;
        have_primitive = true;
      } else {
        static const char* const kDerived[] = {
            "normalizedString", "token",         "integer",       "nonPositiveInteger",
            "negativeInteger",  "long",          "int",           "short",
            "byte",             "nonNegativeInteger", "unsignedLong", "unsignedInt",
            "unsignedShort",    "unsignedByte",  "positiveInteger"};
        if (std::find(std::begin(kDerived), std::end(kDerived), n) == std::end(kDerived))
          throw Unsupported(fmt::format("simple type {}: the built-in type xs:{} is not handled",
                                        label, n));
      }
      if (have_primitive) break;  // a primitive's own facets are its lexical rules (above)
    }

    DatatypeValidator* dv = st->getDatatypeValidator();
    if (!dv) throw Unsupported("simple type " + label + ": no datatype validator");

    // Enumeration: the nearest step's list (inherited lists allow more).
    if (!enumeration_seen &&
        (st->getDefinedFacets() & XSSimpleTypeDefinition::FACET_ENUMERATION) != 0) {
      enumeration_seen = true;
      const RefArrayVectorOf<XMLCh>* values = dv->getEnumString();
      if (values) {
        impl->has_enumeration = true;
        impl->enumeration_owner = st->getAnonymous() ? std::string() : xml::utf8(st->getName());
        for (XMLSize_t i = 0; i < values->size(); ++i)
          impl->enumeration_order.push_back(xml::utf8(values->elementAt(i)));
      }
    }

    // The step's own facets (Xerces keeps them per validator: the facets written on this
    // restriction, its patterns joined by '|').
    if (RefHashTableOf<KVStringPair>* facets = dv->getFacets()) {
      RefHashTableOfEnumerator<KVStringPair> e(facets, false);
      while (e.hasMoreElements()) {
        const KVStringPair& pair = e.nextElement();
        const std::string key = xml::utf8(pair.getKey());
        const std::string value = xml::utf8(pair.getValue());
        if (key == "pattern") {
          impl->patterns.emplace_back(value);
        } else if (key == "length") {
          impl->length = facet_count(label, key, value);
        } else if (key == "minLength") {
          keep_max(impl->min_length, facet_count(label, key, value));
        } else if (key == "maxLength") {
          keep_min(impl->max_length, facet_count(label, key, value));
        } else if (key == "totalDigits") {
          keep_min(impl->total_digits, facet_count(label, key, value));
        } else if (key == "fractionDigits") {
          keep_min(impl->fraction_digits, facet_count(label, key, value));
        } else if (key == "minInclusive" || key == "minExclusive" || key == "maxInclusive" ||
                   key == "maxExclusive") {
          using B = SimpleType::Impl::Bound;
          const B kind = key == "minInclusive"   ? B::min_inclusive
                         : key == "minExclusive" ? B::min_exclusive
                         : key == "maxInclusive" ? B::max_inclusive
                                                 : B::max_exclusive;
          impl->bounds.push_back({kind, facet_decimal(label, key, value)});
        } else if (key == "whiteSpace" || key == "fixed") {
          // whiteSpace: the validator's effective value is taken above.
        } else {
          throw Unsupported(fmt::format("simple type {}: facet {} is not handled", label, key));
        }
      }
    }
    step = st->getBaseType();
  }
  if (!have_primitive)
    throw Unsupported("simple type " + label + " is not derived from a built-in type handled");

  const Primitive prim = impl->primitive;
  const bool numeric = prim == Primitive::decimal;
  if (!impl->bounds.empty() && !numeric)
    throw Unsupported("simple type " + label + ": bounds on dates or times are not handled");
  if ((impl->total_digits || impl->fraction_digits) && !numeric)
    throw Unsupported("simple type " + label + ": digit facets on a non-number");
  if ((impl->length || impl->min_length || impl->max_length) && prim != Primitive::string)
    throw Unsupported("simple type " + label + ": length facets on a non-string");
  if (impl->has_enumeration) {
    if (numeric) {
      for (const auto& v : impl->enumeration_order)
        impl->enumeration_numbers.push_back(facet_decimal(label, "enumeration", v));
    } else if (prim == Primitive::string) {
      impl->enumeration_sorted = impl->enumeration_order;
      std::sort(impl->enumeration_sorted.begin(), impl->enumeration_sorted.end());
    } else {
      throw Unsupported("simple type " + label + ": an enumeration of " +
                        (prim == Primitive::boolean ? "booleans" : "dates or times") +
                        " is not handled");
    }
  }
  return std::make_shared<const SimpleType>(std::move(impl));
}

}  // namespace istd::xsd
