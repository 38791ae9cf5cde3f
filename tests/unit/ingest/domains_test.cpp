// The ledger per legal domain: iWmo and iJw messages in one ledger never meet. A WMO301 and a
// JW301 with the same ToewijzingNummer are two allocations (no 9332), a JW305 does not find a
// Wmo allocation (9019), an open Wmo request does not block a Jeugd request (no 9374); the
// iJw JZ588 reasons work with the pause/stop rules (9415 after a definitive 31). Reconcile
// judges a JW323 on the Jeugd ledger only (9338 for a Wmo-only number; TR333 and TR318 per
// domain) and the abonnementstarief check never sees Jeugd data.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>

#include "core/ledger/ledger.hpp"
#include "core/reconcile/reconcile.hpp"
#include "ingest_env.hpp"

using namespace istd;
using namespace istd::test;

namespace {

/// A 323 for May 2025 with one line on allocation 300201: `hours` hours (Eenheid 04) of
/// product `cat`/`code` at 25,00 an hour.
std::string m323_hours(const std::string& id, int hours, const std::string& cat,
                       const std::string& code) {
  std::string x = fill(tmpl("wmo323.xml"), {{"AGB", P1}, {"GEMEENTE", G}, {"ID", id},
                                            {"DAGTEKENING", "2025-06-04"}, {"NUMMER", id},
                                            {"BSN", C1}});
  // Only the first Prestatie (REF-A) stays.
  const auto b = x.rfind("<wmo323:Prestatie>", x.find("REF-B"));
  const auto e = x.find("</wmo323:Prestatie>", b) + std::string("</wmo323:Prestatie>").size();
  x.erase(b, e - b);
  const std::string amount = std::to_string(hours * 2500);
  auto set = [&](const std::string& from, const std::string& to) {
    const auto at = x.find(from);
    REQUIRE(at != std::string::npos);
    x.replace(at, from.size(), to);
  };
  set("REF-A", "REF-" + id);
  set("<wmo323:GeleverdVolume>2<", "<wmo323:GeleverdVolume>" + std::to_string(hours) + "<");
  set("<iwmo:Bedrag>5000<", "<iwmo:Bedrag>" + amount + "<");
  set("<iwmo:TotaalBedrag>29000<", "<iwmo:TotaalBedrag>" + amount + "<");
  set("<wmo323:ProductCategorie>01<", "<wmo323:ProductCategorie>" + cat + "<");
  set("<wmo323:ProductCode>01A11<", "<wmo323:ProductCode>" + code + "<");
  return x;
}

/// The same 323 for June 2025 (declaration period, product period, dagtekening in July).
std::string in_june(std::string x) {
  auto replace_all = [&](const std::string& from, const std::string& to) {
    for (auto p = x.find(from); p != std::string::npos; p = x.find(from, p + to.size()))
      x.replace(p, from.size(), to);
  };
  replace_all("2025-05-01", "2025-06-01");
  replace_all("2025-05-31", "2025-06-30");
  replace_all("2025-06-04", "2025-07-04");
  return x;
}

/// reconcile of one month on the Env's ledger (closed first: reconcile writes it itself).
reconcile::Result reconcile_month(Env& e, int month,
                                  std::optional<std::vector<reconcile::BillingLine>> billing = {}) {
  e.ingestor.reset();
  e.ledger.reset();
  reconcile::Options o;
  o.year = 2025;
  o.month = month;
  o.today = model::Date{2025, 7, 31};
  o.billing = std::move(billing);
  return reconcile::run(test::ledger_at(e.dir.path / "ledger.db"), o);
}

/// Declaration-level codes (9333, 8214) of the declaration with this number and standard.
std::vector<std::string> declaratie_codes(const reconcile::Result& r, model::Standard s,
                                          const std::string& nummer) {
  for (const auto& dr : r.declarations)
    if (dr.standard == s && dr.declaration.nummer == nummer) {
      std::vector<std::string> out;
      for (const auto& h : dr.judgement.declaratie_hits) out.push_back(h.code);
      return out;
    }
  FAIL("no declaration " << nummer);
  return {};
}


}  // namespace

TEST_SUITE("ingest") {
  TEST_CASE("ingest: WMO301 and JW301 with the same ToewijzingNummer are two allocations (domains)") {
    Env e;
    auto w = e.send(m301("A1", {kWmo}), "w.xml");
    REQUIRE(w.accepted);
    CHECK(w.result.type == model::MessageType::WMO301);
    auto j = e.send(to_jw(m301("A1", {kJw})), "j.xml");  // same Identificatie: other BerichtCode
    CHECK(j.result.type == model::MessageType::JW301);
    CHECK(j.accepted);
    CHECK_FALSE(has_code(j, "9332"));
    // Near miss: a second JW301 giving the same number to another client is 9332 (TR332).
    auto k = e.send(to_jw(m301("A2", {{.datum = "2025-03-21", .cat = "45", .code = "45A03"}}, C2,
                               "2025-03-21")),
                    "k.xml");
    CHECK_FALSE(k.accepted);
    CHECK(has_code(k, "9332"));
    // Each domain sees its own allocation.
    e.ledger->set_standard(model::Standard::iwmo);
    REQUIRE(e.ledger->current_allocation(G, 300201));
    CHECK(e.ledger->current_allocation(G, 300201)->categorie == "02");
    e.ledger->set_standard(model::Standard::ijw);
    REQUIRE(e.ledger->current_allocation(G, 300201));
    CHECK(e.ledger->current_allocation(G, 300201)->categorie == "45");
  }

  TEST_CASE("ingest: a JW305 does not find a Wmo allocation (9019), a Jeugd one it does") {
    Env e;
    REQUIRE(e.send(m301("A1", {kWmo}), "w.xml").accepted);
    auto s = e.send(to_jw(m305("S1", {{.cat = "45", .code = "45A03"}})), "s.xml");
    CHECK(s.result.type == model::MessageType::JW305);
    CHECK_FALSE(s.accepted);
    CHECK(has_code(s, "9019"));
    CHECK(s.retour.find("JW306") != std::string::npos);
    // The JW306 is a valid iJw message (basisschema elements in the iJw namespace): 439, the
    // header 0200, the StartProduct 9019.
    const auto r = e.retour(s);
    CHECK(r.valid);
    CHECK(r.berichtcode == "439");
    CHECK(r.header == std::vector<std::string>{"0200"});
    REQUIRE(r.classes.size() == 1);
    CHECK(r.classes[0] == std::vector<std::string>{"9019"});
    // Near miss: after the JW301 the same JW305 (new Identificatie) is accepted.
    REQUIRE(e.send(to_jw(m301("A1", {kJw})), "j.xml").accepted);
    auto s2 = e.send(to_jw(m305("S2", {{.cat = "45", .code = "45A03"}})), "s2.xml");
    CHECK(s2.accepted);
    // The Wmo start list of the client stays empty.
    e.ledger->set_standard(model::Standard::iwmo);
    CHECK(e.ledger->live_starts(P1, G, C1, 300201).empty());
    e.ledger->set_standard(model::Standard::ijw);
    CHECK(e.ledger->live_starts(P1, G, C1, 300201).size() == 1);
  }

  TEST_CASE("ingest: JW307 with JZ588 reasons - 31 is definitive, a pause after it is 9415") {
    Env e;
    REQUIRE(e.send(to_jw(m301("A1", {kJw})), "a.xml").accepted);
    REQUIRE(e.send(to_jw(m305("S1", {{.cat = "45", .code = "45A03"}})), "s.xml").accepted);
    STP stop{.reden = "31", .eind = "2025-07-17", .cat = "45", .code = "45A03"};
    auto t1 = e.send(to_jw(m307("T1", {stop})), "t1.xml");
    CHECK(t1.accepted);
    stop.reden = "20";
    stop.eind = "2025-07-20";
    auto t2 = e.send(to_jw(m307("T2", {stop})), "t2.xml");
    CHECK_FALSE(t2.accepted);
    CHECK(has_code(t2, "9415"));
  }

  TEST_CASE("ingest: an open Wmo request does not block a Jeugd request for the client (TR374)") {
    Env e;
    // The gemeente side receives the providers' requests.
    const std::string wmo315 = fill(
        tmpl("wmo315.xml"),
        {{"AGB", P1}, {"GEMEENTE", G}, {"ID", "V1"}, {"DAGTEKENING", "2025-08-01"}, {"BSN", C1},
         {"PRODUCTS", fill(tmpl("wmo315_aangevraagd_product.xml"),
                           {{"REF", "VOT-1"}, {"P", kKeep}, {"CATEGORIE", "02"},
                            {"CODE", "02A01"}, {"INGANGSDATUM", "2025-09-01"},
                            {"EINDDATUM", "2025-12-31"}, {"BUDGET", ""}, {"O", kKeep},
                            {"VOLUME", "4"}, {"EENHEID", "04"}, {"FREQUENTIE", "2"}})}});
    REQUIRE(e.send(wmo315, "v1.xml").accepted);
    // Near miss first: a second Wmo request for the client while the first is open is 9374.
    std::string w2 = wmo315;
    w2.replace(w2.find("VOT-1"), 5, "VOT-2");
    w2.replace(w2.find(">V1<"), 4, ">V2<");
    auto again = e.send(w2, "v2.xml");
    CHECK_FALSE(again.accepted);
    CHECK(has_code(again, "9374"));
    std::string jw = to_jw(wmo315);
    for (auto [from, to] : {std::pair{">02<", ">45<"}, {">02A01<", ">45A03<"}, {">V1<", ">J1<"},
                            {"VOT-1", "VOT-J1"}})
      jw.replace(jw.find(from), std::string(from).size(), to);
    auto j = e.send(jw, "j1.xml");
    CHECK(j.result.type == model::MessageType::JW315);
    CHECK(j.accepted);
    CHECK_FALSE(has_code(j, "9374"));
    CHECK(j.retour.find("JW316") != std::string::npos);
  }

  TEST_CASE("reconcile: a JW323 is judged on the Jeugd ledger and answered with a JW325") {
    Env e;
    const auto jw323 = read_file(std::filesystem::path(ISTD_SOURCE_DIR) / "fixtures" /
                                 "messages-ijw" / "JW323-declaratie-mei-2025.xml");
    auto d = e.send(jw323, "d.xml");
    CHECK(d.result.type == model::MessageType::JW323);
    REQUIRE(d.accepted);
    e.ingestor.reset();  // reconcile writes the ledger itself
    e.ledger.reset();
    reconcile::Options o;
    o.year = 2025;
    o.month = 5;
    o.jw_xsd_basis = o.jw_xsd_bericht = "0.1.0";
    o.today = model::Date{2025, 6, 30};
    const auto r = reconcile::run(test::ledger_at(e.dir.path / "ledger.db"), o);
    REQUIRE(r.declarations.size() == 1);
    const auto& dr = r.declarations[0];
    CHECK(dr.standard == model::Standard::ijw);
    CHECK(dr.judged_now);
    // No Jeugd allocation is known: every line is rejected (the allocation is missing).
    for (const auto& l : dr.judgement.lines) CHECK_FALSE(l.approved);
    auto v = e.validator->validate(dr.bytes_325, "jw325.xml");
    INFO(dr.bytes_325);
    CHECK(v.xsd_valid);
    CHECK(v.valid());
    CHECK(v.type == model::MessageType::JW325);
    CHECK(dr.bytes_325.find("<jw325:BerichtCode>491<") != std::string::npos);
    // Jeugd has no abonnementstarief: nothing of it reaches that check.
    CHECK(r.at.findings.empty());
    // A second run reports the stored answer, judges nothing again.
    const auto r2 = reconcile::run(test::ledger_at(e.dir.path / "ledger.db"), o);
    REQUIRE(r2.declarations.size() == 1);
    CHECK_FALSE(r2.declarations[0].judged_now);
    CHECK(r2.declarations[0].bytes_325 == dr.bytes_325);
  }

  TEST_CASE("reconcile: TR321 in iJw has no household-help allowance (9321 where Wmo 01 passes)") {
    // 9 hours a week from 1 April; May 2025 touches 5 calendar weeks: at most 45 hours. A Wmo
    // category-01 allocation may claim up to 6 x 9 = 54 hours a month; iJw has no such rule.
    Env e;
    const TP wmo01{.cat = "01", .code = "01A11"};
    REQUIRE(e.send(m301("A1", {wmo01}), "a.xml").accepted);
    REQUIRE(e.send(to_jw(m301("A1", {kJw})), "ja.xml").accepted);
    REQUIRE(e.send(m305("S1", {{.cat = "01", .code = "01A11"}}), "s.xml").accepted);
    REQUIRE(e.send(to_jw(m305("S1", {{.cat = "45", .code = "45A03"}})), "js.xml").accepted);
    REQUIRE(e.send(m323_hours("D1", 46, "01", "01A11"), "d.xml").accepted);
    REQUIRE(e.send(to_jw(m323_hours("D1", 46, "45", "45A03")), "jd.xml").accepted);
    REQUIRE(e.send(to_jw(m323_hours("D2", 45, "45", "45A03")), "jd2.xml").accepted);
    const auto r = reconcile_month(e, 5);
    REQUIRE(r.declarations.size() == 3);
    std::map<std::string, std::vector<std::string>> codes;  // "<standard>:<nummer>" -> line codes
    for (const auto& dr : r.declarations) {
      REQUIRE(dr.judgement.lines.size() == 1);
      codes[std::string(model::standard_key(dr.standard)) + ":" +
            dr.declaration.nummer] = dr.judgement.lines[0].codes();
      CHECK(dr.judgement.lines[0].approved == dr.judgement.lines[0].codes().empty());
    }
    CHECK(codes["wmo:D1"].empty());                                  // 46 <= 54 (category 01)
    // 46 > 45; and no 8021: REF-D1 of the Wmo claim is another domain's ReferentieNummer (TR314).
    CHECK(codes["jw:D1"] == std::vector<std::string>{"9321"});
    CHECK(codes["jw:D2"].empty());                                   // near miss: 45
  }

  TEST_CASE("reconcile: a JW323 line on a number that is only a Wmo allocation is 9338") {
    // C1 is a Jeugd client too (allocation 300202), so the line is judged (no 8187/0233).
    Env e;
    REQUIRE(e.send(m301("A1", {kWmo}), "a.xml").accepted);
    REQUIRE(e.send(m305("S1", {{.cat = "02", .code = "02A01"}}), "s.xml").accepted);
    REQUIRE(e.send(to_jw(m301("A2", {{.nr = "300202", .cat = "45", .code = "45A03"}})), "j.xml")
                .accepted);
    REQUIRE(e.send(to_jw(m323_hours("D1", 4, "45", "45A03")), "jd.xml").accepted);
    REQUIRE(e.send(m323_hours("D2", 4, "02", "02A01"), "d.xml").accepted);  // near miss
    const auto r = reconcile_month(e, 5);
    REQUIRE(r.declarations.size() == 2);
    for (const auto& dr : r.declarations) {
      REQUIRE(dr.judgement.lines.size() == 1);
      const auto codes = dr.judgement.lines[0].codes();
      INFO(model::standard_key(dr.standard) << ": " << fmt::format("{}", fmt::join(codes, " ")));
      if (dr.standard == model::Standard::ijw)
        CHECK(std::find(codes.begin(), codes.end(), "9338") != codes.end());
      else
        CHECK(codes.empty());
    }
  }

  TEST_CASE("reconcile: DeclaratieNummer (TR333) and claim periods (TR318) are per domain") {
    // A Wmo claim D1 for June is answered first; then a Jeugd claim D1 for May: neither 9333
    // (the number is the Wmo one's) nor 8214 (May is before the last Wmo period, June).
    Env e;
    REQUIRE(e.send(to_jw(m301("A1", {kJw})), "ja.xml").accepted);
    REQUIRE(e.send(in_june(m323_hours("D1", 4, "02", "02A01")), "d.xml").accepted);
    const auto june = reconcile_month(e, 6);
    REQUIRE(june.declarations.size() == 1);
    CHECK(declaratie_codes(june, model::Standard::iwmo, "D1").empty());
    e.open();
    REQUIRE(e.send(to_jw(m323_hours("D1", 4, "45", "45A03")), "jd.xml").accepted);
    // Near misses in Wmo: the same number again is 9333, a May claim after June is 8214.
    std::string again = m323_hours("D4", 4, "02", "02A01");
    again.replace(again.find("DeclaratieNummer>D4<"), 20, "DeclaratieNummer>D1<");
    REQUIRE(e.send(again, "d4.xml").accepted);
    REQUIRE(e.send(m323_hours("D3", 4, "02", "02A01"), "d3.xml").accepted);
    const auto may = reconcile_month(e, 5);
    REQUIRE(may.declarations.size() == 3);
    CHECK(declaratie_codes(may, model::Standard::ijw, "D1").empty());
    const auto wmo_d1 = declaratie_codes(may, model::Standard::iwmo, "D1");
    CHECK(std::find(wmo_d1.begin(), wmo_d1.end(), "9333") != wmo_d1.end());
    CHECK(declaratie_codes(may, model::Standard::iwmo, "D3") == std::vector<std::string>{"8214"});
  }

  TEST_CASE("reconcile: the abonnementstarief check does not see Jeugd allocations") {
    // C1 has only a Jeugd allocation and start; a CAK billing line for C1 in June is judged on
    // the Wmo side alone: no allocation.
    Env e;
    REQUIRE(e.send(to_jw(m301("A1", {kJw})), "ja.xml").accepted);
    REQUIRE(e.send(to_jw(m305("S1", {{.cat = "45", .code = "45A03"}})), "js.xml").accepted);
    std::vector<reconcile::BillingLine> billing{{.bsn = C1, .year = 2025, .month = 6,
                                                 .amount = 2100, .household = "", .line = 2}};
    const auto r = reconcile_month(e, 6, billing);
    REQUIRE(r.at.findings.size() == 1);
    CHECK(r.at.findings[0].reason == "no-allocation");
  }

  TEST_CASE("reconcile: a Jeugd month tariff (Eenheid 82, Frequentie 4) ends with the allocation") {
    // Category 48, one unit a month, 2025-04-08 .. 2025-06-17. May and June (up to the 17th)
    // each allow one unit; a June line to the end of the month runs past the allocation (9308)
    // and ends on the wrong day for its product period (9388).
    auto run = [](const std::string& june_end) {
      Env e;
      std::string a = to_jw(
          m301("A1", {{.ingang = "2025-04-08", .eind = "2025-06-17", .cat = "48", .code = "48A01"}}));
      for (auto [from, to] : {std::pair{"<iwmo:Volume>9<", "<iwmo:Volume>1<"},
                              {"<iwmo:Eenheid>04<", "<iwmo:Eenheid>82<"},
                              {"<iwmo:Frequentie>2<", "<iwmo:Frequentie>4<"}})
        a.replace(a.find(from), std::string(from).size(), to);
      REQUIRE(e.send(a, "a.xml").accepted);
      REQUIRE(e.send(to_jw(m305("S1", {{.begin = "2025-04-08", .cat = "48", .code = "48A01",
                                        .toewijzing_ingang = "2025-04-08"}})),
                     "s.xml")
                  .accepted);
      // One unit of 48/48A01 in `month` (YYYY-MM), product period from the 1st to `end`.
      auto line = [](const std::string& id, const std::string& month, const std::string& end) {
        std::string x = to_jw(m323_hours(id, 1, "48", "48A01"));
        x.replace(x.find("<wmo323:Eenheid>04<"), 19, "<wmo323:Eenheid>82<");
        const std::string last = month == "2025-05" ? "2025-05-31" : "2025-06-30";
        // The declaration period comes first, then the product period.
        x.replace(x.find("2025-05-01"), 10, month + "-01");
        x.replace(x.find("2025-05-31"), 10, last);
        x.replace(x.find("2025-05-01"), 10, month + "-01");
        x.replace(x.find("2025-05-31"), 10, end);
        if (month == "2025-06")  // sent after the month: both Dagtekeningen in July
          for (auto p = x.find("2025-06-04"); p != std::string::npos; p = x.find("2025-06-04"))
            x.replace(p, 10, "2025-07-04");
        return x;
      };
      REQUIRE(e.send(line("D5", "2025-05", "2025-05-31"), "d5.xml").accepted);
      REQUIRE(e.send(line("D6", "2025-06", june_end), "d6.xml").accepted);
      std::map<std::string, std::vector<std::string>> codes;
      for (int month : {5, 6}) {
        const auto r = reconcile_month(e, month);
        for (const auto& dr : r.declarations) {
          REQUIRE(dr.judgement.lines.size() == 1);
          codes[dr.declaration.nummer] = dr.judgement.lines[0].codes();
        }
        e.open();
      }
      return codes;
    };
    auto ok = run("2025-06-17");
    CHECK(ok["D5"].empty());
    CHECK(ok["D6"].empty());
    auto late = run("2025-06-30");
    CHECK(late["D5"].empty());
    CHECK(late["D6"] == std::vector<std::string>{"9308", "9388"});
  }

  TEST_CASE("ledger: an allocation is found only in its own legal domain") {
    TempDir d;
    const auto db = test::ledger_at(d.path / "l.db");
    {
      ledger::Ledger l(db);
      auto tx = l.begin();
      ledger::NewMessage n;
      n.type = "WMO301";
      n.identificatie = "A1";
      n.bytes = "<a/>";
      n.route_path = "x/a.xml";
      const auto id = l.add_message(n);
      ledger::AllocationVersion v;
      v.message_id = id;
      v.gemeente = G;
      v.toewijzing_nummer = 7;
      v.toewijzingsdatum = "2025-01-01";
      v.toewijzingstijd = "10:00:00";
      v.bsn = C1;
      v.agb = P1;
      v.ingangsdatum = "2025-01-01";
      l.add_allocation_version(v);
      tx.commit();
    }
    ledger::Ledger l(db);
    CHECK(l.current_allocation(G, 7));  // iWmo until set
    l.set_standard(model::Standard::ijw);
    CHECK_FALSE(l.current_allocation(G, 7));
  }
}
