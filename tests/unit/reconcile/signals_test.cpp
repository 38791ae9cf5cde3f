// DOMAIN.md §4.8 signals: each with a trigger and a near miss.
#include <doctest/doctest.h>

#include "core/reconcile/signals.hpp"
#include "reconcile/reconcile_fixture.hpp"

using namespace istd::test::rec;
using istd::reconcile::signals_for;
using istd::reconcile::Signal;

namespace {
std::vector<std::string> names(const std::vector<Signal>& s) {
  std::vector<std::string> out;
  for (const auto& x : s) out.push_back(x.name);
  return out;
}
std::vector<std::string> sig(const Allocation& a, std::vector<istd::delivery::Start> starts,
                             std::vector<istd::delivery::Stop> stops, const Line& l) {
  auto r = istd::delivery::compute({a.ingangsdatum, a.einddatum, a.deleted}, starts, stops);
  return names(signals_for(a, &r.intervals, l));
}
using V = std::vector<std::string>;
}  // namespace

TEST_SUITE("reconcile") {
  TEST_CASE("reconcile: signal before-start without any live start, or before the first") {
    CHECK(sig(alloc(), {}, {}, line(1, "R", 5)) == V{"before-start"});
    CHECK(sig(alloc(), {{D(6, 2), "s"}}, {}, line(1, "R", 5)) == V{"before-start"});
    CHECK(sig(alloc(), {{D(5, 31), "s"}}, {}, line(1, "R", 5)).empty());  // near miss
  }

  TEST_CASE("reconcile: signal before-start carries the 301 and the start as evidence") {
    auto r = istd::delivery::compute({D(4, 1), D(12, 31), false}, {{D(6, 2), "WMO305:S"}}, {});
    auto s = signals_for(alloc(), &r.intervals, line(1, "R", 5));
    REQUIRE(s.size() == 1);
    CHECK(s[0].evidence == V{"WMO301:A300201", "WMO305:S"});
  }

  TEST_CASE("reconcile: signal after-stop when the whole period follows a definitive stop") {
    CHECK(sig(alloc(), {{D(4, 3), "s"}}, {{D(4, 3), "23", D(5, 31), "d"}}, line(1, "R", 6)) ==
          V{"after-stop"});
    // Near miss: the stop is inside the period.
    CHECK(sig(alloc(), {{D(4, 3), "s"}}, {{D(4, 3), "23", D(6, 10), "d"}}, line(1, "R", 6))
              .empty());
    // Near miss: a new start after the stop.
    CHECK(sig(alloc(), {{D(4, 3), "s"}, {D(6, 20), "s2"}}, {{D(4, 3), "23", D(5, 31), "d"}},
              line(1, "R", 6))
              .empty());
  }

  TEST_CASE("reconcile: signal partial-pause for a monthly product claimed in full") {
    Allocation a = alloc();
    a.volume = 20;
    a.eenheid = "04";
    a.frequentie = "4";
    std::vector<istd::delivery::Start> st{{D(4, 3), "s"}, {D(6, 16), "s2"}};
    std::vector<istd::delivery::Stop> sp{{D(4, 3), "20", D(6, 5), "p"}};
    CHECK(sig(a, st, sp, line(1, "R", 6, 20)) == V{"partial-pause"});
    CHECK(sig(a, st, sp, line(1, "R", 6, 12)).empty());  // near miss: not claimed in full
    Allocation w = a;  // near miss: weekly effort product is not monthly/fixed-fee
    w.frequentie = "2";
    w.volume = 5;
    CHECK(sig(w, st, sp, line(1, "R", 6, 30)).empty());
  }

  TEST_CASE("reconcile: signals are never given for credit lines or deleted allocations") {
    Line c = line(1, "R", 5);
    c.credit = true;
    CHECK(sig(alloc(), {}, {}, c).empty());
    Allocation d = alloc();
    d.deleted = true;
    CHECK(sig(d, {}, {}, line(1, "R", 5)).empty());
  }
}
