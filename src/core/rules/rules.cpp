// The level-2 rule table and the driver that runs it over one message.
#include "core/rules/rules.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/rules/rules_internal.hpp"

namespace istd::rules {

using model::MessageType;

namespace {

constexpr std::uint32_t k301 = type_bit(MessageType::WMO301);
constexpr std::uint32_t k305 = type_bit(MessageType::WMO305);
constexpr std::uint32_t k307 = type_bit(MessageType::WMO307);
constexpr std::uint32_t k315 = type_bit(MessageType::WMO315);
constexpr std::uint32_t k317 = type_bit(MessageType::WMO317);
constexpr std::uint32_t k319 = type_bit(MessageType::WMO319);
constexpr std::uint32_t k323 = type_bit(MessageType::WMO323);
constexpr std::uint32_t k325 = type_bit(MessageType::WMO325);

std::vector<Rule> make_table() {
  using namespace detail;
  const std::string_view r = "0001";  // every level-2 finding rejects with 0001 (IV032)
  return {
      {"CD005", r, k301, "Adres: Postcode and LandCode are both filled or both absent", cd005},
      {"CD007",
       r,
       k301,
       "Communicatie: Taal is filled if and only if Vorm is 1 (tolk taal)",
       cd007},
      {"CD009",
       r,
       k301,
       "Contact: Periode only when Soort is 04 (tijdelijk verblijfadres)",
       cd009},
      {"CD025", r, k301, "Adres: LandCode NL requires Huis/Huisnummer", cd025},
      {"CD034", r, k301, "Contact: Soort 01 or 03 requires Adres/Postcode", cd034},
      {"CD041",
       r,
       k301 | k315 | k317,
       "ToegewezenProduct, AangevraagdProduct, NieuwProduct: Product/Code filled requires Omvang",
       cd041},
      {"CD043",
       r,
       k315,
       "AangevraagdProduct: BeschikkingNummer filled if and only if BeschikkingIngangsdatum",
       cd043},
      {"CD060",
       r,
       k323 | k325,
       "Prestatie: DebetCredit C if and only if VorigReferentieNummer is filled",
       cd060},
      {"CD066", r, k315, "Verwijzer: Naam empty when a ZorgverlenerCode is given", cd066},
      {"CD067", r, k315, "Verwijzer: Naam filled when no ZorgverlenerCode is given", cd067},
      {"CD068", r, k315, "Verwijzer: ZorgverlenerCode only for Type 02-05", cd068},
      {"CD075", r, k301 | k315 | k317, "Budget requires the end date (301, 315, 317)", cd075},
      {"CD076",
       r,
       k301 | k315 | k317,
       "Frequentie 2 (per week) requires the end date (301, 315, 317)",
       cd076},
      {"CD077", r, k301 | k315 | k317, "Budget requires Omvang to be absent (301, 315, 317)", cd077},
      {"CD078", r, k301 | k315 | k317, "Omvang requires Budget to be absent (301, 315, 317)", cd078},
      {"CD079", r, k301 | k315 | k317, "Without Budget, Product is required (301, 315, 317)", cd079},
      {"CD080",
       r,
       k301,
       "ToegewezenProduct: Omvang requires Product/Code (allocations ending after 2020-12-31)",
       cd080},
      {"CD085", r, k319, "Antwoord: VerzoekAntwoord 1 requires RedenAfwijzingVerzoek", cd085},
      {"CD086",
       r,
       k319,
       "Antwoord: VerzoekAntwoord 2 requires RedenAfwijzingVerzoek absent",
       cd086},
      {"CD087",
       r,
       k323,
       "Prestatie: ProductTarief filled if and only if Eenheid is not 83",
       cd087},
      {"CD095",
       r,
       k315,
       "AangevraagdProduct: Omvang requires Product/Code (requests ending after 2020-12-31)",
       cd095},
      {"CD096",
       r,
       k317,
       "NieuwProduct: Omvang requires Product/Code (products ending after 2020-12-31)",
       cd096},
      {"CS002", r, k301 | k305 | k307 | k315 | k317 | k323 | k325, "Bsn: 11-proof", cs002},
      {"CS003",
       r,
       k301 | k315 | k317,
       "Einddatum on or after the corresponding begin date",
       cs003},
      {"CS050",
       r,
       k301,
       "NaamGebruik: 1-4 with a Partnernaam; without one 1 (iJw: 1 or 6)",
       cs050},
      {"CS058", r, k305 | k307, "StatusAanlevering: 1 or 3", cs058},
      {"CS089", r, k301, "Adres: LandCode NL requires a Dutch Postcode (1234AB)", cs089},
      {"CS100",
       r,
       k323,
       "DeclaratiePeriode/ProductPeriode: Begindatum on or after 2021-01-01",
       cs100},
      {"CS139",
       r,
       k301 | k305 | k307 | k315,
       "Geboortedatum: Datum consistent with DatumGebruik",
       cs139},
      {"CS325", r, k323 | k325, "Amount 0 is not credit (C)", cs325},
      {"CS335",
       r,
       k301,
       "ToegewezenProduct: RedenWijziging 13 requires Einddatum = Ingangsdatum",
       cs335},
      {"CS336", r, k301, "ToegewezenProduct: RedenWijziging 01 is not allowed", cs336},
      {"CS337", r, k323, "Prestatie: ProductPeriode within one calendar month", cs337},
      {"CS338",
       r,
       k301 | k317,
       "Omvang: Eenheid 14, 16, 83 or 84 requires Frequentie 2, 4 or 6 (allocations ending after "
       "2020-12-31)",
       cs338},
      {"CS339", r, k323, "Prestatie with Eenheid 83: Bedrag equals GeleverdVolume", cs339},
      {"CS340", r, k323, "DeclaratiePeriode: exactly one calendar month", cs340},
      {"CS343",
       r,
       k315,
       "AangevraagdProduct: Eenheid 14, 16, 83 or 84 requires Frequentie 2, 4 or 6 (requests "
       "ending after 2020-12-31)",
       cs343},
      {"TR002",
       r,
       k301 | k305 | k307 | k315,
       "Geboortedatum: not more than 120 years before Dagtekening",
       tr002},
      {"TR006", r, k301, "Contact: Telefoon, or Adres with Huis and Postcode", tr006},
      {"TR018", r, k307, "StopProduct: Einddatum on or after Begindatum", tr018},
      {"TR061", r, k301, "Contactgegevens: a Contact with Soort 01, 02 or 03", tr061},
      {"TR101",
       r,
       k301 | k305 | k307 | k315 | k317 | k319 | k323 | k325,
       "No two sibling classes with the same logical key",
       tr101},
      {"TR134",
       r,
       k301 | k305 | k307 | k315 | k323 | k325,
       "Dates not after the message's Dagtekening",
       tr134},
      {"TR137",
       r,
       k323 | k325,
       "Periods: Einddatum on or after Begindatum and not after Dagtekening",
       tr137},
      {"TR302",
       r,
       k301,
       "ToegewezenProduct: no overlapping allocations of the same product",
       tr302},
      {"CS318",
       r,
       k301,
       "Client: NaamGebruik 6 (niet-natuurlijk persoon) is not allowed",
       cs318,
       kIjw},
      {"TR377",
       r,
       k319,
       "Antwoord: RedenAfwijzingVerzoek 8 requires the class Woonplaatsbeginsel",
       tr377,
       kIjw},
      {"TR409",
       r,
       k319,
       "Antwoord: Woonplaatsbeginsel only with RedenAfwijzingVerzoek 8",
       tr409,
       kIjw},
      {"TR315", r, k323, "VorigReferentieNummer unique within the message", tr315},
      {"TR316", r, k323, "No credit of a line of the same message", tr316},
      {"TR319", r, k323, "ProductPeriode not after the DeclaratiePeriode", tr319},
      {"TR335",
       r,
       k323,
       "ProductPeriode/Einddatum not more than 5 years before DeclaratieDagtekening",
       tr335},
      {"TR342",
       r,
       k325,
       "DeclaratieAntwoord: TotaalToegekendBedrag consistent with the rejected lines",
       tr342},
      {"TR352", r, k317, "Verzoek: an OngewijzigdProduct or TeWijzigenProduct", tr352},
      {"TR353", r, k317, "Verzoek: a TeWijzigenProduct or NieuwProduct", tr353},
      {"TR358", r, k323, "TotaalIngediendBedrag equals the sum of the lines", tr358},
      {"TR380", r, k317, "NieuwProduct: GewensteIngangsdatum after Dagtekening", tr380},
      {"TR383", r, k315, "AangevraagdProduct: ReferentieAanbieder unique", tr383},
      {"TR386",
       r,
       k315,
       "AangevraagdProduct: no overlapping requests for the same product",
       tr386},
      {"TR410", r, k317, "NieuwProduct: no overlapping new products", tr410},
      {"TR416",
       r,
       k323,
       "No two debit lines for the same allocation, product and period",
       tr416},
  };
}

/// Not a rule of the official validation: the warning for a Woonplaatsbeginsel without
/// RedenAfwijzingVerzoek, which IV095 forbids but the validation lets pass.
const Rule& iv095_rule() {
  static const Rule rule{"IV095", "", k319,
                         "Antwoord: Woonplaatsbeginsel without RedenAfwijzingVerzoek (warning)",
                         detail::iv095, kIjw};
  return rule;
}

}  // namespace

bool Rule::applies_to(MessageType t) const {
  const auto s = model::standard_of(t) == model::Standard::iwmo ? kIwmo : kIjw;
  return (standards & s) && (types & type_bit(model::type_of(model::Standard::iwmo, model::number(t))));
}

std::vector<MessageType> Rule::message_types() const {
  std::vector<MessageType> out;
  for (auto s : {model::Standard::iwmo, model::Standard::ijw})
    for (int n : {301, 302, 305, 306, 307, 308, 315, 316, 317, 318, 319, 320, 323, 325})
      if (applies_to(model::type_of(s, n))) out.push_back(model::type_of(s, n));
  return out;
}

std::string Rule::standards_text() const {
  if (standards == kBothStandards) return "iWmo 3.2 and iJw 3.2";
  return standards == kIwmo ? "iWmo 3.2" : "iJw 3.2";
}

const std::vector<Rule>& rule_table() {
  static const std::vector<Rule> table = make_table();
  return table;
}

const Rule* find_rule(std::string_view code) {
  for (const auto& r : rule_table())
    if (r.code == code) return &r;
  return nullptr;
}

void Emit::report(const model::NodeId* nodes, std::size_t n, std::string text, Severity severity) {
  Finding f;
  f.rule = std::string(rule_.code);
  f.retourcode = std::string(rule_.retourcode);
  f.severity = severity;
  f.text = std::move(text);
  model::NodeId primary = model::kNoNode;
  f.paths.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (nodes[i] == model::kNoNode) continue;
    if (primary == model::kNoNode) primary = nodes[i];
    f.paths.push_back(msg_.path(nodes[i]));
  }
  f.line = msg_.line(primary);
  f.column = msg_.column(primary);
  out_.push_back(std::move(f));
  primary_.push_back(primary);
}

std::vector<Finding> check(const model::Message& message) {
  std::vector<Finding> out;
  std::vector<model::NodeId> primary;
  for (const Rule& rule : rule_table()) {
    if (!rule.applies_to(message.type)) continue;
    Emit emit(message, rule, out, primary);
    rule.check(message, emit);
  }
  if (iv095_rule().applies_to(message.type)) {
    Emit emit(message, iv095_rule(), out, primary);
    iv095_rule().check(message, emit);
  }
  if (out.size() < 2) return out;
  // Document order of the primary element (node ids are assigned in document order); the table
  // order (the XSLT's rule order) among findings on the same element.
  std::vector<std::uint32_t> order(out.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return primary[a] < primary[b]; });
  std::vector<Finding> sorted;
  sorted.reserve(out.size());
  for (auto i : order) sorted.push_back(std::move(out[i]));
  return sorted;
}

namespace detail {

std::string shown(const Text& t) {
  if (!t.present()) return "(absent)";
  return fmt::format("'{}'", t.value);
}

std::string label(const Message& m, NodeId n) {
  if (n == model::kNoNode || n >= m.nodes.size()) return {};
  auto one = [&](NodeId id) {
    const model::Node& node = m.nodes[id];
    return node.has_same_name_siblings ? fmt::format("{} {}", node.name, node.index)
                                       : std::string(node.name);
  };
  std::string out = one(n);
  // A 323/325 Client (or a Prestatie: Prestatie -> Prestaties -> Client) names its client; the
  // Clienten children are all Client, so the node's index is its place in declaratie.clienten.
  NodeId client = model::kNoNode;
  if (m.nodes[n].name == "Client" && !m.declaratie.clienten.empty()) {
    client = n;
  } else if (m.nodes[n].name == "Prestatie") {
    const NodeId prestaties = m.nodes[n].parent;
    if (prestaties != model::kNoNode) client = m.nodes[prestaties].parent;
  }
  if (client == model::kNoNode) return out;
  const std::uint32_t i = m.nodes[client].index;
  if (i == 0 || i > m.declaratie.clienten.size()) return out;
  std::string c = fmt::format("{} (Bsn {})", one(client),
                              model::mask_bsn(m.declaratie.clienten[i - 1].bsn.value));
  return client == n ? c : c + ", " + out;
}

std::string join_labels(const Message& m, const std::vector<NodeId>& nodes) {
  constexpr std::size_t kShown = 5;
  std::string out;
  const std::size_t n = nodes.size();
  const std::size_t shown = n > kShown + 1 ? kShown : n;
  for (std::size_t i = 0; i < shown; ++i) {
    if (i) out += (i + 1 == n) ? " and " : ", ";
    out += label(m, nodes[i]);
  }
  if (shown < n) out += fmt::format(" and {} more", n - shown);
  return out;
}

}  // namespace detail

}  // namespace istd::rules
