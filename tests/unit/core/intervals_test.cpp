#include <doctest/doctest.h>

#include "core/delivery/intervals.hpp"

using namespace istd::delivery;
using istd::model::Date;

namespace {
Date d(int m, int day) { return Date{2025, m, day}; }
Allocation alloc() { return Allocation{d(4, 1), d(12, 31), false}; }
struct Expect {
  State state;
  Date from, to;
};
void check_intervals(const Result& r, const std::vector<Expect>& want) {
  REQUIRE(r.intervals.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    CAPTURE(i);
    CHECK(r.intervals[i].state == want[i].state);
    CHECK(r.intervals[i].from == want[i].from);
    CHECK(r.intervals[i].to == want[i].to);
  }
}
}  // namespace

TEST_SUITE("delivery") {
  // DOMAIN.md §6.4, allocation 300201, I = 2025-04-01, E = 2025-12-31.
  TEST_CASE("delivery: a start delivers until the allocation ends") {
    auto r = compute(alloc(), {{d(4, 3), "s1"}}, {});
    check_intervals(r, {{State::not_started, d(4, 1), d(4, 2)},
                        {State::delivered, d(4, 3), d(12, 31)},
                        {State::ended, Date{2026, 1, 1}, kForever}});
  }

  TEST_CASE("delivery: a pause without restart is paused to the end") {
    auto r = compute(alloc(), {{d(4, 3), "s1"}}, {{d(4, 3), "20", d(6, 20), "p1"}});
    check_intervals(r, {{State::not_started, d(4, 1), d(4, 2)},
                        {State::delivered, d(4, 3), d(6, 20)},
                        {State::paused, d(6, 21), d(12, 31)},
                        {State::ended, Date{2026, 1, 1}, kForever}});
    CHECK(r.intervals[2].evidence == std::vector<std::string>{"s1", "p1"});
  }

  TEST_CASE("delivery: a restart ends the pause the day before") {
    auto r = compute(alloc(), {{d(4, 3), "s1"}, {d(7, 15), "s2"}},
                     {{d(4, 3), "20", d(6, 20), "p1"}});
    check_intervals(r, {{State::not_started, d(4, 1), d(4, 2)},
                        {State::delivered, d(4, 3), d(6, 20)},
                        {State::paused, d(6, 21), d(7, 14)},
                        {State::delivered, d(7, 15), d(12, 31)},
                        {State::ended, Date{2026, 1, 1}, kForever}});
  }

  TEST_CASE("delivery: a definitive stop with the pause's end turns the pause into a stop") {
    auto r = compute(alloc(), {{d(4, 3), "s1"}},
                     {{d(4, 3), "20", d(6, 20), "p1"}, {d(4, 3), "23", d(6, 20), "x1"}});
    check_intervals(r, {{State::not_started, d(4, 1), d(4, 2)},
                        {State::delivered, d(4, 3), d(6, 20)},
                        {State::stopped, d(6, 21), d(12, 31)},
                        {State::ended, Date{2026, 1, 1}, kForever}});
  }

  TEST_CASE("delivery: a definitive stop after the pause's end keeps the pause until then") {
    auto r = compute(alloc(), {{d(4, 3), "s1"}},
                     {{d(4, 3), "20", d(6, 20), "p1"}, {d(4, 3), "23", d(7, 10), "x1"}});
    check_intervals(r, {{State::not_started, d(4, 1), d(4, 2)},
                        {State::delivered, d(4, 3), d(6, 20)},
                        {State::paused, d(6, 21), d(7, 10)},
                        {State::stopped, d(7, 11), d(12, 31)},
                        {State::ended, Date{2026, 1, 1}, kForever}});
  }

  TEST_CASE("delivery: no live start means not started over the whole allocation") {
    auto r = compute(alloc(), {}, {});
    check_intervals(r, {{State::not_started, d(4, 1), d(12, 31)},
                        {State::ended, Date{2026, 1, 1}, kForever}});
  }

  TEST_CASE("delivery: a deleted allocation has no intervals") {
    Allocation a = alloc();
    a.deleted = true;
    CHECK(compute(a, {{d(4, 3), "s1"}}, {}).intervals.empty());
  }

  TEST_CASE("delivery: open allocation, state on a day, combining states") {
    Allocation a{d(4, 1), std::nullopt, false};
    auto r = compute(a, {{d(4, 3), "s1"}}, {{d(4, 3), "19", d(8, 12), "x"}});
    CHECK(state_on(r.intervals, d(8, 12)) == State::delivered);
    CHECK(state_on(r.intervals, d(8, 13)) == State::stopped);
    CHECK(state_on(r.intervals, Date{2030, 1, 1}) == State::stopped);
    CHECK(state_on(r.intervals, d(3, 31)) == State::none);
    CHECK(combine(State::paused, State::delivered) == State::delivered);
    CHECK(combine(State::not_started, State::stopped) == State::not_started);
  }

  TEST_CASE("delivery: a start outside the allocation is clipped and warned about") {
    auto r = compute(alloc(), {{d(3, 20), "s1"}}, {});
    CHECK(r.intervals.front().state == State::delivered);
    CHECK(r.intervals.front().from == d(4, 1));
    CHECK(r.unclipped.front().from == d(3, 20));
    CHECK(r.warnings.size() == 1);
  }
}
