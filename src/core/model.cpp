// Message types, paths and the small value parsers of the typed model.
#include "core/model.hpp"

#include <array>
#include <charconv>

namespace istd::model {
namespace {

struct TypeInfo {
  MessageType type;
  std::string_view name;
  std::string_view code;
  std::string_view description;
  std::string_view ns_part;  // "wmo305"
};

constexpr std::array<TypeInfo, 14> kTypes{{
    {MessageType::WMO301, "WMO301", "414", "Toewijzing Wmo-ondersteuning", "wmo301"},
    {MessageType::WMO302, "WMO302", "415", "Retour toewijzing", "wmo302"},
    {MessageType::WMO305, "WMO305", "418", "Start Wmo-ondersteuning", "wmo305"},
    {MessageType::WMO306, "WMO306", "419", "Retour start", "wmo306"},
    {MessageType::WMO307, "WMO307", "420", "Stop Wmo-ondersteuning", "wmo307"},
    {MessageType::WMO308, "WMO308", "421", "Retour stop", "wmo308"},
    {MessageType::WMO315, "WMO315", "444", "Verzoek om toewijzing", "wmo315"},
    {MessageType::WMO316, "WMO316", "445", "Retour verzoek om toewijzing", "wmo316"},
    {MessageType::WMO317, "WMO317", "480", "Verzoek om wijziging", "wmo317"},
    {MessageType::WMO318, "WMO318", "481", "Retour verzoek om wijziging", "wmo318"},
    {MessageType::WMO319, "WMO319", "482", "Antwoordbericht", "wmo319"},
    {MessageType::WMO320, "WMO320", "483", "Retour antwoordbericht", "wmo320"},
    {MessageType::WMO323, "WMO323", "484", "Declaratie", "wmo323"},
    {MessageType::WMO325, "WMO325", "485", "Declaratie-antwoord", "wmo325"},
}};

constexpr std::string_view kNsPrefix = "http://www.istandaarden.nl/iwmo/3_2/";
constexpr std::string_view kNsSuffix = "/schema";

const TypeInfo* info(MessageType t) {
  for (const auto& i : kTypes)
    if (i.type == t) return &i;
  return nullptr;
}

}  // namespace

std::string_view to_string(MessageType t) {
  const auto* i = info(t);
  return i ? i->name : std::string_view{};
}
std::string_view bericht_code(MessageType t) {
  const auto* i = info(t);
  return i ? i->code : std::string_view{};
}
std::string_view description(MessageType t) {
  const auto* i = info(t);
  return i ? i->description : std::string_view{};
}

MessageType type_from_namespace(std::string_view ns) {
  if (!ns.starts_with(kNsPrefix) || !ns.ends_with(kNsSuffix)) return MessageType::unknown;
  ns.remove_prefix(kNsPrefix.size());
  ns.remove_suffix(kNsSuffix.size());
  for (const auto& i : kTypes)
    if (i.ns_part == ns) return i.type;
  return MessageType::unknown;
}

std::string namespace_of(MessageType t) {
  const auto* i = info(t);
  if (!i) return {};
  return std::string(kNsPrefix) + std::string(i->ns_part) + std::string(kNsSuffix);
}

bool is_supported(MessageType t) { return t != MessageType::unknown; }

std::string Message::path(NodeId n) const {
  if (n == kNoNode || n >= nodes.size()) return {};
  // Walk up to the root, then emit from the root down.
  std::array<NodeId, 64> chain{};
  std::size_t depth = 0;
  for (NodeId cur = n; cur != kNoNode && depth < chain.size(); cur = nodes[cur].parent)
    chain[depth++] = cur;
  std::string out;
  while (depth > 0) {
    const Node& node = nodes[chain[--depth]];
    out += '/';
    out += node.name;
    if (node.has_same_name_siblings) {
      out += '[';
      out += std::to_string(node.index);
      out += ']';
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Dates: civil-from-days algorithms (Howard Hinnant, public domain).

std::int64_t Date::days() const {
  const int y = year - (month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned mp = static_cast<unsigned>(month > 2 ? month - 3 : month + 9);
  const unsigned doy = (153 * mp + 2) / 5 + static_cast<unsigned>(day) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

Date Date::from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Date{static_cast<int>(y + (m <= 2 ? 1 : 0)), static_cast<int>(m), static_cast<int>(d)};
}

int Date::weekday() const {
  // 1970-01-01 was a Thursday (Monday = 0 -> Thursday = 3).
  const std::int64_t d = days();
  return static_cast<int>(((d % 7) + 7 + 3) % 7);
}

int Date::days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2) {
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[m - 1];
}

Date Date::add_months(int n) const {
  int total = year * 12 + (month - 1) + n;
  int y = total / 12;
  int m = total % 12 + 1;
  int d = day;
  if (d > days_in_month(y, m)) d = days_in_month(y, m);
  return Date{y, m, d};
}

std::string Date::to_string() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

namespace {
bool digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}
int to_int(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}
}  // namespace

std::optional<Date> parse_date(std::string_view s) {
  s = trim(s);
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (!digits(s.substr(0, 4)) || !digits(s.substr(5, 2)) || !digits(s.substr(8, 2)))
    return std::nullopt;
  Date d{to_int(s.substr(0, 4)), to_int(s.substr(5, 2)), to_int(s.substr(8, 2))};
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > Date::days_in_month(d.year, d.month))
    return std::nullopt;
  return d;
}

std::optional<std::string> canonical_int(std::string_view s) {
  s = trim(s);
  bool negative = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (!digits(s)) return std::nullopt;
  while (s.size() > 1 && s.front() == '0') s.remove_prefix(1);
  if (s == "0") return std::string("0");
  return (negative ? "-" : "") + std::string(s);
}

std::optional<std::int64_t> parse_int(std::string_view s) {
  auto canon = canonical_int(s);
  if (!canon || canon->size() > 19) return std::nullopt;
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(canon->data(), canon->data() + canon->size(), v);
  if (ec != std::errc{} || p != canon->data() + canon->size()) return std::nullopt;
  return v;
}

bool allocation_deleted(std::optional<std::string_view> reden_wijziging,
                        std::string_view ingangsdatum, std::optional<std::string_view> einddatum) {
  if (reden_wijziging == "13") return true;
  return reden_wijziging == "01" && einddatum && *einddatum == ingangsdatum;
}

bool bsn_eleven_proof(std::string_view bsn) {
  bsn = trim(bsn);
  if (bsn.size() != 9 || !digits(bsn)) return false;
  int sum = 0;
  for (int i = 0; i < 8; ++i) sum += (9 - i) * (bsn[static_cast<std::size_t>(i)] - '0');
  sum -= bsn[8] - '0';
  return sum % 11 == 0;
}

std::string mask_bsn(std::string_view bsn) {
  if (bsn.size() <= 3) return std::string(bsn.size(), '*');
  return std::string(bsn.size() - 3, '*') + std::string(bsn.substr(bsn.size() - 3));
}

}  // namespace istd::model
