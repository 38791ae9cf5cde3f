// Message types, paths and the small value parsers of the typed model.
#include "core/model.hpp"

#include <array>
#include <cctype>
#include <charconv>

namespace istd::model {
namespace {

struct TypeInfo {
  MessageType type;
  Standard standard;
  int number;
  std::string_view name;
  std::string_view code;
  std::string_view description;
};

constexpr Standard W = Standard::iwmo;
constexpr Standard J = Standard::ijw;

// BerichtCodes differ between the standards without a fixed offset (COD002).
constexpr std::array<TypeInfo, 28> kTypes{{
    {MessageType::WMO301, W, 301, "WMO301", "414", "Toewijzing Wmo-ondersteuning"},
    {MessageType::WMO302, W, 302, "WMO302", "415", "Retour toewijzing"},
    {MessageType::WMO305, W, 305, "WMO305", "418", "Start Wmo-ondersteuning"},
    {MessageType::WMO306, W, 306, "WMO306", "419", "Retour start"},
    {MessageType::WMO307, W, 307, "WMO307", "420", "Stop Wmo-ondersteuning"},
    {MessageType::WMO308, W, 308, "WMO308", "421", "Retour stop"},
    {MessageType::WMO315, W, 315, "WMO315", "444", "Verzoek om toewijzing"},
    {MessageType::WMO316, W, 316, "WMO316", "445", "Retour verzoek om toewijzing"},
    {MessageType::WMO317, W, 317, "WMO317", "480", "Verzoek om wijziging"},
    {MessageType::WMO318, W, 318, "WMO318", "481", "Retour verzoek om wijziging"},
    {MessageType::WMO319, W, 319, "WMO319", "482", "Antwoordbericht"},
    {MessageType::WMO320, W, 320, "WMO320", "483", "Retour antwoordbericht"},
    {MessageType::WMO323, W, 323, "WMO323", "484", "Declaratie"},
    {MessageType::WMO325, W, 325, "WMO325", "485", "Declaratie-antwoord"},
    {MessageType::JW301, J, 301, "JW301", "436", "Toewijzing Jeugdhulp"},
    {MessageType::JW302, J, 302, "JW302", "437", "Retour toewijzing"},
    {MessageType::JW305, J, 305, "JW305", "438", "Start Jeugdhulp"},
    {MessageType::JW306, J, 306, "JW306", "439", "Retour start"},
    {MessageType::JW307, J, 307, "JW307", "440", "Stop Jeugdhulp"},
    {MessageType::JW308, J, 308, "JW308", "441", "Retour stop"},
    {MessageType::JW315, J, 315, "JW315", "446", "Verzoek om toewijzing"},
    {MessageType::JW316, J, 316, "JW316", "447", "Retour verzoek om toewijzing"},
    {MessageType::JW317, J, 317, "JW317", "486", "Verzoek om wijziging"},
    {MessageType::JW318, J, 318, "JW318", "487", "Retour verzoek om wijziging"},
    {MessageType::JW319, J, 319, "JW319", "488", "Antwoordbericht"},
    {MessageType::JW320, J, 320, "JW320", "489", "Retour antwoordbericht"},
    {MessageType::JW323, J, 323, "JW323", "490", "Declaratie"},
    {MessageType::JW325, J, 325, "JW325", "491", "Declaratie-antwoord"},
}};

constexpr std::string_view kNsBase = "http://www.istandaarden.nl/";
constexpr std::string_view kNsSuffix = "/schema";

/// "iwmo/3_2/" or "ijw/3_2/": the part of every namespace of the standard after kNsBase.
constexpr std::string_view ns_release(Standard s) {
  return s == Standard::iwmo ? "iwmo/3_2/" : "ijw/3_2/";
}
/// "wmo" or "jw": the prefix of a message's namespace segment ("wmo305", "jw305").
constexpr std::string_view ns_prefix(Standard s) { return s == Standard::iwmo ? "wmo" : "jw"; }

const TypeInfo* info(MessageType t) {
  for (const auto& i : kTypes)
    if (i.type == t) return &i;
  return nullptr;
}

}  // namespace

std::string_view standard_name(Standard s) { return s == Standard::iwmo ? "iWmo 3.2" : "iJw 3.2"; }
std::string_view standard_key(Standard s) { return s == Standard::iwmo ? "wmo" : "jw"; }
std::optional<Standard> standard_from_key(std::string_view key) {
  std::string k;
  for (char c : key) k += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (k == "wmo" || k == "iwmo") return Standard::iwmo;
  if (k == "jw" || k == "ijw" || k == "jeugd") return Standard::ijw;
  return std::nullopt;
}

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
Standard standard_of(MessageType t) {
  const auto* i = info(t);
  return i ? i->standard : Standard::iwmo;
}
int number(MessageType t) {
  const auto* i = info(t);
  return i ? i->number : 0;
}
MessageType type_of(Standard s, int n) {
  for (const auto& i : kTypes)
    if (i.standard == s && i.number == n) return i.type;
  return MessageType::unknown;
}

MessageType type_from_namespace(std::string_view ns) {
  // The base and the suffix must not overlap ("http://www.istandaarden.nl/schema" has both).
  if (ns.size() < kNsBase.size() + kNsSuffix.size() || !ns.starts_with(kNsBase) ||
      !ns.ends_with(kNsSuffix))
    return MessageType::unknown;
  ns.remove_prefix(kNsBase.size());
  ns.remove_suffix(kNsSuffix.size());
  for (Standard s : {Standard::iwmo, Standard::ijw}) {
    std::string_view rest = ns;
    if (!rest.starts_with(ns_release(s))) continue;
    rest.remove_prefix(ns_release(s).size());
    if (!rest.starts_with(ns_prefix(s))) return MessageType::unknown;
    rest.remove_prefix(ns_prefix(s).size());
    if (rest.size() != 3) return MessageType::unknown;
    for (const auto& i : kTypes)
      if (i.standard == s && rest == std::to_string(i.number)) return i.type;
    return MessageType::unknown;
  }
  return MessageType::unknown;
}

std::string namespace_of(MessageType t) {
  const auto* i = info(t);
  if (!i) return {};
  return std::string(kNsBase) + std::string(ns_release(i->standard)) +
         std::string(ns_prefix(i->standard)) + std::to_string(i->number) + std::string(kNsSuffix);
}

std::string_view basisschema_namespace(Standard s) {
  return s == Standard::iwmo ? "http://www.istandaarden.nl/iwmo/3_2/basisschema/schema"
                             : "http://www.istandaarden.nl/ijw/3_2/basisschema/schema";
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
