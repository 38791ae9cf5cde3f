#include "core/reconcile/policy.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/model.hpp"
#include "core/reconcile/billing.hpp"
#include "core/util/money.hpp"

namespace istd::reconcile {

std::string_view to_string(Trigger t) {
  switch (t) {
    case Trigger::delivery: return "delivery";
    case Trigger::allocation: return "allocation";
    case Trigger::declaration: return "declaration";
  }
  return "delivery";
}

namespace {

std::string trim(std::string_view s) {
  std::size_t a = 0, b = s.size();
  while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r')) ++a;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r')) --b;
  return std::string(s.substr(a, b - a));
}

// LDT_RetourCode of the iWmo 3.2 basisschema: the only codes a 325 may carry.
constexpr std::array<std::string_view, 58> kRetourCodes = {
    "0001", "0200", "0233", "0611", "8001", "8017", "8021", "8187", "8214", "8848",
    "9019", "9056", "9063", "9069", "9071", "9074", "9307", "9308", "9319", "9321",
    "9322", "9326", "9332", "9333", "9338", "9339", "9340", "9341", "9346", "9347",
    "9349", "9350", "9351", "9355", "9357", "9359", "9360", "9361", "9365", "9366",
    "9367", "9369", "9373", "9374", "9375", "9379", "9384", "9385", "9387", "9388",
    "9389", "9390", "9411", "9412", "9413", "9414", "9415", "S300"};

std::set<std::string> categories(const std::string& v, const std::string& where) {
  std::set<std::string> out;
  if (v == "none") return out;
  std::string cur;
  auto flush = [&] {
    if (cur.empty()) return;
    if (cur.size() != 2 || !std::isdigit(static_cast<unsigned char>(cur[0])) ||
        !std::isdigit(static_cast<unsigned char>(cur[1])))
      throw ConfigError(fmt::format("{}: bad product category \"{}\" (two digits, e.g. 08)",
                                    where, cur));
    out.insert(cur);
    cur.clear();
  };
  for (char c : v) {
    if (c == ',' || c == ' ' || c == '\t') flush();
    else cur += c;
  }
  flush();
  if (out.empty())
    throw ConfigError(fmt::format("{}: empty category list (write \"none\" for no categories)",
                                  where));
  return out;
}

bool boolean(const std::string& v, const std::string& where, const std::string& key) {
  if (v == "true") return true;
  if (v == "false") return false;
  throw ConfigError(fmt::format("{}: {} must be true or false, not \"{}\"", where, key, v));
}

std::optional<std::string> local_code(const std::string& v, const std::string& where,
                                      const std::string& key) {
  if (v == "off") return std::nullopt;
  if (std::find(kRetourCodes.begin(), kRetourCodes.end(), v) == kRetourCodes.end() ||
      v == "0200" || v == "0233" || v == "8001" || v == "0001")
    throw ConfigError(fmt::format(
        "{}: {} must be off or a rejection retourcode of the iWmo 3.2 list (e.g. 9307), not "
        "\"{}\"",
        where, key, v));
  return v;
}

}  // namespace

Policy Policy::parse(std::string_view text, const std::string& file) {
  Policy p;
  std::set<std::string> seen;
  int lineno = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view raw = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++lineno;
    if (lineno == 1 && raw.substr(0, 3) == "\xEF\xBB\xBF") raw.remove_prefix(3);
    if (auto h = raw.find('#'); h != std::string_view::npos) raw = raw.substr(0, h);
    const std::string line = trim(raw);
    if (line.empty()) {
      if (nl == text.size()) break;
      continue;
    }
    const std::string where = fmt::format("{}:{}", file, lineno);
    auto eq = line.find('=');
    if (eq == std::string::npos)
      throw ConfigError(fmt::format("{}: expected \"key = value\", got \"{}\"", where, line));
    const std::string key = trim(std::string_view(line).substr(0, eq));
    const std::string val = trim(std::string_view(line).substr(eq + 1));
    if (key.empty()) throw ConfigError(fmt::format("{}: missing key before '='", where));
    if (val.empty()) throw ConfigError(fmt::format("{}: missing value for {}", where, key));
    if (!seen.insert(key).second)
      throw ConfigError(fmt::format("{}: {} is set twice", where, key));
    if (key == "trigger") {
      if (val == "delivery") p.trigger = Trigger::delivery;
      else if (val == "allocation") p.trigger = Trigger::allocation;
      else if (val == "declaration") p.trigger = Trigger::declaration;
      else
        throw ConfigError(fmt::format(
            "{}: trigger must be delivery, allocation or declaration, not \"{}\"", where, val));
    } else if (key == "pause_suspends") {
      p.pause_suspends = boolean(val, where, key);
    } else if (key == "start_month_billed") {
      p.start_month_billed = boolean(val, where, key);
    } else if (key == "exempt_categories") {
      p.exempt_categories = categories(val, where);
    } else if (key == "minors_exempt") {
      p.minors_exempt = boolean(val, where, key);
    } else if (key == "minors_charged_categories") {
      p.minors_charged_categories = categories(val, where);
    } else if (key == "einddatum_inclusive") {
      p.einddatum_inclusive = boolean(val, where, key);
    } else if (key == "tr318_delivery_evidence") {
      p.tr318_delivery_evidence = boolean(val, where, key);
    } else if (key == "reject_before_start") {
      p.reject_before_start = local_code(val, where, key);
    } else if (key == "reject_in_pause") {
      p.reject_in_pause = local_code(val, where, key);
    } else if (key == "start_overdue_days" || key == "pause_followup_days") {
      auto n = model::parse_int(val);
      const std::int64_t max = key == "start_overdue_days" ? 100 : 366;
      if (!n || *n < 0 || *n > max || !std::all_of(val.begin(), val.end(), ::isdigit))
        throw ConfigError(fmt::format("{}: {} must be a whole number of days from 0 to {}, not "
                                      "\"{}\"",
                                      where, key, max, val));
      (key == "start_overdue_days" ? p.start_overdue_days : p.pause_followup_days) =
          static_cast<int>(*n);
    } else if (key.rfind("amount.", 0) == 0) {
      const std::string ys = key.substr(7);
      auto y = model::parse_int(ys);
      if (ys.size() != 4 || !std::all_of(ys.begin(), ys.end(), ::isdigit) || !y || *y < 2020 ||
          *y > 2099)
        throw ConfigError(fmt::format(
            "{}: unknown key \"{}\" (amounts are amount.YYYY with a year 2020..2099)", where, key));
      if (val == "unknown") {
        p.amounts.erase(static_cast<int>(*y));
        continue;
      }
      std::string why;
      auto c = util::parse_euros(val, &why);
      if (!c)
        throw ConfigError(fmt::format(
            "{}: {} must be an amount in euros (e.g. 21,00) or unknown, not \"{}\": {}", where,
            key, val, why));
      if (*c <= 0 || *c > kMaxMonthlyAmount)
        throw ConfigError(fmt::format(
            "{}: {} must be more than EUR 0,00 and at most EUR {}, not \"{}\" (EUR {}; amounts "
            "are in euros, e.g. 21,00)",
            where, key, util::format_euros(kMaxMonthlyAmount, util::kEuroDutch), val,
            util::format_euros(*c, util::kEuroDutch)));
      p.amounts[static_cast<int>(*y)] = *c;
    } else {
      throw ConfigError(fmt::format("{}: unknown key \"{}\"", where, key));
    }
    if (nl == text.size()) break;
  }
  return p;
}

std::string Policy::defaults_text() {
  Policy p;
  std::string s =
      "trigger = delivery                # delivery (305/307) | allocation (301) | declaration\n"
      "pause_suspends = true             # a fully paused month is not billable\n"
      "start_month_billed = false        # CAK bills from the month after the start\n"
      "exempt_categories = 11 15 16 17 18  # never billable (add 08 to exempt vervoer)\n"
      "minors_exempt = true              # under 18: not billable ...\n"
      "minors_charged_categories = 13    # ... except these categories\n"
      "einddatum_inclusive = true        # stop Einddatum is the last delivered day\n"
      "tr318_delivery_evidence = true    # TR318: delivery in skipped months rejects (8214)\n"
      "reject_before_start = off         # or a retourcode: local rejection (not OP364)\n"
      "reject_in_pause = off             # idem for claims in a full pause\n"
      "start_overdue_days = 5            # worklist: a 305 is late this many working days\n"
      "                                  # after the Ingangsdatum (or a retroactive 301)\n"
      "pause_followup_days = 30          # worklist: a pause (307 reden 20) without restart\n"
      "                                  # or definitive stop after this many days\n";
  for (const auto& [y, c] : p.amounts)
    s += fmt::format("amount.{} = {}\n", y, util::format_euros(c));
  s += "# amount.2026 is not known: set it (euros, e.g. 21,60) or the check reports "
       "amount-unknown\n";
  return s;
}

}  // namespace istd::reconcile
