// The two iJw warnings of ijw_warnings.hpp.
#include "core/ingest/ijw_warnings.hpp"

#include <fmt/format.h>

#include "core/ingest/cross_rules.hpp"

namespace istd::ingest {

namespace {

/// True when a person born on `birth` is younger than `years` on `on`.
bool younger_than(const model::Date& birth, int years, const model::Date& on) {
  const model::Date birthday = birth.add_months(12 * years);
  return on < birthday;
}

}  // namespace

std::vector<Finding> gezagsdrager_warnings(const ledger::Ledger& ledger, const model::Message& m) {
  constexpr std::string_view rule = "GEZAGSDRAGER-MISSING";
  std::vector<Finding> out;
  if (model::standard_of(m.type) != model::Standard::ijw || model::number(m.type) != 301)
    return out;
  const auto birth = model::parse_date(m.client.geboortedatum.datum.value);
  const auto dag = model::parse_date(m.header.dagtekening.value);
  if (!birth || !dag || !younger_than(*birth, kGezagsdragerAge, *dag)) return out;
  for (const auto& r : m.client.relatie)
    if (r.soort.value == "10" || r.soort.value == "11") return out;
  const std::string& agb = m.header.ontvanger.value;
  const std::string& bsn = m.client.bsn.value;
  for (const auto& tp : m.client.toegewezen)
    if (tp.referentie_aanbieder.present() &&
        ledger.gezagsdrager_known(agb, bsn, tp.referentie_aanbieder.value))
      return out;
  out.push_back(cross_finding(
      m, m.client.node, rule, "",
      fmt::format("The client (born {}) is younger than {} on {}, but the JW301 names no parent "
                  "(Relatie Soort 10) or guardian (Soort 11), and it honours no JW315 that "
                  "said the provider knows the gezagsdrager (GezagsdragerBekend 1). The provider "
                  "needs to know who holds parental authority.",
                  m.client.geboortedatum.datum.value, kGezagsdragerAge,
                  m.header.dagtekening.value),
      Severity::warning));
  return out;
}

std::vector<Finding> woonplaatsbeginsel_warnings(const ledger::Ledger& ledger,
                                                 const model::Message& m, ledger::MessageId id) {
  constexpr std::string_view rule = "WOONPLAATSBEGINSEL";
  std::vector<Finding> out;
  if (model::standard_of(m.type) != model::Standard::ijw || model::number(m.type) != 315)
    return out;
  const std::string& agb = m.header.afzender.value;
  const std::string& gemeente = m.header.ontvanger.value;
  const std::string& bsn = m.client.bsn.value;
  const auto last = ledger.last_woonplaatsbeginsel(agb, bsn);
  if (!last || last->indicated == gemeente) return out;
  // Only the follow-up request: once the provider asked again, the refusal has been acted on.
  if (ledger.request_since(agb, bsn, last->message_id, id)) return out;
  out.push_back(cross_finding(
      m, m.header.ontvanger.node, rule, "",
      fmt::format("Gemeente {} refused the previous request '{}' for this client on {} because "
                  "gemeente {} is responsible under the woonplaatsbeginsel (JW319, reden 8); "
                  "this request goes to gemeente {}.",
                  last->gemeente, last->referentie, last->dagtekening, last->indicated, gemeente),
      Severity::warning));
  return out;
}

}  // namespace istd::ingest
