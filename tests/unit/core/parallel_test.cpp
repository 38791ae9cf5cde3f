#include "cli/parallel.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <span>
#include <thread>
#include <vector>

using istd::cli::ordered_parallel;

namespace {

// A result that counts how many live (not moved-from) instances exist.
std::atomic<long> g_live{0};
std::atomic<long> g_peak{0};
struct Counted {
  std::size_t index = 0;
  bool owns = false;
  Counted() = default;
  explicit Counted(std::size_t i) : index(i), owns(true) { note(++g_live); }
  Counted(Counted&& o) noexcept : index(o.index), owns(std::exchange(o.owns, false)) {}
  Counted& operator=(Counted&& o) noexcept {
    if (owns) --g_live;
    index = o.index;
    owns = std::exchange(o.owns, false);
    return *this;
  }
  ~Counted() {
    if (owns) --g_live;
  }
  static void note(long now) {
    long p = g_peak.load();
    while (now > p && !g_peak.compare_exchange_weak(p, now)) {
    }
  }
};

// Work that takes a varying time, so that workers finish out of order.
void jitter(std::size_t i) {
  if (i % 7 == 0) std::this_thread::sleep_for(std::chrono::microseconds(50 + (i * 37) % 300));
}

}  // namespace

TEST_SUITE("parallel") {
  TEST_CASE("parallel: every index is emitted once, in input order, for any jobs/window/chunk") {
    struct Shape {
      std::size_t count;
      unsigned jobs;
      std::size_t window, chunk;
    };
    for (const Shape s : {Shape{0, 2, 256, 0}, Shape{1, 2, 256, 0}, Shape{5, 4, 256, 0},
                          Shape{1000, 2, 256, 0}, Shape{1000, 3, 8, 0}, Shape{1000, 2, 2, 1},
                          Shape{777, 5, 16, 16}, Shape{300, 1, 4, 0}, Shape{513, 2, 64, 3}}) {
      CAPTURE(s.count);
      CAPTURE(s.jobs);
      CAPTURE(s.window);
      CAPTURE(s.chunk);
      std::vector<std::size_t> seen;
      std::atomic<int> workers{0};
      ordered_parallel<std::size_t>(
          s.count, s.jobs, [&] { return ++workers; },
          [](int, std::size_t i) {
            jitter(i);
            return i * 3;
          },
          [&](std::size_t i, std::size_t&& r) {
            CHECK(r == i * 3);
            seen.push_back(i);
          },
          s.window, s.chunk);
      REQUIRE(seen.size() == s.count);
      for (std::size_t i = 0; i < seen.size(); ++i) CHECK(seen[i] == i);
      CHECK(workers.load() <= static_cast<int>(std::max(1u, s.jobs)));
    }
  }

  TEST_CASE("parallel: an emit that asks for it is shown the results after it that are ready") {
    for (unsigned jobs : {1u, 2u, 4u}) {
      std::vector<std::size_t> seen;
      std::size_t shown = 0;
      std::size_t deepest = 0;
      std::size_t announced = 0;  // how many after it the previous emit was shown
      ordered_parallel<std::size_t>(
          500, jobs, [] { return 0; },
          [](int, std::size_t i) {
            if (i % 7 == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
            return i;
          },
          [&](std::size_t i, std::size_t&& r, std::span<const std::size_t> following) {
            CHECK(r == i);
            // What was shown as ready stays ready: this emit is shown at least the rest of it.
            if (announced > 0) CHECK(following.size() + 1 >= announced);
            announced = following.size();
            for (std::size_t k = 0; k < following.size(); ++k) CHECK(following[k] == i + 1 + k);
            if (!following.empty()) ++shown;
            deepest = std::max(deepest, following.size());
            seen.push_back(r);
          },
          64);
      CHECK(seen.size() == 500);
      if (jobs == 1) CHECK(shown == 0);  // one thread: nothing is read ahead
      if (jobs > 1) CHECK(deepest > 1);
    }
  }

  TEST_CASE("parallel: no more than `window` results are held at once") {
    g_live = 0;
    g_peak = 0;
    std::mt19937 rng(7);
    std::size_t emitted = 0;
    ordered_parallel<Counted>(
        2000, 3, [] { return 0; },
        [](int, std::size_t i) {
          jitter(i);
          return Counted(i);
        },
        [&](std::size_t i, Counted&& c) {
          CHECK(c.index == i);
          ++emitted;
          // A slow consumer now and then: the workers run into the full window.
          if (rng() % 50 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        },
        32, 0);
    CHECK(emitted == 2000);
    CHECK(g_live.load() == 0);
    CHECK(g_peak.load() <= 32);
    CHECK(g_peak.load() > 1);  // and the workers did run ahead
  }

  TEST_CASE("parallel: an exception in a job reaches the caller - later items are not emitted") {
    std::size_t emitted = 0;
    CHECK_THROWS_WITH_AS(ordered_parallel<int>(
                             500, 2, [] { return 0; },
                             [](int, std::size_t i) {
                               if (i == 123) throw std::runtime_error("job 123 failed");
                               return static_cast<int>(i);
                             },
                             [&](std::size_t, int&&) { ++emitted; }, 16, 0),
                         "job 123 failed", std::runtime_error);
    CHECK(emitted <= 123);
  }

  TEST_CASE("parallel: an exception in emit reaches the caller and stops the workers") {
    std::atomic<std::size_t> worked{0};
    CHECK_THROWS_WITH_AS(ordered_parallel<int>(
                             100000, 2, [] { return 0; },
                             [&](int, std::size_t i) {
                               ++worked;
                               return static_cast<int>(i);
                             },
                             [&](std::size_t i, int&&) {
                               if (i == 10) throw std::runtime_error("emit 10 failed");
                             },
                             64, 0),
                         "emit 10 failed", std::runtime_error);
    CHECK(worked.load() < 1000);  // bounded by the window, not the whole input
  }

  TEST_CASE("parallel: an exception while making a worker reaches the caller") {
    CHECK_THROWS_WITH_AS(ordered_parallel<int>(
                             50, 2, []() -> int { throw std::runtime_error("no parser"); },
                             [](int, std::size_t i) { return static_cast<int>(i); },
                             [](std::size_t, int&&) {}, 16, 0),
                         "no parser", std::runtime_error);
  }
}

#include <memory>

#include "cli/background_sink.hpp"

using istd::cli::BackgroundSink;

TEST_SUITE("parallel") {
  TEST_CASE("background sink: every item is consumed once, in order, on another thread") {
    for (std::size_t batch : {1u, 3u, 64u}) {
      CAPTURE(batch);
      std::vector<int> seen;
      const auto caller = std::this_thread::get_id();
      std::atomic<bool> other_thread{true};
      {
        BackgroundSink<std::unique_ptr<int>> sink(
            [&](std::unique_ptr<int>& p) {
              if (std::this_thread::get_id() == caller) other_thread = false;
              seen.push_back(*p);
            },
            {}, batch, 2);
        for (int i = 0; i < 1000; ++i) sink.push(std::make_unique<int>(i));
        sink.finish();
        REQUIRE(seen.size() == 1000);  // finish() waits for everything
      }
      for (int i = 0; i < 1000; ++i) CHECK(seen[static_cast<std::size_t>(i)] == i);
      CHECK(other_thread.load());
    }
  }

  TEST_CASE("background sink: a consumer error reaches finish() - the producer is not blocked") {
    std::size_t consumed = 0;
    BackgroundSink<int> sink(
        [&](int& i) {
          if (i == 100) throw std::runtime_error("disk full at 100");
          ++consumed;
        },
        {}, 8, 1);
    for (int i = 0; i < 5000; ++i) sink.push(int{i});  // would block forever if not released
    CHECK_THROWS_WITH_AS(sink.finish(), "disk full at 100", std::runtime_error);
    CHECK(consumed == 100);
  }

  TEST_CASE("background sink: the destructor consumes what is left") {
    std::vector<int> seen;
    {
      BackgroundSink<int> sink([&](int& i) { seen.push_back(i); }, {}, 64, 4);
      for (int i = 0; i < 10; ++i) sink.push(int{i});
    }
    CHECK(seen.size() == 10);
  }
}
