// Requests and answers against the ledger (315/316, 317/318, 319/320): the cross-message rules of
// DOMAIN.md §4.4a with §2.8 (a request is open until a 301 or a refusing 319 carries its
// reference) and the retours of §5.2, each finding paired with a near miss.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/ledger/ledger.hpp"
#include "ingest_env.hpp"

using namespace istd;
using namespace istd::test;

namespace {

/// A 315 AangevraagdProduct; empty strings leave optional elements out ("" cat: no Product,
/// "" volume: no Omvang).
struct AP {
  std::string ref = "VOT-1";
  std::string cat = "01";
  std::string code = "01A11";
  std::string ingang = "2025-09-01";
  std::string eind = "2025-12-31";
  std::string volume = "4";
  std::string eenheid = "04";
  std::string freq = "2";
  std::string budget = "";
};

/// A 317 TeWijzigenProduct ("" volume: no Omvang).
struct TW {
  std::string nr = "300201";
  std::string gewenst = "2025-09-01";
  std::string eind = "2025-12-31";
  std::string volume = "5";
  std::string eenheid = "04";
  std::string freq = "2";
  std::string budget = "";
};

/// A 317 NieuwProduct ("" cat: no Product, "" volume: no Omvang).
struct NP {
  std::string cat = "01";
  std::string code = "01A11";
  std::string gewenst = "2026-01-01";
  std::string eind = "2026-06-30";
  std::string volume = "2";
  std::string eenheid = "04";
  std::string freq = "2";
  std::string budget = "";
};

/// A 317 (one Verzoek).
struct VW {
  std::string id = "W1";
  std::string ref = "VOW-1";
  std::vector<std::string> ongewijzigd = {};
  std::vector<TW> wijzigen = {};
  std::vector<NP> nieuw = {};
  std::string bsn = C1;
  std::string dag = "2025-08-01";
  std::string agb = P1;
};

/// A 301 ToegewezenProduct with the fields the request rules look at ("" ref: no
/// ReferentieAanbieder, "" cat: no Product, "" code: no Code, "" volume: no Omvang).
struct TPX {
  std::string nr = "300201";
  std::string ref = "";
  std::string cat = "01";
  std::string code = "01A11";
  std::string datum = "2025-03-20";
  std::string tijd = "10:00:00";
  std::string ingang = "2025-04-01";
  std::string eind = "2025-12-31";
  std::string reden = "";
  std::string volume = "9";
  std::string eenheid = "04";
  std::string freq = "2";
  std::string budget = "";
};

std::map<std::string, std::string> omvang(const std::string& volume, const std::string& eenheid,
                                          const std::string& freq) {
  const bool o = !volume.empty();
  return {{"O", o ? kKeep : ""},
          {"VOLUME", volume},
          {"EENHEID", o ? eenheid : ""},
          {"FREQUENTIE", o ? freq : ""}};
}

std::map<std::string, std::string> with(std::map<std::string, std::string> a,
                                        const std::map<std::string, std::string>& b) {
  a.insert(b.begin(), b.end());
  return a;
}

std::string m315(const std::string& id, const std::vector<AP>& aps, const std::string& bsn = C1,
                 const std::string& dag = "2025-08-01", const std::string& agb = P1,
                 const std::string& gem = G) {
  std::string products;
  for (const auto& a : aps)
    products += fill(tmpl("wmo315_aangevraagd_product.xml"),
                     with({{"REF", a.ref},
                           {"P", a.cat.empty() ? "" : kKeep},
                           {"CATEGORIE", a.cat},
                           {"CODE", a.code},
                           {"INGANGSDATUM", a.ingang},
                           {"EINDDATUM", a.eind},
                           {"BUDGET", a.budget}},
                          omvang(a.volume, a.eenheid, a.freq)));
  return fill(tmpl("wmo315.xml"), {{"AGB", agb}, {"GEMEENTE", gem}, {"ID", id},
                                   {"DAGTEKENING", dag}, {"BSN", bsn}, {"PRODUCTS", products}});
}

std::string m317(const VW& v, const std::string& gem = G) {
  std::string op, tw, np;
  for (const auto& nr : v.ongewijzigd)
    op += fill(tmpl("wmo317_ongewijzigd_product.xml"), {{"NR", nr}});
  for (const auto& t : v.wijzigen)
    tw += fill(tmpl("wmo317_te_wijzigen_product.xml"),
               with({{"NR", t.nr},
                     {"GEWENSTEINGANGSDATUM", t.gewenst},
                     {"EINDDATUM", t.eind},
                     {"BUDGET", t.budget}},
                    omvang(t.volume, t.eenheid, t.freq)));
  for (const auto& n : v.nieuw)
    np += fill(tmpl("wmo317_nieuw_product.xml"),
               with({{"P", n.cat.empty() ? "" : kKeep},
                     {"CATEGORIE", n.cat},
                     {"CODE", n.code},
                     {"GEWENSTEINGANGSDATUM", n.gewenst},
                     {"EINDDATUM", n.eind},
                     {"BUDGET", n.budget}},
                    omvang(n.volume, n.eenheid, n.freq)));
  return fill(tmpl("wmo317.xml"),
              {{"AGB", v.agb}, {"GEMEENTE", gem}, {"ID", v.id}, {"DAGTEKENING", v.dag},
               {"BSN", v.bsn}, {"REF", v.ref},
               {"OP", op.empty() ? "" : kKeep}, {"ONGEWIJZIGD", op.empty() ? kKeep : op},
               {"TW", tw.empty() ? "" : kKeep}, {"TEWIJZIGEN", tw.empty() ? kKeep : tw},
               {"NP", np.empty() ? "" : kKeep}, {"NIEUW", np.empty() ? kKeep : np}});
}

/// A 319; a refusal (1) carries RedenAfwijzingVerzoek 4, "in onderzoek" (2) none.
std::string m319(const std::string& id, const std::string& ref, const std::string& antwoord = "1",
                 const std::string& dag = "2025-08-05", const std::string& agb = P1,
                 const std::string& gem = G) {
  return fill(tmpl("wmo319.xml"), {{"GEMEENTE", gem},
                                   {"AGB", agb},
                                   {"ID", id},
                                   {"DAGTEKENING", dag},
                                   {"REF", ref},
                                   {"VERZOEKANTWOORD", antwoord},
                                   {"REDEN", antwoord == "1" ? "4" : ""}});
}

std::string m301x(const std::string& id, const std::vector<TPX>& tps, const std::string& bsn = C1,
                  const std::string& dag = "2025-03-20", const std::string& agb = P1,
                  const std::string& gem = G) {
  std::string products;
  for (const auto& t : tps)
    products += fill(tmpl("wmo317_toegewezen_product.xml"),
                     with({{"NR", t.nr},
                           {"REF", t.ref},
                           {"P", t.cat.empty() ? "" : kKeep},
                           {"CATEGORIE", t.cat},
                           {"CODE", t.code},
                           {"TOEWIJZINGSDATUM", t.datum},
                           {"TOEWIJZINGSTIJD", t.tijd},
                           {"INGANGSDATUM", t.ingang},
                           {"EINDDATUM", t.eind},
                           {"REDENWIJZIGING", t.reden},
                           {"BUDGET", t.budget}},
                          omvang(t.volume, t.eenheid, t.freq)));
  return fill(tmpl("wmo301.xml"), {{"AGB", agb}, {"GEMEENTE", gem}, {"ID", id},
                                   {"DAGTEKENING", dag}, {"BSN", bsn}, {"PRODUCTS", products}});
}

/// An allocation with a Budget and Product categorie 02 without code (no Omvang).
TPX budget_tp(const std::string& nr = "300202", const std::string& budget = "150000") {
  return TPX{.nr = nr, .cat = "02", .code = "", .volume = "", .budget = budget};
}

/// A 316/318/320 read back: header codes, the Client's (316/318) or Antwoord's (320) codes and
/// the codes per class (316: AangevraagdProduct; 318: Verzoek, then its OngewijzigdProducten,
/// TeWijzigenProducten and NieuwProducten).
struct ReqRetour {
  bool valid = false;  ///< passes XSD (and level-2) validation against our retour schema
  std::string berichtcode, afzender, ontvanger, identificatie, dagtekening_retour;
  model::MessageType type = model::MessageType::unknown;
  std::vector<std::string> header;
  bool has_client = false, has_antwoord = false;
  std::vector<std::string> client, antwoord;
  std::vector<std::vector<std::string>> classes;
  std::vector<Finding> findings;
};

Codes codes_of(const model::RetourCodes& rc) {
  Codes out;
  for (const auto& c : rc.codes) out.push_back(c.value);
  return out;
}

ReqRetour req_retour(Env& e, const ingest::Outcome& o) {
  ReqRetour v;
  REQUIRE_FALSE(o.retour.empty());
  const auto bytes = read_file(e.out() / o.retour);
  auto r = e.validator->validate(bytes, o.retour);
  v.findings = r.findings;
  v.valid = r.xsd_valid && r.valid();
  if (!r.message) return v;
  const auto& m = *r.message;
  v.type = m.type;
  v.berichtcode = m.header.berichtcode.value;
  v.afzender = m.header.afzender.value;
  v.ontvanger = m.header.ontvanger.value;
  v.identificatie = m.header.identificatie.value;
  v.dagtekening_retour = m.header.dagtekening_retour.value;
  v.header = codes_of(m.header.retourcodes);
  v.has_client = m.client.present();
  v.client = codes_of(m.client.retourcodes);
  v.has_antwoord = m.antwoord.present();
  v.antwoord = codes_of(m.antwoord.retourcodes);
  for (const auto& a : m.client.aangevraagd) v.classes.push_back(codes_of(a.retourcodes));
  if (m.client.verzoek.present()) {
    const auto& vz = m.client.verzoek;
    v.classes.push_back(codes_of(vz.retourcodes));
    for (const auto& c : vz.ongewijzigd) v.classes.push_back(codes_of(c.retourcodes));
    for (const auto& c : vz.te_wijzigen) v.classes.push_back(codes_of(c.retourcodes));
    for (const auto& c : vz.nieuw) v.classes.push_back(codes_of(c.retourcodes));
  }
  return v;
}

const Codes ok{"0200"};

/// A received request (315/317 at the gemeente, 319 at a provider): accepted with a valid,
/// header-only retour without RetourCodes.
ingest::Outcome accept(Env& e, const std::string& xml) {
  auto o = e.send(xml);
  INFO(report_text(o));
  REQUIRE(o.accepted);
  auto r = req_retour(e, o);
  CHECK(r.valid);
  CHECK(r.header.empty());
  CHECK_FALSE(r.has_client);
  CHECK_FALSE(r.has_antwoord);
  return o;
}

/// An own message (the gemeente's 301 or 319, a provider's 315/317): accepted, no retour.
ingest::Outcome own(Env& e, const std::string& xml) {
  auto o = e.send(xml);
  INFO(report_text(o));
  REQUIRE(o.accepted);
  CHECK_FALSE(o.quarantined);
  CHECK(o.retour.empty());
  return o;
}

/// A received request rejected at level 3: the retour carries header 0200, the Client (0200)
/// and the class codes, and is valid against our retour schema.
ReqRetour reject(Env& e, const std::string& xml) {
  auto o = e.send(xml);
  INFO(report_text(o));
  CHECK_FALSE(o.accepted);
  CHECK_FALSE(o.quarantined);
  auto r = req_retour(e, o);
  CHECK(r.valid);
  CHECK(r.header == ok);
  CHECK(r.has_client);
  CHECK(r.client == ok);
  return r;
}

/// An own 319 refused before sending: quarantined, no 320, the rule named in the findings.
void refused_own(Env& e, const std::string& xml, std::initializer_list<const char*> rules) {
  const auto before = e.ledger->message_count();
  auto o = e.send(xml, "own319.xml");
  INFO(report_text(o));
  CHECK_FALSE(o.accepted);
  CHECK(o.quarantined);
  CHECK(o.retour.empty());
  CHECK(o.route.rfind("quarantine/own319", 0) == 0);
  CHECK(std::filesystem::exists(e.out() / o.route));
  CHECK(std::filesystem::exists(e.out() / (o.route + ".reason")));
  for (const char* rule : rules) CHECK_MESSAGE(has_rule(o, rule, Severity::error), rule);
  CHECK(e.ledger->message_count() == before + 1);  // its record only, no 320
}

std::size_t answers(Env& e, const std::string& ref, const std::string& agb = P1) {
  return e.ledger->answers_of_reference(agb, ref).size();
}

std::size_t requests(Env& e, const std::string& bsn = C1, const std::string& agb = P1) {
  return e.ledger->requests_of_client(G, agb, bsn).size();
}

/// 300201 of C1 at P1: 01/01A11, 2025-04-01 .. 2025-12-31, Omvang 9 uur per week.
void base(Env& e, std::vector<TPX> more = {}) {
  std::vector<TPX> tps{TPX{}};
  for (auto& t : more) tps.push_back(std::move(t));
  own(e, m301x("A301", tps));
}

}  // namespace

TEST_SUITE("ingest") {

// ---- 315 ----------------------------------------------------------------------------------

TEST_CASE("ingest: 315 accepted - header-only 316, one request per AangevraagdProduct") {
  Env e;
  auto o = e.send(m315("V1", {AP{.ref = "VOT-1"},
                              AP{.ref = "VOT-2", .cat = "02", .code = "", .volume = "",
                                 .budget = "150000"},
                              AP{.ref = "VOT-3", .cat = "03", .code = "", .ingang = "2025-10-01",
                                 .eind = "", .volume = ""}}));
  INFO(report_text(o));
  REQUIRE(o.accepted);
  CHECK_FALSE(o.duplicate);
  auto r = req_retour(e, o);
  CHECK(r.valid);
  CHECK(r.type == model::MessageType::WMO316);
  CHECK(r.berichtcode == "445");
  CHECK(r.afzender == P1);
  CHECK(r.ontvanger == G);
  CHECK(r.identificatie == "V1");
  CHECK(r.dagtekening_retour == "2025-12-01");
  CHECK(r.header.empty());
  CHECK_FALSE(r.has_client);
  CHECK(o.retour.rfind(P1 + "/WMO316/", 0) == 0);
  CHECK(o.route.rfind(G + "/WMO315/", 0) == 0);

  const auto st = e.ledger->requests_of_client(G, P1, C1);
  REQUIRE(st.size() == 3);
  const std::vector<std::string> refs{"VOT-1", "VOT-2", "VOT-3"};
  for (std::size_t i = 0; i < st.size(); ++i) {
    const auto& q = st[i].request;
    CHECK(q.referentie == refs[i]);
    CHECK(q.type == "WMO315");
    CHECK(q.message_id == o.message_id);
    CHECK(q.gemeente == G);
    CHECK(q.agb == P1);
    CHECK(q.bsn == C1);
    CHECK(q.dagtekening == "2025-08-01");
    CHECK(q.identificatie == "V1");
    CHECK(st[i].open());
  }
  // The summary says what was asked for.
  const auto has = [](const std::string& s, const char* part) {
    INFO(s);
    CHECK_MESSAGE(s.find(part) != std::string::npos, part);
  };
  has(st[0].request.summary, "01/01A11");
  has(st[0].request.summary, "2025-09-01");
  has(st[0].request.summary, "2025-12-31");
  has(st[0].request.summary, "omvang 4");
  has(st[1].request.summary, "02");
  has(st[1].request.summary, "budget 150000");
  has(st[2].request.summary, "03");
  has(st[2].request.summary, "2025-10-01");
  CHECK(st[2].request.summary.find("tot en met") == std::string::npos);
}

TEST_CASE("ingest: TR347 a reused ReferentieAanbieder is 9347 on that AangevraagdProduct") {
  Env e;
  accept(e, m315("V1", {AP{.ref = "VOT-1"}}));
  const auto before = e.ledger->request_statuses().size();
  // Another client, so that TR374 (open request of this client) does not apply.
  auto r = reject(e, m315("V2",
                          {AP{.ref = "VOT-2", .cat = "02", .code = "", .volume = "",
                              .budget = "150000"},
                           AP{.ref = "VOT-1"},
                           AP{.ref = "VOT-3", .cat = "03", .code = "", .eind = "", .volume = ""}},
                          C2));
  CHECK(r.type == model::MessageType::WMO316);
  CHECK(r.classes == std::vector<Codes>{ok, Codes{"9347"}, ok});
  // Nothing of the rejected 315 is stored.
  CHECK(requests(e, C2) == 0);
  CHECK(e.ledger->requests_with_reference(P1, "VOT-2").empty());
  CHECK(e.ledger->requests_with_reference(P1, "VOT-3").empty());
  CHECK(e.ledger->requests_with_reference(P1, "VOT-1").size() == 1);
  CHECK(e.ledger->request_statuses().size() == before);

  SUBCASE("the reference of a refused request stays used") {
    own(e, m319("A1", "VOT-1", "1"));
    auto r2 = reject(e, m315("V3", {AP{.ref = "VOT-1"}}));
    CHECK(r2.classes == std::vector<Codes>{Codes{"9347"}});
  }
  SUBCASE("near miss: the same reference from another provider") {
    accept(e, m315("V3", {AP{.ref = "VOT-1"}}, C2, "2025-08-01", P2));
    CHECK(requests(e, C2, P2) == 1);
  }
  SUBCASE("near miss: new references are accepted") {
    accept(e, m315("V3", {AP{.ref = "VOT-2"}, AP{.ref = "VOT-3", .cat = "03", .code = "",
                                                   .eind = "", .volume = ""}},
                   C2));
    CHECK(requests(e, C2) == 2);
  }
}

TEST_CASE("ingest: TR374 no new request while one is open - until a 301 or a refusing 319") {
  Env e;
  accept(e, m315("V1", {AP{.ref = "VOT-1"}}));
  auto r = reject(e, m315("V2", {AP{.ref = "VOT-2"}}));
  CHECK(r.classes == std::vector<Codes>{Codes{"9374"}});
  CHECK(requests(e) == 1);

  SUBCASE("an answer \"in onderzoek\" (319 VerzoekAntwoord 2) keeps it open") {
    own(e, m319("A1", "VOT-1", "2"));
    auto r2 = reject(e, m315("V3", {AP{.ref = "VOT-3"}}));
    CHECK(r2.classes == std::vector<Codes>{Codes{"9374"}});
  }
  SUBCASE("near miss: after a refusing 319 a new request is accepted") {
    own(e, m319("A1", "VOT-1", "1"));
    accept(e, m315("V3", {AP{.ref = "VOT-3"}}));
    CHECK(requests(e) == 2);
  }
  SUBCASE("near miss: after a 301 whose ToegewezenProduct carries the reference") {
    own(e, m301x("T1", {TPX{.ref = "VOT-1", .datum = "2025-08-03", .ingang = "2025-09-01"}}, C1,
                 "2025-08-03"));
    accept(e, m315("V3", {AP{.ref = "VOT-3", .cat = "02", .code = "", .volume = "",
                             .budget = "150000"}}));
    CHECK(requests(e) == 2);
  }
  SUBCASE("near miss: another provider, another client") {
    accept(e, m315("V3", {AP{.ref = "VOT-3"}}, C1, "2025-08-01", P2));
    accept(e, m315("V4", {AP{.ref = "VOT-4"}}, C2));
  }
}

TEST_CASE("ingest: TR374 each AangevraagdProduct is a request - refusing one leaves the other open") {
  Env e;
  accept(e, m315("V1", {AP{.ref = "VOT-1"}, AP{.ref = "VOT-2", .cat = "02", .code = "",
                                               .volume = "", .budget = "150000"}}));
  own(e, m319("A1", "VOT-1", "1"));
  auto r = reject(e, m315("V2", {AP{.ref = "VOT-3"}}));
  CHECK(r.classes == std::vector<Codes>{Codes{"9374"}});
  SUBCASE("near miss: once the second is refused too") {
    own(e, m319("A2", "VOT-2", "1"));
    accept(e, m315("V3", {AP{.ref = "VOT-3"}}));
  }
}

// ---- 317 ----------------------------------------------------------------------------------

TEST_CASE("ingest: 317 accepted - header-only 318, one request - TR374 and TR347 on the Verzoek") {
  Env e;
  base(e);
  auto o = accept(e, m317({.wijzigen = {TW{}}}));
  CHECK(o.retour.rfind(P1 + "/WMO318/", 0) == 0);
  CHECK(req_retour(e, o).berichtcode == "481");
  const auto st = e.ledger->requests_of_client(G, P1, C1);
  REQUIRE(st.size() == 1);
  CHECK(st[0].request.type == "WMO317");
  CHECK(st[0].request.referentie == "VOW-1");
  CHECK(st[0].request.identificatie == "W1");
  CHECK(st[0].request.summary.find("300201") != std::string::npos);
  CHECK(st[0].open());

  SUBCASE("TR374: a second 317 while the first is open") {
    auto r = reject(e, m317({.id = "W2", .ref = "VOW-2", .wijzigen = {TW{}}}));
    CHECK(r.type == model::MessageType::WMO318);
    CHECK(r.classes == std::vector<Codes>{Codes{"9374"}, ok});
  }
  SUBCASE("TR374: a 315 while the 317 is open") {
    auto r = reject(e, m315("V1", {AP{.ref = "VOT-1", .ingang = "2026-01-01",
                                      .eind = "2026-06-30"}}));
    CHECK(r.classes == std::vector<Codes>{Codes{"9374"}});
  }
  SUBCASE("after a refusing 319: the old reference is 9347, a new one is accepted") {
    own(e, m319("A1", "VOW-1", "1"));
    auto r = reject(e, m317({.id = "W2", .ref = "VOW-1", .wijzigen = {TW{}}}));
    CHECK(r.classes == std::vector<Codes>{Codes{"9347"}, ok});
    accept(e, m317({.id = "W3", .ref = "VOW-2", .wijzigen = {TW{}}}));
    CHECK(requests(e) == 2);
  }
}

TEST_CASE("ingest: TR349 every actuele allocation must be listed in a 317 (9349 on the Verzoek)") {
  Env e;
  base(e, {budget_tp()});
  auto r = reject(e, m317({.wijzigen = {TW{}}}));
  CHECK(r.classes == std::vector<Codes>{Codes{"9349"}, ok});
  CHECK(requests(e) == 0);

  SUBCASE("an allocation starting after the Dagtekening is actueel too") {
    own(e, m301x("A2", {TPX{}, budget_tp(),
                        TPX{.nr = "300203", .cat = "03", .code = "", .ingang = "2026-01-01",
                            .eind = "2026-06-30", .volume = ""}}));
    auto r2 = reject(e, m317({.id = "W2", .ongewijzigd = {"300202"}, .wijzigen = {TW{}}}));
    CHECK(r2.classes == std::vector<Codes>{Codes{"9349"}, ok, ok});
    accept(e, m317({.id = "W3", .ongewijzigd = {"300202", "300203"}, .wijzigen = {TW{}}}));
  }
  SUBCASE("near miss: all listed") {
    accept(e, m317({.id = "W2", .ongewijzigd = {"300202"}, .wijzigen = {TW{}}}));
  }
  SUBCASE("near miss: an allocation that ended before the Dagtekening need not be listed") {
    auto ended = budget_tp();
    ended.datum = "2025-06-01";
    ended.eind = "2025-06-30";
    own(e, m301x("A2", {TPX{}, ended}, C1, "2025-06-01"));
    accept(e, m317({.id = "W2", .wijzigen = {TW{}}}));
  }
  SUBCASE("near miss: a deleted allocation need not be listed") {
    auto deleted = budget_tp();
    deleted.datum = "2025-03-25";
    deleted.eind = "2025-04-01";
    deleted.reden = "13";
    own(e, m301x("A2", {TPX{}, deleted}, C1, "2025-03-25"));
    accept(e, m317({.id = "W2", .wijzigen = {TW{}}}));
  }
  SUBCASE("near miss: the client's allocation at another provider need not be listed") {
    own(e, m301x("A2", {budget_tp("300204")}, C1, "2025-03-20", P2));
    accept(e, m317({.id = "W2", .ongewijzigd = {"300202"}, .wijzigen = {TW{}}}));
  }
}

TEST_CASE("ingest: TR350 an OngewijzigdProduct must be an actuele allocation (9350)") {
  Env e;
  SUBCASE("unknown number") {
    base(e);
    auto r = reject(e, m317({.ongewijzigd = {"999999"}, .wijzigen = {TW{}}}));
    CHECK(r.classes == std::vector<Codes>{ok, Codes{"9350"}, ok});
  }
  SUBCASE("an allocation that ended before the Dagtekening") {
    auto ended = budget_tp();
    ended.eind = "2025-06-30";
    base(e, {ended});
    auto r = reject(e, m317({.ongewijzigd = {"300202"}, .wijzigen = {TW{}}}));
    CHECK(r.classes == std::vector<Codes>{ok, Codes{"9350"}, ok});
  }
  SUBCASE("a deleted allocation") {
    base(e, {budget_tp()});
    auto deleted = budget_tp();
    deleted.datum = "2025-03-25";
    deleted.eind = "2025-04-01";
    deleted.reden = "13";
    own(e, m301x("A2", {TPX{}, deleted}, C1, "2025-03-25"));
    auto r = reject(e, m317({.ongewijzigd = {"300202"}, .wijzigen = {TW{}}}));
    CHECK(r.classes == std::vector<Codes>{ok, Codes{"9350"}, ok});
  }
  SUBCASE("near miss: an allocation ending on the Dagtekening (= today) is still actueel") {
    auto last_day = budget_tp();
    last_day.eind = "2025-12-01";
    base(e, {last_day});
    accept(e, m317({.ongewijzigd = {"300202"},
                    .wijzigen = {TW{.gewenst = "2025-12-15"}},
                    .dag = "2025-12-01"}));
  }
  SUBCASE("near miss: an allocation starting after the Dagtekening") {
    base(e, {TPX{.nr = "300203", .cat = "03", .code = "", .ingang = "2026-01-01",
                 .eind = "2026-06-30", .volume = ""}});
    accept(e, m317({.ongewijzigd = {"300203"}, .wijzigen = {TW{}}}));
  }
}

TEST_CASE("ingest: TR351 a TeWijzigenProduct must be an actuele allocation (9351)") {
  Env e;
  SUBCASE("unknown number") {
    base(e);
    auto r = reject(e, m317({.ongewijzigd = {"300201"}, .wijzigen = {TW{.nr = "999999"}}}));
    CHECK(r.classes == std::vector<Codes>{ok, ok, Codes{"9351"}});
  }
  SUBCASE("an allocation that ended before the Dagtekening") {
    auto ended = budget_tp();
    ended.eind = "2025-06-30";
    base(e, {ended});
    auto r = reject(e, m317({.ongewijzigd = {"300201"},
                             .wijzigen = {TW{.nr = "300202", .volume = "", .budget = "100000"}}}));
    CHECK(r.classes == std::vector<Codes>{ok, ok, Codes{"9351"}});
  }
  SUBCASE("near miss: an actuele allocation") {
    base(e, {budget_tp()});
    accept(e, m317({.ongewijzigd = {"300201"},
                    .wijzigen = {TW{.nr = "300202", .gewenst = "2025-04-01", .volume = "",
                                    .budget = "100000"}}}));
  }
}

TEST_CASE("ingest: TR304 the number of another client's allocation is 8187 on that class") {
  Env e;
  base(e);
  own(e, m301x("A2", {TPX{.nr = "300203"}}, C2));
  SUBCASE("TeWijzigenProduct") {
    auto r = reject(e, m317({.ongewijzigd = {"300201"}, .wijzigen = {TW{.nr = "300203"}}}));
    CHECK(r.classes == std::vector<Codes>{ok, ok, Codes{"8187"}});
  }
  SUBCASE("OngewijzigdProduct") {
    auto r = reject(e, m317({.ongewijzigd = {"300203"}, .wijzigen = {TW{}}}));
    CHECK(r.classes == std::vector<Codes>{ok, Codes{"8187"}, ok});
  }
  SUBCASE("near miss: the client the allocation belongs to") {
    accept(e, m317({.id = "W2", .ref = "VOW-2", .wijzigen = {TW{.nr = "300203"}}, .bsn = C2}));
  }
}

TEST_CASE("ingest: TR357 a GewensteIngangsdatum not after the Dagtekening must be the Ingangsdatum") {
  Env e;
  base(e);  // 300201 from 2025-04-01; the 317 is of 2025-08-01
  SUBCASE("before the Dagtekening") {
    auto r = reject(e, m317({.wijzigen = {TW{.gewenst = "2025-07-01"}}}));
    CHECK(r.classes == std::vector<Codes>{ok, Codes{"9357"}});
  }
  SUBCASE("on the Dagtekening") {
    auto r = reject(e, m317({.wijzigen = {TW{.gewenst = "2025-08-01"}}}));
    CHECK(r.classes == std::vector<Codes>{ok, Codes{"9357"}});
  }
  SUBCASE("near miss: equal to the allocation's Ingangsdatum") {
    accept(e, m317({.wijzigen = {TW{.gewenst = "2025-04-01"}}}));
  }
  SUBCASE("near miss: the day after the Dagtekening") {
    accept(e, m317({.wijzigen = {TW{.gewenst = "2025-08-02"}}}));
  }
}

TEST_CASE("ingest: TR373 a change of Budget or of a total (Frequentie 6) starts at the Ingangsdatum") {
  Env e;
  SUBCASE("Budget") {
    base(e, {budget_tp()});
    auto r = reject(e, m317({.ongewijzigd = {"300201"},
                             .wijzigen = {TW{.nr = "300202", .volume = "", .budget = "200000"}}}));
    CHECK(r.classes == std::vector<Codes>{ok, ok, Codes{"9373"}});
    SUBCASE("near miss: from the Ingangsdatum") {
      accept(e, m317({.id = "W2",
                      .ongewijzigd = {"300201"},
                      .wijzigen = {TW{.nr = "300202", .gewenst = "2025-04-01", .volume = "",
                                      .budget = "200000"}}}));
    }
    SUBCASE("near miss: the same Budget, only a later Einddatum") {
      accept(e, m317({.id = "W2",
                      .ongewijzigd = {"300201"},
                      .wijzigen = {TW{.nr = "300202", .eind = "2026-03-31", .volume = "",
                                      .budget = "150000"}}}));
    }
  }
  SUBCASE("a total within the period (Frequentie 6)") {
    own(e, m301x("A1", {TPX{.volume = "100", .freq = "6"}}));
    auto r = reject(e, m317({.wijzigen = {TW{.volume = "120", .freq = "6"}}}));
    CHECK(r.classes == std::vector<Codes>{ok, Codes{"9373"}});
    SUBCASE("near miss: from the Ingangsdatum") {
      accept(e, m317({.id = "W2", .wijzigen = {TW{.gewenst = "2025-04-01", .volume = "120",
                                                  .freq = "6"}}}));
    }
  }
  SUBCASE("near miss: a volume per week may change from a later date") {
    base(e);
    accept(e, m317({.wijzigen = {TW{.volume = "12", .freq = "2"}}}));
  }
}

TEST_CASE("ingest: TR411 a change of an allocation with a product code must give the Omvang") {
  Env e;
  base(e);
  auto r = reject(e, m317({.wijzigen = {TW{.eind = "2026-03-31", .volume = ""}}}));
  CHECK(r.classes == std::vector<Codes>{ok, Codes{"9411"}});
  SUBCASE("near miss: with the Omvang") {
    accept(e, m317({.id = "W2", .wijzigen = {TW{.eind = "2026-03-31"}}}));
  }
}

TEST_CASE("ingest: TR412 TR375 no Omvang on an allocation without product code (9412, no Product 9375)") {
  Env e;
  SUBCASE("Product without Code: 9412") {
    base(e, {budget_tp()});
    auto r = reject(e, m317({.ongewijzigd = {"300201"}, .wijzigen = {TW{.nr = "300202"}}}));
    CHECK(r.classes == std::vector<Codes>{ok, ok, Codes{"9412"}});
    SUBCASE("near miss: without Omvang") {
      accept(e, m317({.id = "W2",
                      .ongewijzigd = {"300201"},
                      .wijzigen = {TW{.nr = "300202", .eind = "2026-03-31", .volume = ""}}}));
    }
  }
  SUBCASE("no Product: 9375") {
    own(e, m301x("A1", {TPX{.cat = "", .code = "", .volume = "", .budget = "150000"}}));
    auto r = reject(e, m317({.wijzigen = {TW{}}}));
    REQUIRE(r.classes.size() == 2);
    CHECK(r.classes[0] == ok);
    // TR375 is the rule for an allocation without Product. (Whether TR412 — "no product code" —
    // applies too is not settled by DOMAIN.md; not asserted.)
    CHECK(std::find(r.classes[1].begin(), r.classes[1].end(), "9375") != r.classes[1].end());
    SUBCASE("near miss: without Omvang") {
      accept(e, m317({.id = "W2", .wijzigen = {TW{.eind = "2026-03-31", .volume = ""}}}));
    }
  }
  // The rules look at allocations ending after 2020-12-31 (or open) only.
  auto ending = [&](const std::string& eind) {
    auto tp = budget_tp("300201");
    tp.datum = "2020-01-01";
    tp.ingang = "2020-01-01";
    tp.eind = eind;
    own(e, m301x("A1", {tp}, C1, "2020-01-01"));
    return m317({.wijzigen = {TW{.gewenst = "2020-12-15", .eind = "2020-12-31"}},
                 .dag = "2020-12-01"});
  };
  SUBCASE("an allocation ending on 2021-01-01: 9412") {
    auto r = reject(e, ending("2021-01-01"));
    CHECK(r.classes == std::vector<Codes>{ok, Codes{"9412"}});
  }
  SUBCASE("near miss: an allocation ending on 2020-12-31") { accept(e, ending("2020-12-31")); }
}

TEST_CASE("ingest: TR361 a NieuwProduct may not overlap an allocation of the same product") {
  Env e;
  SUBCASE("same product code, overlapping an unchanged allocation") {
    base(e);
    auto r = reject(e, m317({.ongewijzigd = {"300201"},
                             .nieuw = {NP{.gewenst = "2025-09-01", .eind = "2025-12-31"}}}));
    CHECK(r.classes == std::vector<Codes>{ok, ok, Codes{"9361"}});
    SUBCASE("near miss: the periods follow each other") {
      accept(e, m317({.id = "W2", .ongewijzigd = {"300201"},
                      .nieuw = {NP{.gewenst = "2026-01-01", .eind = "2026-06-30"}}}));
    }
  }
  SUBCASE("categorie 02 without code overlaps the categorie's allocation") {
    base(e, {budget_tp()});
    auto r = reject(e, m317({.ongewijzigd = {"300201", "300202"},
                             .nieuw = {NP{.cat = "02", .code = "", .gewenst = "2025-09-01",
                                          .eind = "2025-12-31", .volume = "",
                                          .budget = "50000"}}}));
    CHECK(r.classes == std::vector<Codes>{ok, ok, ok, Codes{"9361"}});
  }
  SUBCASE("near miss: categorie 11 may overlap") {
    base(e, {TPX{.nr = "300202", .cat = "11", .code = "", .volume = ""}});
    accept(e, m317({.ongewijzigd = {"300201", "300202"},
                    .nieuw = {NP{.cat = "11", .code = "", .gewenst = "2025-09-01",
                                 .eind = "2025-12-31", .volume = ""}}}));
  }
}

TEST_CASE("ingest: 318 carries the codes on the Verzoek, then each product class in document order") {
  Env e;
  base(e, {budget_tp(), TPX{.nr = "300203", .cat = "03", .code = "", .volume = ""}});
  // 300203 is not listed (Verzoek 9349); 999998 unknown (9350); 999999 unknown (9351); the
  // second NieuwProduct overlaps 300202 (9361).
  auto r = reject(
      e, m317({.ongewijzigd = {"300202", "999998"},
               .wijzigen = {TW{.nr = "999999"}, TW{}},
               .nieuw = {NP{.cat = "05", .code = "", .gewenst = "2025-09-01",
                            .eind = "2025-12-31", .volume = ""},
                         NP{.cat = "02", .code = "", .gewenst = "2025-09-01",
                            .eind = "2025-12-31", .volume = "", .budget = "50000"}}}));
  CHECK(r.type == model::MessageType::WMO318);
  CHECK(r.berichtcode == "481");
  CHECK(r.afzender == P1);
  CHECK(r.classes == std::vector<Codes>{Codes{"9349"}, ok, Codes{"9350"}, Codes{"9351"}, ok, ok,
                                        Codes{"9361"}});
  CHECK(requests(e) == 0);
}

// ---- 319 ----------------------------------------------------------------------------------

TEST_CASE("ingest: an accepted own 319 is recorded as an answer and gets no 320 (side gemeente)") {
  Env e;
  accept(e, m315("V1", {AP{}}));
  auto o = own(e, m319("A1", "VOT-1", "2"));
  CHECK(o.route.rfind(P1 + "/WMO319/", 0) == 0);
  auto a = e.ledger->answers_of_reference(P1, "VOT-1");
  REQUIRE(a.size() == 1);
  CHECK(a[0].verzoek_antwoord == "2");
  CHECK_FALSE(a[0].reden);
  CHECK(a[0].gemeente == G);
  CHECK(a[0].identificatie == "A1");
  CHECK(a[0].dagtekening == "2025-08-05");
  CHECK(a[0].message_id == o.message_id);
  own(e, m319("A2", "VOT-1", "1", "2025-08-20"));
  a = e.ledger->answers_of_reference(P1, "VOT-1");
  REQUIRE(a.size() == 2);
  CHECK(a[1].verzoek_antwoord == "1");
  CHECK(a[1].reden == std::optional<std::string>("4"));
  CHECK_FALSE(std::filesystem::exists(e.out() / G / "WMO320"));
}

TEST_CASE("ingest: TR355 an own 319 for an unknown reference is refused before sending") {
  Env e;
  accept(e, m315("V1", {AP{}}));
  refused_own(e, m319("A1", "VOT-9"), {"TR355"});
  CHECK(answers(e, "VOT-9") == 0);
  SUBCASE("near miss: the request's reference") { own(e, m319("A2", "VOT-1")); }
}

TEST_CASE("ingest: TR359 no 319 after a 301 honoured the request") {
  Env e;
  accept(e, m315("V1", {AP{.ref = "VOT-1"}, AP{.ref = "VOT-2", .cat = "02", .code = "",
                                               .volume = "", .budget = "150000"}}));
  own(e, m301x("T1", {TPX{.ref = "VOT-1", .datum = "2025-08-03", .ingang = "2025-09-01"}}, C1,
               "2025-08-03"));
  refused_own(e, m319("A1", "VOT-1"), {"TR359"});
  CHECK(answers(e, "VOT-1") == 0);
  SUBCASE("near miss: the other requested product, not honoured") { own(e, m319("A2", "VOT-2")); }
}

TEST_CASE("ingest: TR360 in onderzoek (VerzoekAntwoord 2) only as the first answer") {
  Env e;
  accept(e, m315("V1", {AP{}}));
  own(e, m319("A1", "VOT-1", "2"));
  refused_own(e, m319("A2", "VOT-1", "2", "2025-08-10"), {"TR360"});
  CHECK(answers(e, "VOT-1") == 1);
  SUBCASE("near miss: the final refusal after \"in onderzoek\"") {
    own(e, m319("A3", "VOT-1", "1", "2025-08-10"));
    CHECK(answers(e, "VOT-1") == 2);
  }
}

TEST_CASE("ingest: TR365 no 319 after a refusal") {
  Env e;
  accept(e, m315("V1", {AP{}}));
  own(e, m319("A1", "VOT-1", "1"));
  SUBCASE("a second refusal") {
    const auto before = e.ledger->message_count();
    auto o = e.send(m319("A2", "VOT-1", "1", "2025-08-10"));
    CHECK(o.quarantined);
    CHECK(o.retour.empty());
    CHECK(has_rule(o, "TR365", Severity::error));
    CHECK_FALSE(has_rule(o, "TR360", Severity::error));
    CHECK(e.ledger->message_count() == before + 1);
  }
  SUBCASE("\"in onderzoek\" after a refusal: TR360 and TR365") {
    refused_own(e, m319("A2", "VOT-1", "2", "2025-08-10"), {"TR360", "TR365"});
  }
  CHECK(answers(e, "VOT-1") == 1);
}

TEST_CASE("ingest: side aanbieder - a received 319 gets a 320, a rejected one the Antwoord with codes") {
  Env e(ingest::Side::aanbieder);
  own(e, m315("V1", {AP{.ref = "VOT-1"}, AP{.ref = "VOT-2", .cat = "02", .code = "",
                                            .volume = "", .budget = "150000"}}));
  CHECK(requests(e) == 2);
  auto o = e.send(m319("A1", "VOT-1", "2"));
  INFO(report_text(o));
  REQUIRE(o.accepted);
  CHECK(o.route.rfind(P1 + "/WMO319/", 0) == 0);
  CHECK(o.retour.rfind(G + "/WMO320/", 0) == 0);
  auto r = req_retour(e, o);
  CHECK(r.valid);
  CHECK(r.type == model::MessageType::WMO320);
  CHECK(r.berichtcode == "483");
  CHECK(r.afzender == G);
  CHECK(r.ontvanger == P1);
  CHECK(r.header.empty());
  CHECK_FALSE(r.has_antwoord);
  CHECK(answers(e, "VOT-1") == 1);

  // A rejected 319: 320 with header 0200 and the Antwoord copied with the code(s).
  auto rejected = [&](const std::string& xml, const Codes& codes) {
    auto o2 = e.send(xml);
    INFO(report_text(o2));
    CHECK_FALSE(o2.accepted);
    CHECK_FALSE(o2.quarantined);
    auto r2 = req_retour(e, o2);
    CHECK(r2.valid);
    CHECK(r2.type == model::MessageType::WMO320);
    CHECK(r2.header == ok);
    CHECK(r2.has_antwoord);
    CHECK(r2.antwoord == codes);
    CHECK_FALSE(r2.has_client);
  };
  SUBCASE("TR360") {
    rejected(m319("A2", "VOT-1", "2", "2025-08-10"), {"9360"});
    CHECK(answers(e, "VOT-1") == 1);
  }
  SUBCASE("TR355") {
    rejected(m319("A2", "VOT-9", "1"), {"9355"});
    CHECK(answers(e, "VOT-9") == 0);
  }
  SUBCASE("TR365 after a refusal; TR360 and TR365 for \"in onderzoek\" after it") {
    accept(e, m319("A2", "VOT-1", "1", "2025-08-10"));
    rejected(m319("A3", "VOT-1", "1", "2025-08-12"), {"9365"});
    rejected(m319("A4", "VOT-1", "2", "2025-08-12"), {"9360", "9365"});
    CHECK(answers(e, "VOT-1") == 2);
  }
  SUBCASE("TR359 after a received 301 honoured the request") {
    auto o301 = e.send(m301x("T1", {TPX{.ref = "VOT-2", .cat = "02", .code = "",
                                        .datum = "2025-08-03", .ingang = "2025-09-01",
                                        .volume = "", .budget = "150000"}},
                             C1, "2025-08-03"));
    REQUIRE(o301.accepted);
    rejected(m319("A2", "VOT-2", "1", "2025-08-10"), {"9359"});
  }
  SUBCASE("an own 315 refused by a rule is quarantined, no 316") {
    auto o2 = e.send(m315("V2", {AP{.ref = "VOT-3"}}));
    CHECK_FALSE(o2.accepted);
    CHECK(o2.quarantined);
    CHECK(o2.retour.empty());
    CHECK(has_rule(o2, "TR374", Severity::error));
    CHECK(requests(e) == 2);
  }
}

// ---- ledger view and reruns ---------------------------------------------------------------

TEST_CASE("ingest: request_statuses - open until a 301 honours it or a 319 refuses it") {
  Env e;
  accept(e, m315("V1", {AP{.ref = "VOT-1"}, AP{.ref = "VOT-2", .cat = "02", .code = "",
                                               .volume = "", .budget = "150000"}}));
  auto st = e.ledger->request_statuses();
  REQUIRE(st.size() == 2);
  for (const auto& s : st) {
    CHECK(s.open());
    CHECK_FALSE(s.rejected());
    CHECK(s.answers.empty());
    CHECK_FALSE(s.toewijzing_nummer);
  }

  own(e, m319("A1", "VOT-1", "2"));
  st = e.ledger->request_statuses();
  REQUIRE(st.size() == 2);
  CHECK(st[0].request.referentie == "VOT-1");
  CHECK(st[0].answers.size() == 1);
  CHECK(st[0].open());
  CHECK_FALSE(st[0].rejected());

  own(e, m319("A2", "VOT-1", "1", "2025-08-10"));
  own(e, m301x("T1", {TPX{.nr = "300301", .ref = "VOT-2", .cat = "02", .code = "",
                          .datum = "2025-08-12", .ingang = "2025-09-01", .volume = "",
                          .budget = "150000"}},
               C1, "2025-08-12"));
  st = e.ledger->request_statuses();
  REQUIRE(st.size() == 2);
  CHECK(st[0].answers.size() == 2);
  CHECK(st[0].rejected());
  CHECK_FALSE(st[0].open());
  CHECK_FALSE(st[0].toewijzing_nummer);
  CHECK(st[1].request.referentie == "VOT-2");
  CHECK_FALSE(st[1].open());
  CHECK_FALSE(st[1].rejected());
  CHECK(st[1].toewijzing_nummer == std::optional<std::int64_t>(300301));
  CHECK(st[1].allocation_identificatie == "T1");
  CHECK(st[1].allocation_dagtekening == "2025-08-12");

  CHECK(e.ledger->request_statuses(P1).size() == 2);
  CHECK(e.ledger->request_statuses(G).size() == 2);
  CHECK(e.ledger->request_statuses(P2).empty());
  CHECK(e.ledger->requests_of_bsn(C1).size() == 2);
  CHECK(e.ledger->requests_of_bsn(C2).empty());
}

TEST_CASE("ingest: a rerun of the same batch of requests and answers stores nothing twice") {
  Env e;
  const std::vector<std::string> batch{
      m301x("A1", {TPX{}}),                            // own 301
      m315("V1", {AP{.ref = "VOT-1"}}, C2),            // accepted
      m319("Q1", "VOT-1", "2"),                        // own 319, accepted
      m317({.wijzigen = {TW{}}}),                      // accepted
      m315("V2", {AP{.ref = "VOT-2"}}, C2),            // 9374
      m319("Q2", "VOT-9", "1"),                        // own 319 refused: quarantine
  };
  const std::vector<bool> accepted{true, true, true, true, false, false};
  std::vector<ingest::Outcome> first;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    first.push_back(e.send(batch[i], "b" + std::to_string(i) + ".xml"));
    CHECK(first.back().accepted == accepted[i]);
    CHECK_FALSE(first.back().duplicate);
  }
  CHECK(first[5].quarantined);
  const auto messages = e.ledger->message_count();
  const auto statuses = e.ledger->request_statuses();
  REQUIRE(statuses.size() == 2);
  CHECK(answers(e, "VOT-1") == 1);

  e.open();  // a new run on the same ledger and output tree
  for (std::size_t i = 0; i < batch.size(); ++i) {
    CAPTURE(i);
    auto o = e.send(batch[i], "b" + std::to_string(i) + ".xml");
    CHECK(o.duplicate);
    CHECK(o.accepted == accepted[i]);
    CHECK(o.quarantined == first[i].quarantined);  // an own refused message stays quarantined
    CHECK(o.message_id == first[i].message_id);
    CHECK(o.route == first[i].route);
    CHECK(o.retour == first[i].retour);
  }
  CHECK(e.ledger->message_count() == messages);
  CHECK(e.ledger->request_statuses().size() == statuses.size());
  CHECK(answers(e, "VOT-1") == 1);
  CHECK(e.ledger->answers_of_reference(P1, "VOT-9").empty());
  CHECK(requests(e, C1) == 1);
  CHECK(requests(e, C2) == 1);
}

}  // TEST_SUITE
