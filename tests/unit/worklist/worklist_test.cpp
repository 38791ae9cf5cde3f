// The worklist (core/worklist): every item kind with a trigger and a near miss, and items that
// disappear when the settling message is ingested (through a real ledger).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/worklist/render.hpp"
#include "core/worklist/worklist.hpp"
#include "ingest/ingest_env.hpp"

using namespace istd;
using namespace istd::test;
using istd::delivery::Interval;
using istd::delivery::State;
using istd::model::Date;

namespace {

Date d(const char* s) { return *model::parse_date(s); }

worklist::AllocationFacts alloc(const char* ingang, const char* eind = nullptr) {
  worklist::AllocationFacts a;
  a.gemeente = G;
  a.agb = P1;
  a.bsn = C1;
  a.nummer = 300201;
  a.ingangsdatum = d(ingang);
  if (eind) a.einddatum = d(eind);
  a.evidence = "WMO301:A301";
  return a;
}

Interval iv(State s, const char* from, const char* to, std::vector<std::string> ev = {}) {
  return Interval{s, d(from), to ? d(to) : delivery::kForever, std::move(ev)};
}

worklist::MessageFacts msg(const char* type, const char* id, const char* dag,
                           const std::string& afz = G, const std::string& ont = P1) {
  worklist::MessageFacts m;
  m.type = type;
  m.identificatie = id;
  m.dagtekening = dag;
  m.afzender = afz;
  m.ontvanger = ont;
  m.judged = true;
  return m;
}

std::vector<worklist::Item> items(const worklist::Input& in, const char* today,
                                  const std::string& party = "") {
  worklist::Options o;
  o.today = d(today);
  o.party = party;
  return worklist::build(in, o).items;
}

std::vector<std::string> kinds_of(const std::vector<worklist::Item>& v) {
  std::vector<std::string> k;
  for (const auto& i : v) k.push_back(i.kind);
  return k;
}

}  // namespace

TEST_SUITE("worklist") {
  TEST_CASE("worklist: start-missing after 5 working days, not on the 5th") {
    worklist::Input in;
    in.allocations.push_back(alloc("2025-04-01", "2025-12-31"));
    in.messages.push_back(msg("WMO301", "A301", "2025-03-20"));
    in.messages.back().answered = true;  // its 302 is not the point here
    // 2025-04-01 is a Tuesday: 5 working days later is Tuesday 2025-04-08.
    CHECK(items(in, "2025-04-08").empty());
    auto v = items(in, "2025-04-09");
    REQUIRE(v.size() == 1);
    CHECK(v[0].kind == "start-missing");
    CHECK(v[0].party == P1);
    CHECK(v[0].party_role == "aanbieder");
    CHECK(v[0].due == d("2025-04-08"));
    CHECK(v[0].overdue_working_days == 1);
    CHECK(v[0].awaited == "WMO305");
    REQUIRE(v[0].evidence.size() == 1);
    CHECK(v[0].evidence[0].message == "WMO301:A301");
    CHECK(v[0].evidence[0].date == "2025-03-20");
    // Over Easter 2025 (Good Friday counts, Easter Monday does not): from Thursday 17 April,
    // the 5th working day is Friday 25 April.
    in.allocations[0].ingangsdatum = d("2025-04-17");
    CHECK(items(in, "2025-04-25").empty());
    CHECK(items(in, "2025-04-28").size() == 1);
    // A live start (any delivered interval) settles it.
    in.allocations[0].intervals = {iv(State::delivered, "2025-04-20", "2025-12-31")};
    CHECK(items(in, "2025-06-01").empty());
  }

  TEST_CASE("worklist: a retroactive 301 counts the start term from its Dagtekening") {
    worklist::Input in;
    in.allocations.push_back(alloc("2025-03-01"));
    in.messages.push_back(msg("WMO301", "A301", "2025-05-05"));  // 5 May: a holiday
    in.messages.back().answered = true;
    // 5 working days after Monday 5 May 2025: Monday 12 May.
    CHECK(items(in, "2025-05-12").empty());
    auto v = items(in, "2025-05-13");
    REQUIRE(v.size() == 1);
    CHECK(v[0].since == d("2025-05-05"));
    CHECK(v[0].due == d("2025-05-12"));
  }

  TEST_CASE("worklist: the policy's start_overdue_days changes the term") {
    worklist::Input in;
    in.allocations.push_back(alloc("2025-04-01"));
    worklist::Options o;
    o.today = d("2025-04-04");
    CHECK(worklist::build(in, o).items.empty());
    o.policy.start_overdue_days = 2;
    CHECK(kinds_of(worklist::build(in, o).items) == std::vector<std::string>{"start-missing"});
  }

  TEST_CASE("worklist: stop-missing 5 working days after the Einddatum while delivery is open") {
    worklist::Input in;
    auto a = alloc("2025-04-01", "2025-06-30");
    a.intervals = {iv(State::delivered, "2025-04-03", "2025-06-30", {"WMO305:S1"}),
                   iv(State::ended, "2025-07-01", nullptr)};
    in.allocations.push_back(a);
    // Monday 30 June 2025 + 5 working days = Monday 7 July.
    CHECK(items(in, "2025-07-07").empty());
    auto v = items(in, "2025-07-08");
    REQUIRE(v.size() == 1);
    CHECK(v[0].kind == "stop-missing");
    CHECK(v[0].awaited == "WMO307");
    CHECK(v[0].due == d("2025-07-07"));
    CHECK(v[0].evidence.size() == 2);
    // A definitive stop before the end settles it.
    in.allocations[0].intervals = {iv(State::delivered, "2025-04-03", "2025-06-20"),
                                   iv(State::stopped, "2025-06-21", "2025-06-30"),
                                   iv(State::ended, "2025-07-01", nullptr)};
    CHECK(items(in, "2025-08-01").empty());
  }

  TEST_CASE("worklist: pause-open after 30 days without restart or definitive stop") {
    worklist::Input in;
    auto a = alloc("2025-04-01", "2025-12-31");
    a.intervals = {iv(State::delivered, "2025-04-03", "2025-05-09", {"WMO305:S1"}),
                   iv(State::paused, "2025-05-10", "2025-12-31", {"WMO305:S1", "WMO307:P1"})};
    in.allocations.push_back(a);
    // Paused since 10 May: followed up from 9 June (+30 days), overdue from the next working day.
    CHECK(items(in, "2025-06-09").empty());
    auto v = items(in, "2025-06-10");
    REQUIRE(v.size() == 1);
    CHECK(v[0].kind == "pause-open");
    CHECK(v[0].since == d("2025-05-10"));
    CHECK(v[0].due == d("2025-06-09"));
    // A restart settles it.
    in.allocations[0].intervals.back().to = d("2025-06-01");
    in.allocations[0].intervals.push_back(iv(State::delivered, "2025-06-02", "2025-12-31"));
    CHECK(items(in, "2025-07-01").empty());
    // So does a definitive stop.
    in.allocations[0].intervals.back() = iv(State::stopped, "2025-06-02", "2025-12-31");
    CHECK(items(in, "2025-07-01").empty());
  }

  TEST_CASE("worklist: retour-missing after 3 working days (302/306/308) and 10 (325)") {
    worklist::Input in;
    in.messages.push_back(msg("WMO301", "A301", "2025-12-23"));  // a Tuesday before Christmas
    // 3 working days: 24 December, 29 December, 30 December.
    CHECK(items(in, "2025-12-30").empty());
    auto v = items(in, "2025-12-31");
    REQUIRE(v.size() == 1);
    CHECK(v[0].kind == "retour-missing");
    CHECK(v[0].party == P1);  // the 301's receiver answers
    CHECK(v[0].party_role == "aanbieder");
    CHECK(v[0].awaited == "WMO302");
    // A received 302 (it copies the 301's header) settles it.
    auto r = msg("WMO302", "A301", "2025-12-23");
    in.messages.push_back(r);
    CHECK(items(in, "2026-02-01").empty());
    // A 323 of P1 to G: the municipality owes a 325 within 10 working days.
    worklist::Input c;
    c.messages.push_back(msg("WMO323", "D1", "2025-07-02", P1, G));
    CHECK(items(c, "2025-07-16").empty());
    v = items(c, "2025-07-17");
    REQUIRE(v.size() == 1);
    CHECK(v[0].party == G);
    CHECK(v[0].party_role == "gemeente");
    CHECK(v[0].awaited == "WMO325");
    c.messages[0].answered = true;  // istd reconcile made its 325
    CHECK(items(c, "2025-08-01").empty());
    // Quarantined messages are never sent on: no retour is owed.
    c.messages[0].answered = false;
    c.messages[0].quarantined = true;
    CHECK(items(c, "2025-08-01").empty());
  }

  TEST_CASE("worklist: request-open 5 working days after a 315/317 - 8 weeks when in onderzoek") {
    worklist::Input in;
    worklist::RequestFacts r;
    r.type = "WMO315";
    r.gemeente = G;
    r.agb = P1;
    r.bsn = C1;
    r.referentie = "REF-1";
    r.identificatie = "V1";
    r.dagtekening = "2025-04-23";  // a Wednesday; King's Day (26 April 2025) is a Saturday
    r.summary = "toewijzing gevraagd: 01/01A11 vanaf 2025-05-01";
    r.open = true;
    in.requests.push_back(r);
    // 5 working days: 24, 25, 28, 29, 30 April; overdue from 1 May.
    CHECK(items(in, "2025-04-30").empty());
    auto v = items(in, "2025-05-01");
    REQUIRE(v.size() == 1);
    CHECK(v[0].kind == "request-open");
    CHECK(v[0].party == G);
    CHECK(v[0].party_role == "gemeente");
    CHECK(v[0].awaited == "WMO301 or WMO319");
    CHECK(v[0].due == d("2025-04-30"));
    CHECK(v[0].detail.find("REF-1") != std::string::npos);
    // Answered "in onderzoek": the final answer is due 8 weeks after the request.
    in.requests[0].in_onderzoek = "2025-04-25";
    in.requests[0].answer_identificatie = "A1";
    CHECK(items(in, "2025-06-18").empty());
    v = items(in, "2025-06-19");
    REQUIRE(v.size() == 1);
    CHECK(v[0].due == d("2025-06-18"));
    CHECK(v[0].evidence.size() == 2);
    // Honoured by a 301 or refused by a 319: nothing is owed.
    in.requests[0].open = false;
    CHECK(items(in, "2025-12-01").empty());
  }

  TEST_CASE("worklist: a 319 is answered by the provider with a 320") {
    worklist::Input in;
    in.messages.push_back(msg("WMO319", "A319", "2025-06-02"));
    auto v = items(in, "2025-06-06");
    REQUIRE(v.size() == 1);
    CHECK(v[0].party == P1);
    CHECK(v[0].party_role == "aanbieder");
    CHECK(v[0].awaited == "WMO320");
    in.messages.push_back(msg("WMO320", "A319", "2025-06-02"));
    CHECK(items(in, "2025-07-01").empty());
  }

  TEST_CASE("worklist: --party keeps one party's items - the most overdue come first") {
    worklist::Input in;
    in.messages.push_back(msg("WMO301", "A1", "2025-03-03"));
    in.messages.push_back(msg("WMO301", "A2", "2025-05-01", G, P2));
    in.messages.push_back(msg("WMO305", "S1", "2025-04-01", P1, G));
    auto all = items(in, "2025-06-02");
    REQUIRE(all.size() == 3);
    CHECK(all[0].concerns == "WMO301:A1");
    CHECK(all[1].concerns == "WMO305:S1");
    CHECK(all[2].concerns == "WMO301:A2");
    CHECK(all[0].overdue_working_days > all[1].overdue_working_days);
    auto p2 = items(in, "2025-06-02", P2);
    REQUIRE(p2.size() == 1);
    CHECK(p2[0].concerns == "WMO301:A2");
    CHECK(items(in, "2025-06-02", G).size() == 1);
  }

  TEST_CASE("worklist: over a real ledger, items disappear as the settling messages arrive") {
    Env e;
    auto o = e.send(m301("A301", {TP{}}));  // 300201 from 2025-04-01, Dagtekening 2025-03-20
    REQUIRE(o.accepted);
    const auto db = e.dir.path / "ledger.db";
    auto now = [&](const char* today) {
      worklist::Options opt;
      opt.today = d(today);
      return kinds_of(worklist::build(worklist::load(db, opt.policy), opt).items);
    };
    // The own 301 awaits its 302 and its start.
    CHECK(now("2025-04-15") == std::vector<std::string>{"retour-missing", "start-missing"});

    // The provider's 302: made by istd at a provider that received the same 301.
    Env provider(ingest::Side::aanbieder);
    auto p = provider.send(m301("A301", {TP{}}));
    REQUIRE(p.accepted);
    const std::string bytes302 = read_file(provider.out() / p.retour);
    auto r = e.send(bytes302, "302.xml");
    CHECK(r.accepted);
    CHECK(now("2025-04-15") == std::vector<std::string>{"start-missing"});

    // The start settles start-missing; its 306 is made by istd at once.
    REQUIRE(e.send(m305("S1", {SP{}})).accepted);
    CHECK(now("2025-04-15").empty());

    // A pause from 21 June: followed up after 30 days.
    REQUIRE(e.send(m307("P1", {STP{}})).accepted);  // Einddatum 2025-06-20, reden 20
    CHECK(now("2025-07-18").empty());
    CHECK(now("2025-08-01") == std::vector<std::string>{"pause-open"});
    // The definitive stop on the same start settles it.
    REQUIRE(e.send(m307("P2", {STP{.reden = "02", .eind = "2025-06-20"}})).accepted);
    CHECK(now("2025-08-01").empty());

    // Rendered: text masks the BSN, csv and json carry it.
    worklist::Options opt;
    opt.today = d("2025-04-15");
    worklist::Input only301 = worklist::load(db, opt.policy);
    only301.allocations[0].intervals.clear();
    const auto w = worklist::build(only301, opt);
    REQUIRE(w.items.size() == 1);
    const auto text = worklist::to_text(w, explain::Lang::nl);
    CHECK(text.find(C1) == std::string::npos);
    CHECK(text.find(model::mask_bsn(C1)) != std::string::npos);
    CHECK(worklist::to_csv(w, explain::Lang::nl).find(";" + C1 + ";") != std::string::npos);
    const auto json = worklist::to_jsonl(w, explain::Lang::en);
    CHECK(json.find("\"bsn\":\"" + C1 + "\"") != std::string::npos);
    CHECK(json.find("\"title\":\"Start message (305) missing\"") != std::string::npos);
  }

  TEST_CASE("worklist: over a real ledger, a request is open until a 301 honours it") {
    Env e;
    const auto db = e.dir.path / "ledger.db";
    auto open_requests = [&](const char* today) {
      worklist::Options opt;
      opt.today = d(today);
      std::vector<std::string> out;
      for (const auto& i : worklist::build(worklist::load(db, opt.policy), opt).items)
        if (i.kind == "request-open") out.push_back(i.concerns + " due " + i.due.to_string());
      return out;
    };
    // The sample month's request of C3 (315 of Monday 17 February 2025).
    REQUIRE(e.send(read_file(fixture("sample/00a-WMO315-C3-verzoek.xml")), "315.xml").accepted);
    CHECK(open_requests("2025-02-24").empty());  // 5 working days: 18-24 February
    CHECK(open_requests("2025-02-25") ==
          std::vector<std::string>{"WMO315:V2025-0031 due 2025-02-24"});
    // Answered "in onderzoek": the final answer is due 8 weeks after the request.
    REQUIRE(e.send(read_file(fixture("sample/00b-WMO319-C3-in-onderzoek.xml")), "319.xml").accepted);
    CHECK(open_requests("2025-04-14").empty());
    CHECK(open_requests("2025-04-15") ==
          std::vector<std::string>{"WMO315:V2025-0031 due 2025-04-14"});
    // The 301 carrying the request's ReferentieAanbieder honours it.
    REQUIRE(e.send(read_file(fixture("sample/07-WMO301-C3-toewijzing.xml")), "301.xml").accepted);
    CHECK(open_requests("2025-04-15").empty());
  }
}
