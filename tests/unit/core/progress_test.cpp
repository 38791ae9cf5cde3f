// The progress line of the CLI (src/cli/progress.hpp): its text, and counting from threads.
#include "cli/progress.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <thread>
#include <vector>

using istd::cli::Progress;

TEST_SUITE("progress") {
  TEST_CASE("progress: the line shows counts, percentage, rate and time left") {
    // 12,345 done in 12345/1830 s: 1,830 a second, 37,655 to go = 20.6 s, said as ~21 s.
    CHECK(Progress::text("validate", "messages", 12345, 50000, 12345.0 / 1830) ==
          "validate: 12,345 of 50,000 messages (24 %), 1,830/s, ~21 s left");
    CHECK(Progress::text("ingest", "messages", 1000, 1234567, 100) ==
          "ingest: 1,000 of 1,234,567 messages (0 %), 10/s, ~34 h 16 min left");
    CHECK(Progress::text("ingest", "messages", 600, 1200, 60) ==
          "ingest: 600 of 1,200 messages (50 %), 10/s, ~1 min left");
    CHECK(Progress::text("reconcile", "declarations", 3, 9, 10) ==
          "reconcile: 3 of 9 declarations (33 %), 0.3/s, ~20 s left");
  }

  TEST_CASE("progress: no rate before the first item, no time left when done or unknown") {
    CHECK(Progress::text("validate", "messages", 0, 10, 3) == "validate: 0 of 10 messages (0 %)");
    CHECK(Progress::text("validate", "messages", 10, 10, 2) ==
          "validate: 10 of 10 messages (100 %), 5.0/s");
    CHECK(Progress::text("reconcile", "declarations", 1500, 0, 1) ==
          "reconcile: 1,500 declarations, 1,500/s");
  }

  TEST_CASE("progress: quiet draws nothing, and counting from threads is safe") {
    Progress p("validate", "messages", 4000, /*quiet=*/true);
    CHECK_FALSE(p.enabled());
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
      threads.emplace_back([&] {
        for (int i = 0; i < 1000; ++i) p.advance();
      });
    for (auto& t : threads) t.join();
    { auto hold = p.hold_for_stdout(); }
    p.finish();
    p.finish();
  }
}
