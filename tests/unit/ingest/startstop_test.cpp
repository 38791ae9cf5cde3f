// Start/stop rules against the ledger: DOMAIN.md §8.3 scenarios C1–C19, each with a near miss.
#include <doctest/doctest.h>

#include "core/ledger/ledger.hpp"
#include "ingest_env.hpp"

using namespace istd;
using namespace istd::test;

TEST_SUITE("ingest") {

TEST_CASE("ingest: C1 a start on an allocation is accepted and stored live") {
  Env e;
  allocated(e);
  auto o = e.send(m305("S1", {SP{}}));
  REQUIRE(o.accepted);
  auto r = e.retour(o);
  CHECK(r.valid);
  CHECK(r.berichtcode == "419");
  CHECK(r.afzender == P1);
  CHECK(r.header.empty());
  CHECK_FALSE(r.has_client);
  CHECK(r.dagtekening_retour == "2025-12-01");
  CHECK(o.retour.rfind(P1 + "/WMO306/", 0) == 0);
  CHECK(o.route.rfind(G + "/WMO305/", 0) == 0);
  CHECK(e.live_starts() == 1);
}

TEST_CASE("ingest: C2 TR019 a start on an unknown allocation is 9019 and stores nothing") {
  Env e;
  allocated(e);
  auto o = e.send(m305("S1", {SP{.nr = "999999"}}));
  CHECK_FALSE(o.accepted);
  auto r = e.retour(o);
  CHECK(r.valid);
  CHECK(r.header == Codes{"0200"});
  CHECK(r.client == Codes{"0200"});
  REQUIRE(r.classes.size() == 1);
  CHECK(r.classes[0] == Codes{"9019"});
  CHECK(e.ledger->live_starts(P1, G, C1, 999999).empty());
  SUBCASE("near miss: the number written with leading zeros is the same allocation") {
    auto o2 = e.send(m305("S2", {SP{.nr = "0300201"}}));
    CHECK(o2.accepted);
  }
}

TEST_CASE("ingest: C3 TR019 a start on a deleted allocation is 9019") {
  Env e;
  allocated(e);
  SUBCASE("deleted (RedenWijziging 13)") {
    REQUIRE(e.send(m301("A302", {TP{.datum = "2025-03-25", .eind = "2025-04-01", .reden = "13"}},
                        C1, "2025-03-25"))
                .accepted);
    auto o = e.send(m305("S1", {SP{}}));
    CHECK_FALSE(o.accepted);
    CHECK(e.retour(o).classes.at(0) == Codes{"9019"});
  }
  SUBCASE("near miss: a newer version that only shortens it") {
    REQUIRE(e.send(m301("A302", {TP{.datum = "2025-03-25", .eind = "2025-10-31"}}, C1,
                        "2025-03-25"))
                .accepted);
    accept_clean(e, m305("S1", {SP{}}));
  }
}

TEST_CASE("ingest: C4 TR063 deleting a start that was never sent is 9063 (IV028)") {
  Env e;
  allocated(e);
  auto o = e.send(m305("S1", {SP{.status = "3"}}));
  CHECK_FALSE(o.accepted);
  auto r = e.retour(o);
  CHECK(r.valid);
  CHECK(r.header == Codes{"0200"});
  CHECK(r.client == Codes{"0200"});
  CHECK(r.classes.at(0) == Codes{"9063"});
  SUBCASE("near miss: after the start was sent, the deletion is accepted") {
    accept_clean(e, m305("S2", {SP{}}));
    accept_clean(e, m305("S3", {SP{.status = "3"}}));
    CHECK(e.live_starts() == 0);
  }
}

TEST_CASE("ingest: C5 the same start again is 9074 and 9326") {
  Env e;
  allocated(e);
  accept_clean(e, m305("S1", {SP{}}));
  auto o = e.send(m305("S2", {SP{}}));
  CHECK_FALSE(o.accepted);
  CHECK(e.retour(o).classes.at(0) == Codes{"9074", "9326"});
  CHECK(e.live_starts() == 1);
}

TEST_CASE("ingest: C6 TR326 a second start while one is current is 9326") {
  Env e;
  allocated(e);
  accept_clean(e, m305("S1", {SP{}}));
  SUBCASE("no stop in between") {
    auto o = e.send(m305("S2", {SP{.begin = "2025-05-01"}}));
    CHECK_FALSE(o.accepted);
    CHECK(e.retour(o).classes.at(0) == Codes{"9326"});
  }
  SUBCASE("near miss: after a definitive stop a new start is allowed (OP379)") {
    accept_clean(e, m307("T1", {STP{.reden = "19", .eind = "2025-04-30"}}));
    accept_clean(e, m305("S2", {SP{.begin = "2025-05-01"}}));
    CHECK(e.live_starts() == 2);
  }
}

TEST_CASE("ingest: C7 start, pause and restart are accepted and give the intervals") {
  Env e;
  allocated(e);
  accept_clean(e, m305("S1", {SP{}}));
  accept_clean(e, m307("T1", {STP{}}));
  accept_clean(e, m305("S2", {SP{.begin = "2025-07-15"}}));
  auto res = ledger::delivery_intervals(*e.ledger, G, 300201);
  REQUIRE(res);
  std::vector<std::string> got;
  for (const auto& iv : res->intervals)
    got.push_back(std::string(delivery::to_string(iv.state)) + " " + iv.from.to_string() + " " +
                  iv.to.to_string());
  CHECK(got == std::vector<std::string>{
                   "not-started 2025-04-01 2025-04-02", "delivered 2025-04-03 2025-06-20",
                   "paused 2025-06-21 2025-07-14", "delivered 2025-07-15 2025-12-31",
                   "ended 2026-01-01 9999-12-31"});
}

TEST_CASE("ingest: TR326 a restart on or before the previous stop's Einddatum is a warning") {
  Env e;
  allocated(e);
  accept_clean(e, m305("S1", {SP{}}));
  accept_clean(e, m307("T1", {STP{}}));  // pause, Einddatum 2025-06-20
  auto tr326_warnings = [](const ingest::Outcome& o) {
    int n = 0;
    for (const auto& f : o.result.findings)
      if (f.rule == "TR326" && f.severity == Severity::warning) ++n;
    return n;
  };
  SUBCASE("restart on the stop's Einddatum: accepted, with the overlap warning") {
    auto o = e.send(m305("S2", {SP{.begin = "2025-06-20"}}));
    CHECK(o.accepted);
    CHECK(tr326_warnings(o) == 1);
    CHECK(e.retour(o).header.empty());
  }
  SUBCASE("near miss: restart the day after the Einddatum, no warning") {
    auto o = e.send(m305("S2", {SP{.begin = "2025-06-21"}}));
    CHECK(o.accepted);
    CHECK(tr326_warnings(o) == 0);
  }
}

TEST_CASE("ingest: C8 TR069 a stop whose Begindatum matches no start is 9069") {
  Env e;
  allocated(e);
  accept_clean(e, m305("S1", {SP{}}));
  auto o = e.send(m307("T1", {STP{.begin = "2025-04-04"}}));
  CHECK_FALSE(o.accepted);
  auto r = e.retour(o);
  CHECK(r.valid);
  CHECK(r.berichtcode == "421");
  CHECK(r.classes.at(0) == Codes{"9069"});
  SUBCASE("near miss: the start's Begindatum") { accept_clean(e, m307("T2", {STP{}})); }
}

TEST_CASE("ingest: C9 TR413 a second pause on the same start is 9413") {
  Env e;
  allocated(e);
  accept_clean(e, m305("S1", {SP{}}));
  accept_clean(e, m307("T1", {STP{}}));
  SUBCASE("second pause") {
    auto o = e.send(m307("T2", {STP{.eind = "2025-06-25"}}));
    CHECK_FALSE(o.accepted);
    CHECK(e.retour(o).classes.at(0) == Codes{"9413"});
  }
  SUBCASE("near miss: a pause on the restart") {
    accept_clean(e, m305("S2", {SP{.begin = "2025-07-15"}}));
    accept_clean(e, m307("T2", {STP{.begin = "2025-07-15", .eind = "2025-07-30"}}));
  }
}

TEST_CASE("ingest: C10 TR414 a definitive stop after a pause may not end earlier") {
  Env e;
  allocated(e);
  accept_clean(e, m305("S1", {SP{}}));
  accept_clean(e, m307("T1", {STP{}}));
  SUBCASE("same Einddatum: accepted (case 2)") {
    accept_clean(e, m307("T2", {STP{.reden = "23", .eind = "2025-06-20"}}));
    CHECK(e.live_stops().size() == 2);
  }
  SUBCASE("earlier Einddatum: 9414") {
    auto o = e.send(m307("T2", {STP{.reden = "23", .eind = "2025-06-18"}}));
    CHECK_FALSE(o.accepted);
    CHECK(e.retour(o).classes.at(0) == Codes{"9414"});
  }
}

TEST_CASE("ingest: C11 TR415 nothing after a definitive stop") {
  Env e;
  allocated(e);
  accept_clean(e, m305("S1", {SP{}}));
  accept_clean(e, m307("T1", {STP{.reden = "19", .eind = "2025-07-01"}}));
  SUBCASE("a later definitive stop is 9415") {
    auto o = e.send(m307("T2", {STP{.reden = "22", .eind = "2025-07-05"}}));
    CHECK_FALSE(o.accepted);
    CHECK(e.retour(o).classes.at(0) == Codes{"9415"});
  }
  SUBCASE("a pause with an earlier end is 9414 and 9415") {
    auto o = e.send(m307("T2", {STP{.reden = "20", .eind = "2025-06-01"}}));
    CHECK(e.retour(o).classes.at(0) == Codes{"9414", "9415"});
  }
  SUBCASE("near miss: delete the definitive stop first, then the new one is accepted") {
    accept_clean(e, m307("T2", {STP{.reden = "19", .eind = "2025-07-01", .status = "3"},
                          STP{.reden = "22", .eind = "2025-07-05"}}));
  }
}

TEST_CASE("ingest: C12 TR071 a start with a stop cannot be deleted") {
  Env e;
  allocated(e);
  accept_clean(e, m305("S1", {SP{}}));
  accept_clean(e, m307("T1", {STP{}}));
  auto o = e.send(m305("S2", {SP{.status = "3"}}));
  CHECK_FALSE(o.accepted);
  CHECK(e.retour(o).classes.at(0) == Codes{"9071"});
  SUBCASE("near miss: delete the stop first, then the start") {
    accept_clean(e, m307("T2", {STP{.status = "3"}}));
    accept_clean(e, m305("S3", {SP{.status = "3"}}));
    CHECK(e.live_starts() == 0);
  }
}

TEST_CASE("ingest: C13 delete and insert in one 307 work in either document order") {
  for (bool delete_first : {true, false}) {
    CAPTURE(delete_first);
    Env e;
    allocated(e);
    accept_clean(e, m305("S1", {SP{}}));
    accept_clean(e, m307("T1", {STP{.reden = "22", .eind = "2025-06-17"}}));
    STP del{.reden = "22", .eind = "2025-06-17", .status = "3"};
    STP ins{.reden = "19", .eind = "2025-06-17"};
    accept_clean(e, m307("T2", delete_first ? std::vector<STP>{del, ins} : std::vector<STP>{ins, del}));
    auto stops = e.live_stops();
    REQUIRE(stops.size() == 1);
    CHECK(stops[0].reden_beeindiging == "19");
  }
}

TEST_CASE("ingest: C14 one faulty class rejects the whole message") {
  Env e;
  allocated(e);
  auto o = e.send(m305("S1", {SP{}, SP{.nr = "999999"}}));
  CHECK_FALSE(o.accepted);
  auto r = e.retour(o);
  CHECK(r.valid);
  CHECK(r.header == Codes{"0200"});
  CHECK(r.client == Codes{"0200"});
  REQUIRE(r.classes.size() == 2);
  CHECK(r.classes[0] == Codes{"0200"});
  CHECK(r.classes[1] == Codes{"9019"});
  CHECK(e.live_starts() == 0);
  SUBCASE("near miss: the valid class alone is accepted") { accept_clean(e, m305("S2", {SP{}})); }
}

TEST_CASE("ingest: C15 TR056 a reused Identificatie is 9056 - an exact replay is a duplicate") {
  Env e;
  allocated(e);
  const auto first = m305("S1", {SP{}});
  auto o1 = e.send(first);
  REQUIRE(o1.accepted);
  SUBCASE("same Identificatie, other content: header-only 9056") {
    auto o = e.send(m305("S1", {SP{.begin = "2025-04-05", .status = "1"}}, P1, C1, "2025-08-02"));
    CHECK_FALSE(o.accepted);
    CHECK_FALSE(o.duplicate);
    auto r = e.retour(o);
    CHECK(r.valid);
    CHECK(r.header == Codes{"9056"});
    CHECK_FALSE(r.has_client);
  }
  SUBCASE("the same bytes again: duplicate, nothing changes, the first retour is reported") {
    const auto before = e.ledger->message_count();
    auto o = e.send(first);
    CHECK(o.duplicate);
    CHECK(o.accepted);
    CHECK(o.retour == o1.retour);
    CHECK(e.ledger->message_count() == before);
  }
  SUBCASE("near miss: the same Identificatie from another provider is fine") {
    REQUIRE(e.send(m301("A302", {TP{.nr = "300202"}}, C1, "2025-03-20", P2)).accepted);
    auto o = e.send(m305("S1", {SP{.nr = "300202"}}, P2));
    CHECK(o.accepted);
  }
}

TEST_CASE("ingest: C16 TR135 a Dagtekening after today is 8848") {
  Env e;
  allocated(e);
  auto o = e.send(m305("S1", {SP{}}, P1, C1, "2025-12-02"));
  CHECK_FALSE(o.accepted);
  auto r = e.retour(o);
  CHECK(r.valid);
  CHECK(r.header == Codes{"8848"});
  CHECK_FALSE(r.has_client);
  CHECK(e.live_starts() == 0);
  SUBCASE("near miss: today itself") { accept_clean(e, m305("S2", {SP{}}, P1, C1, "2025-12-01")); }
}

TEST_CASE("ingest: C17 TR069 a stop must refer to the last start") {
  Env e;
  allocated(e);
  accept_clean(e, m305("S1", {SP{}}));
  accept_clean(e, m307("T1", {STP{}}));
  accept_clean(e, m305("S2", {SP{.begin = "2025-07-15"}}));
  SUBCASE("stop on the first start: 9069") {
    auto o = e.send(m307("T2", {STP{.reden = "19", .eind = "2025-08-01"}}));
    CHECK_FALSE(o.accepted);
    CHECK(e.retour(o).classes.at(0) == Codes{"9069"});
  }
  SUBCASE("near miss: stop on the restart") {
    accept_clean(e, m307("T2", {STP{.begin = "2025-07-15", .reden = "19", .eind = "2025-08-01"}}));
  }
}

TEST_CASE("ingest: C18 a deleted start's key may be used again") {
  Env e;
  allocated(e);
  accept_clean(e, m305("S1", {SP{}}));
  accept_clean(e, m305("S2", {SP{.status = "3"}}));
  accept_clean(e, m305("S3", {SP{}}));
  CHECK(e.live_starts() == 1);
}

TEST_CASE("ingest: C19 TR019 a start by another provider than the allocation's is 9019") {
  Env e;
  allocated(e);
  auto o = e.send(m305("S1", {SP{}}, P2));
  CHECK_FALSE(o.accepted);
  CHECK(e.retour(o).classes.at(0) == Codes{"9019"});
  SUBCASE("near miss: another client of P1 on that number is also 9019, P1/C1 is fine") {
    REQUIRE(e.send(m301("A302", {TP{.nr = "300203"}}, C2)).accepted);
    auto o2 = e.send(m305("S2", {SP{}}, P1, C2));
    CHECK(e.retour(o2).classes.at(0) == Codes{"9019"});
    accept_clean(e, m305("S3", {SP{}}));
  }
}

TEST_CASE("ingest: TR019 a start without ToewijzingNummer is 9019 and a stop too") {
  Env e;
  allocated(e);
  auto o = e.send(m305("S1", {SP{.nr = ""}}));
  CHECK(e.retour(o).classes.at(0) == Codes{"9019"});
  auto o2 = e.send(m307("T1", {STP{.nr = "999999"}}));
  CHECK(e.retour(o2).classes.at(0) == Codes{"9019", "9069"});
}

TEST_CASE("ingest: TR074 the same stop twice is 9074") {
  Env e;
  allocated(e);
  accept_clean(e, m305("S1", {SP{}}));
  accept_clean(e, m307("T1", {STP{.reden = "19"}}));
  auto o = e.send(m307("T2", {STP{.reden = "19"}}));
  CHECK(e.retour(o).classes.at(0) == Codes{"9074", "9415"});
  SUBCASE("near miss: after deleting it the same stop is accepted again") {
    accept_clean(e, m307("T3", {STP{.reden = "19", .status = "3"}}));
    accept_clean(e, m307("T4", {STP{.reden = "19"}}));
  }
}

TEST_CASE("ingest: TR063 deleting a stop that does not exist is 9063") {
  Env e;
  allocated(e);
  accept_clean(e, m305("S1", {SP{}}));
  accept_clean(e, m307("T1", {STP{}}));
  auto o = e.send(m307("T2", {STP{.eind = "2025-06-21", .status = "3"}}));
  CHECK(e.retour(o).classes.at(0) == Codes{"9063"});
  SUBCASE("near miss: the exact key") { accept_clean(e, m307("T3", {STP{.status = "3"}})); }
}

TEST_CASE("ingest: a level-2 finding gives a header-only 0001 retour with XsltVersie") {
  Env e;
  allocated(e);
  auto o = e.send(m305("S1", {SP{.status = "2"}}));
  CHECK_FALSE(o.accepted);
  CHECK_FALSE(o.quarantined);
  auto r = e.retour(o);
  CHECK(r.valid);
  CHECK(r.header == Codes{"0001"});
  CHECK(r.xslt_versie == "2.10.5");
  CHECK_FALSE(r.has_client);
}

}  // TEST_SUITE
