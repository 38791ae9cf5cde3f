// DOMAIN.md §8.6 F1–F14 and the edge cases of the §7.6 table.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/reconcile/abonnementstarief.hpp"
#include "reconcile/reconcile_fixture.hpp"

using namespace istd::reconcile;
using istd::test::rec::D;
using istd::test::rec::kC1;
using istd::test::rec::kC2;
using istd::model::Date;

namespace {

using Starts = std::vector<istd::delivery::Start>;
using Stops = std::vector<istd::delivery::Stop>;

AtAllocation at(std::string bsn, Date i, std::optional<Date> e, Starts starts, Stops stops,
                std::string cat = "02", std::int64_t nummer = 1) {
  AtAllocation a;
  a.bsn = std::move(bsn);
  a.gemeente = "0363";
  a.agb = "12345678";
  a.nummer = nummer;
  a.categorie = std::move(cat);
  a.ingangsdatum = i;
  a.einddatum = e;
  a.evidence = "WMO301:T" + std::to_string(nummer);
  a.intervals = istd::delivery::compute({i, e, false}, std::move(starts), std::move(stops)).intervals;
  return a;
}

BillingLine bill(std::string bsn, int y, int m, std::int64_t amount = 2100,
                 std::string household = "") {
  BillingLine b;
  b.bsn = std::move(bsn);
  b.year = y;
  b.month = m;
  b.amount = amount;
  b.household = std::move(household);
  return b;
}

std::vector<BillingLine> months(const std::string& bsn, int from, int to, int year = 2025) {
  std::vector<BillingLine> v;
  for (int m = from; m <= to; ++m) v.push_back(bill(bsn, year, m));
  return v;
}

/// "2025-04 pause" strings of the findings (sorted by month).
std::vector<std::string> summary(const AtResult& r, bool with_info = true) {
  std::vector<std::string> out;
  for (const auto& f : r.findings) {
    if (!with_info && !f.refund) continue;
    out.push_back(f.month + " " + f.reason);
  }
  return out;
}

AtResult check(std::vector<AtAllocation> allocs, std::optional<std::vector<BillingLine>> billing,
               int year, int month, const Policy& p = {},
               std::map<std::string, Date> births = {}) {
  AtInput in;
  in.allocations = std::move(allocs);
  in.billing = std::move(billing);
  in.year = year;
  in.month = month;
  in.geboortedatum = std::move(births);
  return check_abonnementstarief(in, p);
}

const AtFinding* find(const AtResult& r, const std::string& month, const std::string& reason) {
  for (const auto& f : r.findings)
    if (f.month == month && f.reason == reason) return &f;
  return nullptr;
}

using V = std::vector<std::string>;

AtAllocation f1_alloc() {
  return at(kC1, D(1, 1), D(12, 31), {{D(3, 3), "WMO305:S1"}, {D(6, 2), "WMO305:S2"}},
            {{D(3, 3), "20", D(3, 10), "WMO307:P1"}});
}

}  // namespace

TEST_SUITE("reconcile") {
  TEST_CASE("reconcile: F1 a pause from mid-March to June refunds April and May") {
    auto r = check({f1_alloc()}, months(kC1, 3, 6), 2025, 6);
    CHECK(summary(r) == V{"2025-03 start-month", "2025-04 pause", "2025-05 pause",
                          "2025-06 start-month"});
    const auto* apr = find(r, "2025-04", "pause");
    REQUIRE(apr);
    CHECK(apr->refund);
    CHECK(apr->amount == 2100);
    CHECK(apr->evidence == V{"WMO301:T1", "WMO305:S1", "WMO307:P1"});
    CHECK_FALSE(find(r, "2025-03", "start-month")->refund);
  }

  TEST_CASE("reconcile: F2 not yet started: before-start until the start month") {
    auto a = at(kC1, D(2, 1), D(12, 31), {{D(4, 14), "WMO305:S1"}}, {});
    auto r = check({a}, months(kC1, 2, 5), 2025, 5);
    CHECK(summary(r) == V{"2025-02 before-start", "2025-03 before-start", "2025-04 start-month"});
  }

  TEST_CASE("reconcile: F3 a pause across a month boundary only marks the restart month") {
    auto a = at(kC1, D(1, 1), D(12, 31), {{D(1, 6), "s1"}, {D(4, 11), "s2"}},
                {{D(1, 6), "20", D(3, 19), "p"}});
    auto r = check({a}, months(kC1, 3, 4), 2025, 4);
    CHECK(summary(r) == V{"2025-04 start-month"});
    SUBCASE("April not billed: billable but a start month, so no not-billed") {
      auto r2 = check({a}, months(kC1, 3, 3), 2025, 4);
      CHECK(summary(r2).empty());
    }
  }

  TEST_CASE("reconcile: pause inside one month keeps the month billable and no start month") {
    auto a = at(kC1, D(1, 1), D(12, 31), {{D(1, 6), "s1"}, {D(3, 21), "s2"}},
                {{D(1, 6), "20", D(3, 4), "p"}});
    auto r = check({a}, months(kC1, 3, 3), 2025, 3);
    CHECK(summary(r).empty());
  }

  TEST_CASE("reconcile: pause 20 March to 5 May refunds April, May is a start month") {
    auto a = at(kC1, D(1, 1), D(12, 31), {{D(1, 6), "s1"}, {D(5, 6), "s2"}},
                {{D(1, 6), "20", D(3, 19), "p"}});
    auto r = check({a}, months(kC1, 3, 5), 2025, 5);
    CHECK(summary(r) == V{"2025-04 pause", "2025-05 start-month"});
  }

  TEST_CASE("reconcile: F4 two providers, one paused and one delivering: billable") {
    auto p1 = at(kC1, D(1, 1), D(12, 31), {{D(1, 6), "s1"}}, {{D(1, 6), "20", D(3, 31), "p"}});
    auto p2 = at(kC1, D(1, 1), D(12, 31), {{D(1, 6), "s2"}}, {}, "02", 2);
    p2.agb = "87654321";
    auto r = check({p1, p2}, months(kC1, 4, 5), 2025, 5);
    CHECK(summary(r).empty());
    SUBCASE("near miss: without the second provider April and May are refunds") {
      auto r2 = check({p1}, months(kC1, 4, 5), 2025, 5);
      CHECK(summary(r2) == V{"2025-04 pause", "2025-05 pause"});
    }
  }

  TEST_CASE("reconcile: F5 a household of two pays once - a second line is duplicate-household") {
    auto c1 = at(kC1, D(1, 1), D(12, 31), {{D(1, 6), "s1"}}, {{D(1, 6), "20", D(3, 31), "p"}});
    auto c2 = at(kC2, D(1, 1), D(12, 31), {{D(1, 6), "s2"}}, {}, "02", 2);
    // C2's March line tells that C2 belongs to H1.
    std::vector<BillingLine> one = {bill(kC2, 2025, 3, 2100, "H1"), bill(kC1, 2025, 4, 2100, "H1")};
    auto r = check({c1, c2}, one, 2025, 4);
    CHECK(summary(r).empty());
    auto two = one;
    two.push_back(bill(kC2, 2025, 4, 2100, "H1"));
    auto r2 = check({c1, c2}, two, 2025, 4);
    CHECK(summary(r2) == V{"2025-04 duplicate-household"});
    CHECK(r2.findings[0].refund);
    CHECK(r2.findings[0].household == "H1");
  }

  TEST_CASE("reconcile: F6 a start deleted with StatusAanlevering 3 gives before-start") {
    auto a = at(kC1, D(3, 1), D(12, 31), {}, {});
    a.deletions = {{D(3, 3), "WMO305:DEL"}};
    auto r = check({a}, months(kC1, 3, 5), 2025, 5);
    CHECK(summary(r) == V{"2025-03 before-start", "2025-04 before-start", "2025-05 before-start"});
    CHECK(std::count(r.findings[0].evidence.begin(), r.findings[0].evidence.end(),
                     "WMO305:DEL") == 1);
    SUBCASE("near miss: with the start still live there is no refund") {
      auto b = at(kC1, D(3, 1), D(12, 31), {{D(3, 3), "s"}}, {});
      CHECK(summary(check({b}, months(kC1, 3, 5), 2025, 5), false).empty());
    }
  }

  TEST_CASE("reconcile: a stop deleted with StatusAanlevering 3 makes paused months billable") {
    // The pause 307 was deleted: only the start is live; April is no longer paused.
    auto a = at(kC1, D(1, 1), D(12, 31), {{D(1, 6), "s1"}}, {});
    a.deletions = {{D(1, 6), "WMO307:DEL"}};
    auto r = check({a}, months(kC1, 3, 3), 2025, 4);
    CHECK(summary(r) == V{"2025-04 not-billed"});
    CHECK(std::count(r.findings[0].evidence.begin(), r.findings[0].evidence.end(),
                     "WMO307:DEL") == 1);
  }

  TEST_CASE("reconcile: F7 definitive stop on 12 August: August billed, September after-stop") {
    auto a = at(kC1, D(5, 1), D(12, 31), {{D(5, 5), "s"}}, {{D(5, 5), "19", D(8, 12), "WMO307:D"}});
    auto r = check({a}, months(kC1, 8, 9), 2025, 9);
    CHECK(summary(r) == V{"2025-09 after-stop"});
  }

  TEST_CASE("reconcile: death (02) and move (31) end billing after the stop month") {
    for (const char* reden : {"02", "31"}) {
      CAPTURE(reden);
      auto a = at(kC1, D(5, 1), D(12, 31), {{D(5, 5), "s"}}, {{D(5, 5), reden, D(6, 3), "d"}});
      auto r = check({a}, months(kC1, 6, 7), 2025, 7);
      CHECK(summary(r) == V{"2025-07 after-stop"});
    }
  }

  TEST_CASE("reconcile: F8 an allocation ended without a 307: after-stop and stop-expected") {
    auto a = at(kC1, D(1, 1), D(9, 30), {{D(1, 6), "s"}}, {});
    auto r = check({a}, months(kC1, 10, 10), 2025, 10);
    CHECK(summary(r) == V{"2025-09 stop-expected", "2025-10 after-stop"});
  }

  TEST_CASE("reconcile: F9 trigger allocation bills the waiting time: no before-start") {
    auto a = at(kC1, D(2, 1), D(12, 31), {{D(4, 14), "s"}}, {});
    Policy p;
    p.trigger = Trigger::allocation;
    auto r = check({a}, months(kC1, 2, 5), 2025, 5, p);
    CHECK(summary(r) == V{"2025-02 start-month"});
    SUBCASE("pause_suspends still applies: a fully paused month is not billable") {
      auto b = at(kC1, D(2, 1), D(12, 31), {{D(2, 3), "s"}, {D(5, 1), "s2"}},
                  {{D(2, 3), "20", D(2, 28), "p"}});
      auto r2 = check({b}, months(kC1, 2, 5), 2025, 5, p);
      CHECK(summary(r2, false) == V{"2025-03 pause", "2025-04 pause"});
    }
  }

  TEST_CASE("reconcile: trigger declaration bills months with approved, not credited claims") {
    auto a = at(kC1, D(1, 1), D(12, 31), {{D(1, 6), "s"}}, {});
    a.claimed = {{D(3, 1), D(3, 31)}};  // April's line was credited: not in `claimed`
    Policy p;
    p.trigger = Trigger::declaration;
    auto r = check({a}, months(kC1, 3, 4), 2025, 4, p);
    CHECK(summary(r) == V{"2025-03 start-month", "2025-04 not-claimed"});
  }

  TEST_CASE("reconcile: F10 a billed amount other than the year's amount is amount-mismatch") {
    auto a = at(kC1, D(1, 1, 2023), std::nullopt, {{D(1, 2, 2023), "s"}}, {});
    auto r = check({a}, std::vector<BillingLine>{bill(kC1, 2024, 1, 1900)}, 2024, 1);
    REQUIRE(summary(r) == V{"2024-01 amount-mismatch"});
    CHECK(r.findings[0].expected_amount == 2060);
  }

  TEST_CASE("reconcile: year boundary uses the amount of the billed month's year") {
    auto a = at(kC1, D(1, 1, 2023), std::nullopt, {{D(1, 2, 2023), "s"}}, {});
    std::vector<BillingLine> b = {bill(kC1, 2024, 12, 2060), bill(kC1, 2025, 1, 2100)};
    CHECK(summary(check({a}, b, 2025, 1)).empty());
    SUBCASE("2026 is unknown unless configured: amount-unknown, never a guess") {
      std::vector<BillingLine> b26 = {bill(kC1, 2026, 1, 2160)};
      CHECK(summary(check({a}, b26, 2026, 1)) == V{"2026-01 amount-unknown"});
      Policy p;
      p.amounts[2026] = 2160;
      CHECK(summary(check({a}, b26, 2026, 1, p)).empty());
    }
  }

  TEST_CASE("reconcile: F11 only a wheelchair (category 11): no-allocation") {
    auto a = at(kC1, D(1, 1), D(12, 31), {{D(1, 6), "s"}}, {}, "11");
    auto r = check({a}, months(kC1, 4, 4), 2025, 4);
    CHECK(summary(r) == V{"2025-04 no-allocation"});
  }

  TEST_CASE("reconcile: F12 a minor is exempt except for category 13") {
    auto a = at(kC1, D(1, 1), D(12, 31), {{D(1, 6), "s"}}, {});
    std::map<std::string, Date> births{{kC1, D(5, 1, 2010)}};
    auto r = check({a}, months(kC1, 4, 4), 2025, 4, {}, births);
    CHECK(summary(r) == V{"2025-04 no-allocation"});
    auto w = at(kC1, D(1, 1), D(12, 31), {{D(1, 6), "s"}}, {}, "13");
    CHECK(summary(check({w}, months(kC1, 4, 4), 2025, 4, {}, births)).empty());
    SUBCASE("turning 18 starts an episode") {
      std::map<std::string, Date> b18{{kC1, D(4, 10, 2007)}};
      auto r18 = check({a}, months(kC1, 3, 5), 2025, 5, {}, b18);
      CHECK(summary(r18) == V{"2025-03 no-allocation", "2025-04 start-month"});
    }
  }

  TEST_CASE("reconcile: F13 without billing data: the WMO405 episodes and billable months") {
    auto r = check({f1_alloc()}, std::nullopt, 2025, 6);
    REQUIRE(r.episodes.size() == 2);
    CHECK(r.episodes[0].start == D(3, 3));
    CHECK(r.episodes[0].stop == D(3, 10));
    CHECK(r.episodes[1].start == D(6, 2));
    CHECK_FALSE(r.episodes[1].stop.has_value());
    CHECK(summary(r) == V{"2025-03 billable", "2025-03 episode-start", "2025-03 episode-stop",
                          "2025-06 billable", "2025-06 episode-start"});
    CHECK(find(r, "2025-03", "episode-stop")->date == "2025-03-10");
  }

  TEST_CASE("reconcile: F14 pause then definitive stop with the same Einddatum: after-stop") {
    auto a = at(kC1, D(1, 1), D(12, 31), {{D(3, 3), "s"}},
                {{D(3, 3), "20", D(5, 20), "WMO307:P"}, {D(3, 3), "23", D(5, 20), "WMO307:D"}});
    auto r = check({a}, months(kC1, 5, 7), 2025, 7);
    CHECK(summary(r) == V{"2025-06 after-stop", "2025-07 after-stop"});
    SUBCASE("case 3: a later definitive Einddatum makes the paused months pause refunds") {
      auto b = at(kC1, D(1, 1), D(12, 31), {{D(3, 3), "s"}},
                  {{D(3, 3), "20", D(5, 20), "p"}, {D(3, 3), "23", D(7, 10), "d"}});
      auto r2 = check({b}, months(kC1, 5, 8), 2025, 8);
      CHECK(summary(r2) == V{"2025-06 pause", "2025-07 pause", "2025-08 after-stop"});
    }
  }

  TEST_CASE("reconcile: a deleted allocation contributes nothing: after-stop if billed") {
    auto a = at(kC1, D(3, 1), D(3, 1), {}, {});
    a.deleted = true;
    a.intervals.clear();
    auto r = check({a}, months(kC1, 4, 4), 2025, 4);
    CHECK(summary(r) == V{"2025-04 after-stop"});
  }

  TEST_CASE("reconcile: a late 305 with an earlier Begindatum removes before-start on re-run") {
    auto before = at(kC1, D(2, 1), D(12, 31), {{D(4, 14), "s"}}, {});
    CHECK(summary(check({before}, months(kC1, 2, 4), 2025, 4), false) ==
          V{"2025-02 before-start", "2025-03 before-start"});
    // The corrected start (delete + insert) now says 2 February.
    auto after = at(kC1, D(2, 1), D(12, 31), {{D(2, 3), "s2"}}, {});
    CHECK(summary(check({after}, months(kC1, 2, 4), 2025, 4), false).empty());
  }

  TEST_CASE("reconcile: not-billed for an expected month without a billing line") {
    auto a = at(kC1, D(1, 1), D(12, 31), {{D(1, 6), "s"}}, {});
    auto r = check({a}, std::vector<BillingLine>{bill(kC1, 2025, 3)}, 2025, 5);
    CHECK(summary(r) == V{"2025-04 not-billed", "2025-05 not-billed"});
    CHECK(r.findings[0].amount == 2100);
    SUBCASE("start_month_billed = true: the start month is expected and not informational") {
      auto b = at(kC1, D(1, 1), D(12, 31), {{D(3, 6), "s"}}, {});
      Policy p;
      p.start_month_billed = true;
      CHECK(summary(check({b}, months(kC1, 3, 3), 2025, 3, p)).empty());
      CHECK(summary(check({b}, months(kC1, 3, 3), 2025, 3)) == V{"2025-03 start-month"});
    }
  }

  TEST_CASE("reconcile: pause_suspends = false keeps paused months billable") {
    Policy p;
    p.pause_suspends = false;
    auto r = check({f1_alloc()}, months(kC1, 3, 6), 2025, 6, p);
    CHECK(summary(r) == V{"2025-03 start-month"});
  }

  TEST_CASE("reconcile: billing lines after the evaluation month are not compared") {
    auto r = check({f1_alloc()}, months(kC1, 4, 9), 2025, 4);
    CHECK(summary(r) == V{"2025-04 pause"});
  }
}
