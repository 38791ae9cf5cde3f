// Jeugdwet flows on the ledger: the pause and stop sequences with JZ588 reasons, the
// woonplaatsbeginsel flow of requests and answers (a JW319 refusing with reden 8 and naming the
// responsible gemeente; the WOONPLAATSBEGINSEL warning) and the GEZAGSDRAGER-MISSING warning
// on a JW301 (docs/ingest.md, "Jeugdwet").
#include <doctest/doctest.h>

#include <string>

#include "core/ingest/timeline.hpp"
#include "core/ledger/ledger.hpp"
#include "ingest_env.hpp"

using namespace istd;
using namespace istd::test;

namespace {

const std::string G2 = "1916";

/// Replaces the first `from` in `x` (which must be there).
void set(std::string& x, const std::string& from, const std::string& to) {
  const auto at = x.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  x.replace(at, from.size(), to);
}


STP jstop(std::string reden, std::string eind, std::string status = "1") {
  return STP{.reden = std::move(reden), .eind = std::move(eind), .status = std::move(status),
             .cat = "45", .code = "45A03"};
}

/// A JW315 from P1 to `gemeente` for `bsn`: one request `ref` of 45/45A03 from 2025-09-01.
/// `gezagsdrager`: the value of GezagsdragerBekend ("" leaves it out).
std::string jw315(const std::string& id, const std::string& ref, const std::string& gemeente = G,
                  const std::string& bsn = C1, const std::string& gezagsdrager = "",
                  const std::string& dag = "2025-08-01") {
  std::string x = to_jw(fill(
      tmpl("wmo315.xml"),
      {{"AGB", P1}, {"GEMEENTE", gemeente}, {"ID", id}, {"DAGTEKENING", dag}, {"BSN", bsn},
       {"PRODUCTS", fill(tmpl("wmo315_aangevraagd_product.xml"),
                         {{"REF", ref}, {"P", kKeep}, {"CATEGORIE", "45"}, {"CODE", "45A03"},
                          {"INGANGSDATUM", "2025-09-01"}, {"EINDDATUM", "2025-12-31"},
                          {"BUDGET", ""}, {"O", kKeep}, {"VOLUME", "4"}, {"EENHEID", "04"},
                          {"FREQUENTIE", "2"}})}}));
  if (!gezagsdrager.empty())
    set(x, "</wmo315:Naam>",
        "</wmo315:Naam>\n\t\t<wmo315:GezagsdragerBekend>" + gezagsdrager +
            "</wmo315:GezagsdragerBekend>");
  return x;
}

/// A JW319 from G to P1 for request `ref` ("" reden: none); `woonplaats` names the responsible
/// gemeente ("" none).
std::string jw319(const std::string& id, const std::string& ref, const std::string& antwoord,
                  const std::string& reden, const std::string& woonplaats = "",
                  const std::string& dag = "2025-08-05") {
  std::string x = to_jw(fill(tmpl("wmo319.xml"), {{"AGB", P1}, {"GEMEENTE", G}, {"ID", id},
                                                  {"DAGTEKENING", dag}, {"REF", ref},
                                                  {"VERZOEKANTWOORD", antwoord},
                                                  {"REDEN", reden}}));
  if (!woonplaats.empty())
    set(x, "</wmo319:Antwoord>",
        "\t<wmo319:Woonplaatsbeginsel><wmo319:Gemeente>" + woonplaats +
            "</wmo319:Gemeente></wmo319:Woonplaatsbeginsel>\n\t</wmo319:Antwoord>");
  return x;
}

/// A JW301 for `bsn` born `born`; `soort` replaces the Soort of its one Relatie; `ref` fills
/// the ToegewezenProduct's ReferentieAanbieder ("" none).
std::string jw301(const std::string& id, const std::string& bsn, const std::string& born,
                  const std::string& soort = "04", const std::string& ref = "",
                  const std::string& dag = "2025-03-20") {
  std::string x = to_jw(m301(id, {kJw}, bsn, dag));
  set(x, "<iwmo:Datum>1942-06-25</iwmo:Datum>", "<iwmo:Datum>" + born + "</iwmo:Datum>");
  set(x, "<wmo301:Soort>04</wmo301:Soort>", "<wmo301:Soort>" + soort + "</wmo301:Soort>");
  if (!ref.empty())
    set(x, "</wmo301:ToewijzingNummer>",
        "</wmo301:ToewijzingNummer>\n\t\t\t\t<wmo301:ReferentieAanbieder>" + ref +
            "</wmo301:ReferentieAanbieder>");
  return x;
}

bool warned(const ingest::Outcome& o, std::string_view rule) {
  return has_rule(o, rule, Severity::warning);
}

}  // namespace

TEST_SUITE("ingest") {
  TEST_CASE("jeugd: a definitive stop (34) after a pause (20) with the same end date is accepted") {
    Env e;
    REQUIRE(e.send(to_jw(m301("A1", {kJw})), "a.xml").accepted);
    REQUIRE(e.send(to_jw(m305("S1", {{.cat = "45", .code = "45A03"}})), "s.xml").accepted);
    REQUIRE(e.send(to_jw(m307("T1", {jstop("20", "2025-06-20")})), "t1.xml").accepted);
    auto t2 = e.send(to_jw(m307("T2", {jstop("34", "2025-06-20")})), "t2.xml");
    INFO(report_text(t2));
    CHECK(t2.accepted);
    CHECK(t2.result.type == model::MessageType::JW307);
    const auto stops = [&] {
      e.ledger->set_standard(model::Standard::ijw);
      return e.live_stops();
    }();
    REQUIRE(stops.size() == 2);
  }

  TEST_CASE("jeugd: a stop ending before the pause's end (35 after 20) is 9414") {
    Env e;
    REQUIRE(e.send(to_jw(m301("A1", {kJw})), "a.xml").accepted);
    REQUIRE(e.send(to_jw(m305("S1", {{.cat = "45", .code = "45A03"}})), "s.xml").accepted);
    REQUIRE(e.send(to_jw(m307("T1", {jstop("20", "2025-06-20")})), "t1.xml").accepted);
    auto t2 = e.send(to_jw(m307("T2", {jstop("35", "2025-06-18")})), "t2.xml");
    CHECK_FALSE(t2.accepted);
    CHECK(has_code(t2, "9414"));
    // Near miss: the same reason on the pause's end date.
    auto t3 = e.send(to_jw(m307("T3", {jstop("35", "2025-06-20")})), "t3.xml");
    CHECK(t3.accepted);
  }

  TEST_CASE("jeugd: one JW307 withdraws a stop 31 and sends 34 instead, in either order") {
    for (bool delete_first : {true, false}) {
      CAPTURE(delete_first);
      Env e;
      REQUIRE(e.send(to_jw(m301("A1", {kJw})), "a.xml").accepted);
      REQUIRE(e.send(to_jw(m305("S1", {{.cat = "45", .code = "45A03"}})), "s.xml").accepted);
      REQUIRE(e.send(to_jw(m307("T1", {jstop("31", "2025-07-17")})), "t1.xml").accepted);
      const auto del = jstop("31", "2025-07-17", "3");
      const auto ins = jstop("34", "2025-07-17", "1");
      auto t2 = e.send(to_jw(m307("T2", delete_first ? std::vector<STP>{del, ins}
                                                     : std::vector<STP>{ins, del})),
                       "t2.xml");
      INFO(report_text(t2));
      CHECK(t2.accepted);
      e.ledger->set_standard(model::Standard::ijw);
      const auto live = e.live_stops();
      REQUIRE(live.size() == 1);
      CHECK(live[0].reden_beeindiging == "34");
    }
  }

  TEST_CASE("jeugd: a refusal naming another gemeente (reden 8) closes the request") {
    Env e;  // the gemeente G: receives the provider's JW315s, sends its own JW319
    auto r1 = e.send(jw315("V1", "R1"), "v1.xml");
    REQUIRE(r1.accepted);
    CHECK(r1.retour.find("JW316") != std::string::npos);
    auto a = e.send(jw319("W1", "R1", "1", "8", G2), "w1.xml");
    INFO(report_text(a));
    REQUIRE(a.accepted);
    CHECK(a.result.findings.empty());
    e.ledger->set_standard(model::Standard::ijw);
    const auto st = e.ledger->requests_of_client(G, P1, C1);
    REQUIRE(st.size() == 1);
    CHECK(st[0].rejected());
    CHECK_FALSE(st[0].open());
    // The refusal is on record with the gemeente it names.
    const auto w = e.ledger->last_woonplaatsbeginsel(P1, C1);
    REQUIRE(w);
    CHECK(w->indicated == G2);
    CHECK(w->gemeente == G);
    CHECK(w->referentie == "R1");
    // R1 is closed: a new JW315 for the client at G is no 9374 (it is a WOONPLAATSBEGINSEL
    // warning: the refusal named 1916).
    auto r2 = e.send(jw315("V2", "R2"), "v2.xml");
    INFO(report_text(r2));
    CHECK(r2.accepted);
    CHECK_FALSE(has_code(r2, "9374"));
    CHECK(warned(r2, "WOONPLAATSBEGINSEL"));
    // After a refusal no further 319 may answer R1 (9360): the gemeente's own second 319 is
    // refused before sending.
    auto a2 = e.send(jw319("W2", "R1", "2", ""), "w2.xml");
    CHECK_FALSE(a2.accepted);
    CHECK(has_code(a2, "9360"));
  }

  TEST_CASE("jeugd: the follow-up request to the named gemeente is no warning") {
    Env e;
    REQUIRE(e.send(jw315("V1", "R1"), "v1.xml").accepted);
    REQUIRE(e.send(jw319("W1", "R1", "1", "8", G2), "w1.xml").accepted);
    auto to_g2 = e.send(jw315("V2", "R2", G2), "v2.xml");
    INFO(report_text(to_g2));
    CHECK(to_g2.accepted);
    CHECK_FALSE(warned(to_g2, "WOONPLAATSBEGINSEL"));
    // The refusal has been acted on: a later request to G (the client moved back) is no warning.
    auto later = e.send(jw315("V3", "R3", G, C1, "", "2025-10-01"), "v3.xml");
    CHECK(later.accepted);
    CHECK_FALSE(warned(later, "WOONPLAATSBEGINSEL"));
    // Near miss of the trigger: another client of the provider is not concerned.
    auto other = e.send(jw315("V4", "R4", G, C2), "v4.xml");
    CHECK(other.accepted);
    CHECK_FALSE(warned(other, "WOONPLAATSBEGINSEL"));
  }

  TEST_CASE("jeugd: the WOONPLAATSBEGINSEL warning can be switched off") {
    Env e;
    REQUIRE(e.send(jw315("V1", "R1"), "v1.xml").accepted);
    REQUIRE(e.send(jw319("W1", "R1", "1", "8", G2), "w1.xml").accepted);
    e.woonplaatsbeginsel_warning = false;
    e.open();
    auto r2 = e.send(jw315("V2", "R2"), "v2.xml");
    CHECK(r2.accepted);
    CHECK_FALSE(warned(r2, "WOONPLAATSBEGINSEL"));
  }

  TEST_CASE("jeugd: the provider answers a second 319 after the refusal with a JW320 9360") {
    Env e(ingest::Side::aanbieder);
    REQUIRE(e.send(jw315("V1", "R1"), "v1.xml").accepted);  // own request, recorded
    auto a = e.send(jw319("W1", "R1", "1", "8", G2), "w1.xml");
    REQUIRE(a.accepted);
    const auto ra = e.retour(a);
    CHECK(ra.valid);
    CHECK(ra.berichtcode == "489");  // JW320
    auto b = e.send(jw319("W2", "R1", "2", ""), "w2.xml");
    CHECK_FALSE(b.accepted);
    CHECK(has_code(b, "9360"));
    const auto rb = e.retour(b);
    CHECK(rb.valid);
    CHECK(rb.berichtcode == "489");
  }

  TEST_CASE("jeugd: GEZAGSDRAGER-MISSING on a JW301 for a child without parent or guardian") {
    Env e;
    // C2, 9 years old on the Dagtekening, one Relatie of Soort 04: the warning. Accepted.
    auto a = e.send(jw301("A1", C2, "2015-06-01"), "a.xml");
    INFO(report_text(a));
    CHECK(a.accepted);
    CHECK(warned(a, "GEZAGSDRAGER-MISSING"));
    // Near misses: the Relatie is a parent (10) or a guardian (11).
    for (const char* soort : {"10", "11"}) {
      Env f;
      auto b = f.send(jw301("A1", C2, "2015-06-01", soort), "b.xml");
      CHECK(b.accepted);
      CHECK_FALSE(warned(b, "GEZAGSDRAGER-MISSING"));
    }
  }

  TEST_CASE("jeugd: GEZAGSDRAGER-MISSING counts age 16 on the Dagtekening") {
    // Dagtekening 2025-03-20: born 2009-03-20 is 16 that day (no warning), born 2009-03-21 is
    // still 15 (warning).
    Env e;
    auto sixteen = e.send(jw301("A1", C1, "2009-03-20"), "a.xml");
    CHECK(sixteen.accepted);
    CHECK_FALSE(warned(sixteen, "GEZAGSDRAGER-MISSING"));
    Env f;
    auto fifteen = f.send(jw301("A1", C1, "2009-03-21"), "b.xml");
    CHECK(fifteen.accepted);
    CHECK(warned(fifteen, "GEZAGSDRAGER-MISSING"));
    // Wmo knows no gezagsdrager rule.
    Env w;
    std::string wmo = m301("A1", {{.cat = "02", .code = "02A01"}}, C2);
    set(wmo, "1942-06-25", "2015-06-01");
    auto wa = w.send(wmo, "w.xml");
    CHECK(wa.accepted);
    CHECK_FALSE(warned(wa, "GEZAGSDRAGER-MISSING"));
  }

  TEST_CASE("jeugd: a JW301 honouring a JW315 with GezagsdragerBekend 1 needs no gezagsdrager") {
    for (const char* bekend : {"1", "2", ""}) {
      CAPTURE(bekend);
      Env e;
      REQUIRE(e.send(jw315("V1", "VOT-K5", G, C2, bekend), "v.xml").accepted);
      auto a = e.send(jw301("A1", C2, "2015-06-01", "04", "VOT-K5", "2025-08-10"), "a.xml");
      INFO(report_text(a));
      CHECK(a.accepted);
      CHECK(warned(a, "GEZAGSDRAGER-MISSING") == (std::string(bekend) != "1"));
      // The request is honoured either way.
      e.ledger->set_standard(model::Standard::ijw);
      CHECK(e.ledger->reference_allocated(P1, "VOT-K5"));
    }
  }

  TEST_CASE("jeugd: the GEZAGSDRAGER-MISSING warning can be switched off") {
    Env e;
    e.gezagsdrager_warning = false;
    e.open();
    auto a = e.send(jw301("A1", C2, "2015-06-01"), "a.xml");
    CHECK(a.accepted);
    CHECK_FALSE(warned(a, "GEZAGSDRAGER-MISSING"));
  }

  TEST_CASE("jeugd: the timeline shows a client's Wmo and Jeugdwet parts apart") {
    Env e;
    REQUIRE(e.send(m301("A1", {{.cat = "02", .code = "02A01"}}), "w.xml").accepted);
    REQUIRE(e.send(to_jw(m301("A1", {kJw})), "j.xml").accepted);  // the same number, Jeugd
    REQUIRE(e.send(to_jw(m305("S1", {{.cat = "45", .code = "45A03"}})), "s.xml").accepted);
    e.ledger->set_standard(model::Standard::iwmo);
    const auto wmo = ingest::build_timeline(*e.ledger, C1, model::Standard::iwmo);
    const auto jeugd = ingest::build_timeline(*e.ledger, C1, model::Standard::ijw);
    CHECK(e.ledger->standard() == model::Standard::iwmo);  // restored
    REQUIRE(wmo.allocations.size() == 1);
    CHECK(wmo.allocations[0].current.categorie == "02");
    CHECK(wmo.allocations[0].starts.empty());
    REQUIRE(jeugd.allocations.size() == 1);
    CHECK(jeugd.allocations[0].current.categorie == "45");
    CHECK(jeugd.allocations[0].starts.size() == 1);
    const auto text = ingest::to_text(wmo, jeugd);
    const auto w = text.find("== Wmo (iWmo 3.2)"), j = text.find("== Jeugdwet (iJw 3.2)");
    REQUIRE(w != std::string::npos);
    REQUIRE(j != std::string::npos);
    CHECK(w < j);
    CHECK(text.find("product 02/02A01") < j);
    CHECK(text.find("product 45/45A03") > j);
    const auto json = ingest::to_json(wmo, jeugd);
    CHECK(json["allocations"].size() == 1);
    CHECK(json["jeugdwet"]["allocations"].size() == 1);
    // A Wmo-only client: no heading, no "jeugdwet" part.
    const auto only = ingest::build_timeline(*e.ledger, C2, model::Standard::ijw);
    CHECK(ingest::to_text(wmo, only).find("==") == std::string::npos);
    CHECK_FALSE(ingest::to_json(wmo, only).contains("jeugdwet"));
  }
}
