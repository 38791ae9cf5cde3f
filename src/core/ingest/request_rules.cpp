// Cross-message rules of 315, 317 and 319 (design in request_rules.hpp).
#include "core/ingest/request_rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace istd::ingest {

using ledger::AllocationVersion;
using ledger::Ledger;
using ledger::MessageId;
using model::Message;
using model::Text;

namespace {

std::string product_text(const std::optional<std::string>& categorie,
                         const std::optional<std::string>& code) {
  if (!categorie && !code) return "without product";
  return fmt::format("{}/{}", categorie.value_or("-"), code.value_or("-"));
}

std::string period_text(std::string_view begin, const std::optional<std::string>& end) {
  return fmt::format("{}..{}", begin, end ? *end : std::string("(open)"));
}

std::optional<std::string> opt(const Text& t) {
  if (!t.present()) return std::nullopt;
  return t.value;
}

/// Actueel on `day` (Begrippenlijst): not deleted, and ending on or after `day` or open.
bool actueel(const AllocationVersion& a, std::string_view day) {
  return !a.deleted() && (!a.einddatum || *a.einddatum >= day);
}

/// TR347 and TR374 for a new request reference; findings go to class `cls`.
void check_new_reference(Ledger& l, const Message& m, CrossResult& r, std::size_t cls,
                         model::NodeId node, const Text& ref, std::string_view gemeente,
                         std::string_view agb, std::string_view bsn, bool check_open) {
  if (auto earlier = l.requests_with_reference(agb, ref.value); !earlier.empty())
    r.add(cls,
         cross_finding(m, ref.node, "TR347", "9347",
                       fmt::format("ReferentieAanbieder '{}' was used before by provider {} (in "
                                   "{} '{}' of {}); every request needs a reference of its own. "
                                   "Send the request with a new ReferentieAanbieder.",
                                   ref.value, agb, earlier.front().type,
                                   earlier.front().identificatie, earlier.front().dagtekening)));
  if (!check_open) return;
  for (const auto& st : l.requests_of_client(gemeente, agb, bsn)) {
    if (!st.open()) continue;
    r.add(cls,
         cross_finding(m, node, "TR374", "9374",
                       fmt::format("There is still an open request for this client at this "
                                   "provider: {} '{}' of {} (ReferentieAanbieder '{}'), not yet "
                                   "answered with a 301 or a refusing 319. Wait for that answer "
                                   "before sending a new request.",
                                   st.request.type, st.request.identificatie,
                                   st.request.dagtekening, st.request.referentie)));
    break;
  }
}

std::string summary_315(const model::AangevraagdProduct& ap) {
  std::string s = fmt::format("toewijzing gevraagd: {} vanaf {}",
                              product_text(opt(ap.product.categorie), opt(ap.product.code)),
                              ap.toewijzing_ingangsdatum.value);
  if (ap.toewijzing_einddatum.present()) s += " tot en met " + ap.toewijzing_einddatum.value;
  if (ap.omvang.present())
    s += fmt::format(", omvang {} (eenheid {}, frequentie {})", ap.omvang.volume.value,
                     ap.omvang.eenheid.value, ap.omvang.frequentie.value);
  if (ap.budget.present()) s += fmt::format(", budget {}", ap.budget.value);
  return s;
}

std::string summary_317(const model::Verzoek& v) {
  std::string s = "wijziging gevraagd:";
  if (!v.te_wijzigen.empty()) {
    s += " wijzigen";
    for (const auto& tw : v.te_wijzigen)
      s += fmt::format(" {} (vanaf {})", tw.toewijzing_nummer.value, tw.gewenste_ingangsdatum.value);
  }
  if (!v.nieuw.empty()) {
    s += v.te_wijzigen.empty() ? " nieuw" : "; nieuw";
    for (const auto& np : v.nieuw)
      s += fmt::format(" {} (vanaf {})",
                       product_text(opt(np.product.categorie), opt(np.product.code)),
                       np.gewenste_ingangsdatum.value);
  }
  if (!v.ongewijzigd.empty()) s += fmt::format("; {} ongewijzigd", v.ongewijzigd.size());
  return s;
}

// ---- 315 ----------------------------------------------------------------------------------

CrossResult apply_315(Ledger& l, const Message& m, MessageId id) {
  CrossResult r;
  const auto& aps = m.client.aangevraagd;
  r.class_codes.resize(aps.size());
  const std::string& agb = m.header.afzender.value;
  const std::string& gemeente = m.header.ontvanger.value;
  const std::string& bsn = m.client.bsn.value;
  for (std::size_t i = 0; i < aps.size(); ++i)
    check_new_reference(l, m, r, i, aps[i].node, aps[i].referentie_aanbieder, gemeente, agb, bsn,
                        /*check_open=*/true);
  if (r.rejected()) return r;
  for (const auto& ap : aps)
    l.add_request({0, id, std::string(model::to_string(m.type)), gemeente, agb, bsn, ap.referentie_aanbieder.value,
                   m.header.dagtekening.value, summary_315(ap), {},
                   opt(m.client.gezagsdrager_bekend)});
  return r;
}

// ---- 317 ----------------------------------------------------------------------------------

/// The same product in the sense of TR361 (as TR302: a generic one conflicts with everything).
bool same_product(const std::optional<std::string>& cat_a, const std::optional<std::string>& code_a,
                  const std::optional<std::string>& cat_b, const std::optional<std::string>& code_b) {
  if ((!cat_a && !code_a) || (!cat_b && !code_b)) return true;
  if (!cat_a || !cat_b || *cat_a != *cat_b) return false;
  if (code_a && code_b) return *code_a == *code_b;
  return true;
}

// iWmo's aids and housing (categories 11-14) may overlap. iJw has no exemption, and its
// categories (31-55, enforced by the JW schemas) never match.
bool exempt(const std::optional<std::string>& cat) {
  return cat && (*cat == "11" || *cat == "12" || *cat == "13" || *cat == "14");
}

bool overlap(std::string_view b1, const std::optional<std::string>& e1, std::string_view b2,
             const std::optional<std::string>& e2) {
  if (e1 && *e1 < b2) return false;
  if (e2 && *e2 < b1) return false;
  return true;
}

CrossResult apply_317(Ledger& l, const Message& m, MessageId id) {
  CrossResult r;
  const auto& v = m.client.verzoek;
  // Classes: the Verzoek, then its products in document order.
  const std::size_t n_op = v.ongewijzigd.size(), n_tw = v.te_wijzigen.size();
  r.class_codes.resize(1 + n_op + n_tw + v.nieuw.size());
  const std::string& agb = m.header.afzender.value;
  const std::string& gemeente = m.header.ontvanger.value;
  const std::string& bsn = m.client.bsn.value;
  const std::string& dag = m.header.dagtekening.value;

  check_new_reference(l, m, r, 0, v.node, v.referentie_aanbieder, gemeente, agb, bsn,
                      /*check_open=*/true);

  // The allocations the request names, and those of the client at this provider.
  std::map<std::int64_t, AllocationVersion> own;  // actuele allocations of this client here
  for (auto& a : l.allocations_of_client(gemeente, agb, bsn))
    if (actueel(a, dag)) own.emplace(a.toewijzing_nummer, std::move(a));
  // Periods after the request, for TR361: (categorie, code, begin, end).
  struct Period {
    std::optional<std::string> categorie, code;
    std::string begin;
    std::optional<std::string> end;
    std::string what;
  };
  std::vector<Period> periods;
  std::set<std::int64_t> listed;

  auto resolve = [&](std::size_t cls, const Text& nr, model::NodeId node, std::string_view rule,
                     std::string_view code, std::string_view what) -> const AllocationVersion* {
    const auto n = model::parse_int(nr.value);
    if (!n) return nullptr;
    listed.insert(*n);
    if (auto it = own.find(*n); it != own.end()) return &it->second;
    const auto cur = l.current_allocation(gemeente, *n);
    if (cur && cur->bsn != bsn) {
      r.add(cls,
           cross_finding(m, nr.node, "TR304", "8187",
                         fmt::format("ToewijzingNummer {} is an allocation of another client "
                                     "(Bsn {}), not of Bsn {}. Check the BSN and the "
                                     "ToewijzingNummer.",
                                     *n, model::mask_bsn(cur->bsn), model::mask_bsn(bsn))));
      return nullptr;
    }
    std::string why = !cur ? fmt::format("gemeente {} has no allocation {}", gemeente, *n)
                      : cur->agb != agb
                          ? fmt::format("allocation {} belongs to another provider ({})", *n, cur->agb)
                      : cur->deleted() ? fmt::format("allocation {} was deleted", *n)
                                       : fmt::format("allocation {} ended on {}", *n,
                                                     cur->einddatum.value_or("?"));
    r.add(cls,
         cross_finding(m, node, rule, code,
                       fmt::format("{} {} does not refer to an actuele allocation of this client "
                                   "at this provider: {}. List only allocations that are valid "
                                   "on the Dagtekening ({}) or start later.",
                                   what, *n, why, dag)));
    return nullptr;
  };

  for (std::size_t i = 0; i < n_op; ++i) {
    const auto& op = v.ongewijzigd[i];
    const auto* a = resolve(1 + i, op.toewijzing_nummer, op.node, "TR350", "9350",
                            "OngewijzigdProduct ToewijzingNummer");
    if (a) periods.push_back({a->categorie, a->code, a->ingangsdatum, a->einddatum,
                              fmt::format("allocation {} (unchanged)", a->toewijzing_nummer)});
  }
  for (std::size_t i = 0; i < n_tw; ++i) {
    const std::size_t cls = 1 + n_op + i;
    const auto& tw = v.te_wijzigen[i];
    const auto* a = resolve(cls, tw.toewijzing_nummer, tw.node, "TR351", "9351",
                            "TeWijzigenProduct ToewijzingNummer");
    if (!a) continue;
    const std::string& gewenst = tw.gewenste_ingangsdatum.value;
    // TR357: a change from a date not after the Dagtekening is a change over the whole period.
    if (gewenst <= dag && gewenst != a->ingangsdatum)
      r.add(cls,
           cross_finding(m, tw.gewenste_ingangsdatum.node, "TR357", "9357",
                         fmt::format("GewensteIngangsdatum {} is not after the Dagtekening {}, so "
                                     "it must be the Ingangsdatum {} of allocation {} (a change "
                                     "back in time covers the whole period).",
                                     gewenst, dag, a->ingangsdatum, a->toewijzing_nummer)));
    // TR373: a budget or a total (frequentie 6) changes over the whole period.
    const bool budget_change = tw.budget.present() &&
                               model::parse_int(tw.budget.value) != a->budget;
    const bool total_change = tw.omvang.present() && tw.omvang.frequentie.value == "6" &&
                              (model::parse_int(tw.omvang.volume.value) != a->volume ||
                               a->frequentie != std::optional<std::string>("6"));
    if ((budget_change || total_change) && gewenst != a->ingangsdatum)
      r.add(cls,
           cross_finding(m, tw.gewenste_ingangsdatum.node, "TR373", "9373",
                         fmt::format("A change of the {} applies to the whole period: the "
                                     "GewensteIngangsdatum must be the allocation's Ingangsdatum "
                                     "{}, not {}.",
                                     budget_change ? "Budget" : "total volume (Frequentie 6)",
                                     a->ingangsdatum, gewenst)));
    // TR375 / TR411 / TR412: Omvang only on allocations with a product code.
    const bool ends_late = !a->einddatum || *a->einddatum > "2020-12-31";
    if (a->code && !tw.omvang.present())
      r.add(cls,
           cross_finding(m, tw.node, "TR411", "9411",
                         fmt::format("Allocation {} has product code {}, so the change must give "
                                     "the Omvang.",
                                     a->toewijzing_nummer, *a->code)));
    if (!a->code && tw.omvang.present() && ends_late)
      r.add(cls,
           cross_finding(m, tw.omvang.node, a->categorie ? "TR412" : "TR375",
                         a->categorie ? "9412" : "9375",
                         fmt::format("Allocation {} has no product code{}, so the change may not "
                                     "give an Omvang. Leave the Omvang out.",
                                     a->toewijzing_nummer, a->categorie ? "" : " (no Product)")));
    periods.push_back({a->categorie, a->code, a->ingangsdatum,
                       tw.einddatum.present() ? opt(tw.einddatum) : a->einddatum,
                       fmt::format("allocation {} (as changed)", a->toewijzing_nummer)});
  }
  // TR349: every actuele allocation is listed.
  std::string missing;
  for (const auto& [nr, a] : own)
    if (!listed.count(nr))
      missing += fmt::format("{}{} ({}, {})", missing.empty() ? "" : ", ", nr,
                             product_text(a.categorie, a.code),
                             period_text(a.ingangsdatum, a.einddatum));
  if (!missing.empty())
    r.add(0,
         cross_finding(m, v.node, "TR349", "9349",
                       fmt::format("The request does not list every actuele allocation of this "
                                   "client at this provider; missing: {}. Name each one as "
                                   "OngewijzigdProduct or TeWijzigenProduct.",
                                   missing)));
  // TR361: new products do not overlap the allocations (as they will be) or each other.
  for (std::size_t i = 0; i < v.nieuw.size(); ++i) {
    const auto& np = v.nieuw[i];
    Period p{opt(np.product.categorie), opt(np.product.code), np.gewenste_ingangsdatum.value,
             opt(np.einddatum), fmt::format("NieuwProduct {}", i + 1)};
    if (!exempt(p.categorie))
      for (const auto& q : periods) {
        if (exempt(q.categorie) || !same_product(p.categorie, p.code, q.categorie, q.code) ||
            !overlap(p.begin, p.end, q.begin, q.end))
          continue;
        r.add(1 + n_op + n_tw + i,
             cross_finding(m, np.node, "TR361", "9361",
                           fmt::format("The new product ({}, {}) overlaps {} ({}, {}) for the "
                                       "same product. Let the periods follow each other, or "
                                       "change the existing allocation instead.",
                                       product_text(p.categorie, p.code),
                                       period_text(p.begin, p.end), q.what,
                                       product_text(q.categorie, q.code),
                                       period_text(q.begin, q.end))));
        break;
      }
    periods.push_back(std::move(p));
  }
  if (r.rejected()) return r;
  l.add_request({0, id, std::string(model::to_string(m.type)), gemeente, agb, bsn, v.referentie_aanbieder.value, dag,
                 summary_317(v), {}, std::nullopt});
  return r;
}

// ---- 319 ----------------------------------------------------------------------------------

CrossResult apply_319(Ledger& l, const Message& m, MessageId id) {
  CrossResult r;
  r.class_codes.resize(1);
  const auto& a = m.antwoord;
  const std::string& gemeente = m.header.afzender.value;
  const std::string& agb = m.header.ontvanger.value;
  const std::string& ref = a.referentie_aanbieder.value;
  const auto requests = l.requests_with_reference(agb, ref);
  if (requests.empty())
    r.add(0,
         cross_finding(m, a.referentie_aanbieder.node, "TR355", "9355",
                       fmt::format("No 315 or 317 of provider {} with ReferentieAanbieder '{}' "
                                   "is known; a 319 answers a request. Check the reference.",
                                   agb, ref)));
  if (l.reference_allocated(agb, ref))
    r.add(0,
         cross_finding(m, a.node, "TR359", "9359",
                       fmt::format("Request '{}' was already honoured with a 301; a 319 can no "
                                   "longer follow. Change the allocation with a new 301 instead.",
                                   ref)));
  const auto earlier = l.answers_of_reference(agb, ref);
  if (!earlier.empty()) {
    const auto& last = earlier.back();
    if (a.verzoek_antwoord.value == "2")
      r.add(0,
           cross_finding(m, a.verzoek_antwoord.node, "TR360", "9360",
                         fmt::format("Request '{}' was already answered with a 319 ('{}' of {}); "
                                     "\"in onderzoek\" (2) can only be the first answer. Send the "
                                     "final answer: a 301, or a 319 refusing the request.",
                                     ref, last.identificatie, last.dagtekening)));
    for (const auto& e : earlier)
      if (e.verzoek_antwoord != "2") {
        r.add(0,
             cross_finding(m, a.node, "TR365", "9365",
                           fmt::format("Request '{}' was already refused with 319 '{}' of {}; "
                                       "only an answer \"in onderzoek\" (2) may be followed by "
                                       "another 319.",
                                       ref, e.identificatie, e.dagtekening)));
        break;
      }
  }
  if (r.rejected()) return r;
  l.add_answer({0, id, gemeente, agb, ref, a.verzoek_antwoord.value,
                opt(a.reden_afwijzing_verzoek), m.header.dagtekening.value, {},
                opt(a.woonplaatsbeginsel_gemeente)});
  return r;
}

}  // namespace

CrossResult apply_requests(Ledger& l, const Message& m, MessageId id) {
  switch (model::number(m.type)) {
    case 315: return apply_315(l, m, id);
    case 317: return apply_317(l, m, id);
    case 319: return apply_319(l, m, id);
    default: return {};
  }
}

}  // namespace istd::ingest
