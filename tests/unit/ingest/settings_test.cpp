// Ingest settings that implement DOMAIN.md [Interpretation]s: taakgericht providers (§4.3
// TR019, --taakgericht) and a rejecting 302 taking the own 301 out of force (§4.1,
// --rejected-301). Each with a trigger and a near miss.
#include <doctest/doctest.h>

#include "core/ledger/ledger.hpp"
#include "ingest_env.hpp"

using namespace istd;
using namespace istd::test;

namespace {

std::string finding_text(const ingest::Outcome& o, std::string_view rule) {
  for (const auto& f : o.result.findings)
    if (f.rule == rule) return f.text;
  return {};
}


// A taakgericht start/stop: no ToewijzingNummer (and no allocation), matched by Product.
SP tsp(std::string begin = "2025-04-03") {
  return SP{.nr = "", .begin = std::move(begin), .toewijzing_ingang = ""};
}
STP tstp(std::string reden, std::string eind, std::string begin = "2025-04-03") {
  return STP{.begin = std::move(begin), .reden = std::move(reden), .eind = std::move(eind),
             .nr = "", .toewijzing_ingang = ""};
}

/// The 302 a provider ledger produces for `xml` (after `before` was received there).
std::string retour_302(const std::vector<std::string>& before, const std::string& xml) {
  Env a(ingest::Side::aanbieder);
  for (const auto& b : before) REQUIRE(a.send(b).accepted);
  auto o = a.send(xml);
  REQUIRE_FALSE(o.retour.empty());
  return read_file(a.out() / o.retour);
}

}  // namespace

TEST_SUITE("ingest") {

TEST_CASE("ingest: taakgericht provider, a start/stop without ToewijzingNummer is keyed by Product") {
  Env e;
  e.taakgericht = {P1};
  e.open();
  accept_clean(e, m305("S1", {tsp()}));
  CHECK(e.ledger->live_starts(P1, G, C1, std::nullopt).size() == 1);

  SUBCASE("TR413: a second pause on the start is 9413") {
    accept_clean(e, m307("T1", {tstp("20", "2025-06-20")}));
    auto o = e.send(m307("T2", {tstp("20", "2025-06-30")}));
    CHECK_FALSE(o.accepted);
    CHECK(e.retour(o).classes.at(0) == Codes{"9413"});
  }
  SUBCASE("TR074 + TR326: the same start twice is 9074 and 9326") {
    auto o = e.send(m305("S2", {tsp()}));
    CHECK(e.retour(o).classes.at(0) == Codes{"9074", "9326"});
  }
  SUBCASE("TR326: a second start (other Begindatum) while the first is current is 9326") {
    auto o = e.send(m305("S2", {tsp("2025-05-01")}));
    CHECK(e.retour(o).classes.at(0) == Codes{"9326"});
  }
  SUBCASE("near miss: a start of another product is another key, accepted") {
    SP other = tsp();
    other.cat = "02";
    other.code = "02A01";
    accept_clean(e, m305("S2", {other}));
  }
  SUBCASE("near miss: after a pause a restart is accepted, then the stop, deletion works") {
    accept_clean(e, m307("T1", {tstp("20", "2025-06-20")}));
    accept_clean(e, m305("S2", {tsp("2025-07-01")}));
    accept_clean(e, m307("T2", {tstp("19", "2025-07-20", "2025-07-01")}));
    STP del = tstp("19", "2025-07-20", "2025-07-01");
    del.status = "3";
    accept_clean(e, m307("T3", {del}));
    CHECK(e.ledger->live_stops(P1, G, C1, std::nullopt).size() == 1);
  }
  SUBCASE("TR069: a stop on another product has no start (9069), no 9019") {
    STP other = tstp("19", "2025-07-20");
    other.cat = "02";
    other.code = "02A01";
    auto o = e.send(m307("T1", {other}));
    CHECK(e.retour(o).classes.at(0) == Codes{"9069"});
  }
}

TEST_CASE("ingest: taakgericht near miss, a provider not in the set still gets 9019") {
  Env e;
  e.taakgericht = {P2};
  e.open();
  auto o = e.send(m305("S1", {tsp()}));
  CHECK_FALSE(o.accepted);
  CHECK(e.retour(o).classes.at(0) == Codes{"9019"});
  auto o2 = e.send(m307("T1", {tstp("20", "2025-06-20")}));
  CHECK(e.retour(o2).classes.at(0) == Codes{"9019", "9069"});
  // The default (no taakgericht providers) is unchanged as well.
  Env d;
  CHECK(d.retour(d.send(m305("S1", {tsp()}))).classes.at(0) == Codes{"9019"});
}

TEST_CASE("ingest: taakgericht provider with a ToewijzingNummer is still checked by TR019") {
  Env e;
  e.taakgericht = {P1};
  e.open();
  auto o = e.send(m305("S1", {SP{}}));  // 300201 was never allocated
  CHECK(e.retour(o).classes.at(0) == Codes{"9019"});
}

TEST_CASE("ingest: a rejecting 302 takes the gemeente's own 301 out of force") {
  // The provider already had 300201 for C1, so the gemeente's A2 (300201 for C2) is 9332 there.
  const std::string a2 = m301("A2", {TP{.datum = "2025-04-10"}}, C2, "2025-04-10");
  const std::string r302 = retour_302({m301("A1", {TP{}})}, a2);
  Env g;
  REQUIRE(g.send(a2).accepted);
  REQUIRE(g.ledger->current_allocation(G, 300201));
  auto o = g.send(r302, "r302.xml");
  CHECK(o.accepted);  // recorded
  CHECK(o.route.rfind(G + "/WMO302/", 0) == 0);
  CHECK(has_rule(o, "REJECTED-301", Severity::warning));
  CHECK(finding_text(o, "REJECTED-301").find("'A2'") != std::string::npos);
  CHECK(finding_text(o, "REJECTED-301").find("300201") != std::string::npos);
  CHECK_FALSE(g.ledger->current_allocation(G, 300201));
  CHECK(g.ledger->allocations_of_client(G, P1, C2).empty());
  CHECK(g.ledger->allocation_history(G, 300201).empty());
  // The finding is stored with the 302's record.
  CHECK(g.ledger->dump().find("REJECTED-301") != std::string::npos);
  // A start on the withdrawn allocation is now 9019.
  auto s = g.send(m305("S1", {SP{}}, P1, C2));
  CHECK(g.retour(s).classes.at(0) == Codes{"9019"});
  // The same 302 again is a duplicate: nothing changes.
  CHECK(g.send(r302, "r302.xml").duplicate);
}

TEST_CASE("ingest: a header-rejecting 302 withdraws only the versions of the 301 it answers") {
  // At the provider, A1 with other content than the first A1 is 9056 (header-only 302).
  const std::string x2 =
      m301("A1", {TP{.datum = "2025-04-10", .eind = "2025-11-30"}}, C1, "2025-04-10");
  const std::string r302 = retour_302({m301("A1", {TP{}})}, x2);
  Env g;
  REQUIRE(g.send(m301("A0", {TP{}})).accepted);
  REQUIRE(g.send(x2).accepted);
  REQUIRE(g.ledger->current_allocation(G, 300201)->einddatum == "2025-11-30");
  auto o = g.send(r302, "r302.xml");
  CHECK(has_rule(o, "REJECTED-301", Severity::warning));
  // The earlier version (from A0) is in force again.
  REQUIRE(g.ledger->current_allocation(G, 300201));
  CHECK(g.ledger->current_allocation(G, 300201)->einddatum == "2025-12-31");
  CHECK(g.ledger->allocation_history(G, 300201).size() == 1);
}

TEST_CASE("ingest: near miss, an accepting 302 changes nothing") {
  const std::string a1 = m301("A1", {TP{}});
  const std::string r302 = retour_302({}, a1);
  Env g;
  REQUIRE(g.send(a1).accepted);
  auto o = g.send(r302, "r302.xml");
  CHECK(o.accepted);
  CHECK_FALSE(has_rule(o, "REJECTED-301", Severity::warning));
  CHECK(g.ledger->current_allocation(G, 300201));
}

TEST_CASE("ingest: --rejected-301 keep leaves the rejected 301 in force") {
  const std::string a2 = m301("A2", {TP{.datum = "2025-04-10"}}, C2, "2025-04-10");
  const std::string r302 = retour_302({m301("A1", {TP{}})}, a2);
  Env g;
  g.rejected_301 = ingest::Rejected301::keep;
  g.open();
  REQUIRE(g.send(a2).accepted);
  auto o = g.send(r302, "r302.xml");
  CHECK(o.accepted);
  CHECK_FALSE(has_rule(o, "REJECTED-301", Severity::warning));
  CHECK(g.ledger->current_allocation(G, 300201));
}

TEST_CASE("ingest: a rejecting 302 for an unknown 301 is recorded with a warning") {
  const std::string a2 = m301("A2", {TP{.datum = "2025-04-10"}}, C2, "2025-04-10");
  const std::string r302 = retour_302({m301("A1", {TP{}})}, a2);
  Env g;
  REQUIRE(g.send(m301("A1", {TP{}})).accepted);  // another 301: stays in force
  auto o = g.send(r302, "r302.xml");
  CHECK(o.accepted);
  CHECK(has_rule(o, "REJECTED-301", Severity::warning));
  CHECK(finding_text(o, "REJECTED-301").find("no such accepted 301") != std::string::npos);
  CHECK(g.ledger->current_allocation(G, 300201));
}

}  // TEST_SUITE
