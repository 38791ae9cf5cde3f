#include "cli/clock.hpp"

#include <cstdlib>
#include <ctime>
#include <mutex>

#include <CLI/CLI.hpp>

namespace istd::cli {

model::Date amsterdam_today() {
  // TZ is set once, before any other thread could read the environment concurrently.
  static std::once_flag tz_once;
  std::call_once(tz_once, [] {
    ::setenv("TZ", "Europe/Amsterdam", 1);
    ::tzset();
  });
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  ::localtime_r(&t, &tm);
  return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

model::Date resolve_today(const std::string& flag) {
  std::string today = flag;
  if (today.empty())
    if (const char* e = std::getenv("ISTD_TODAY"); e && *e) today = e;
  if (today.empty()) return amsterdam_today();
  auto d = model::parse_date(today);
  if (!d) throw CLI::ValidationError("--today", "expected a date YYYY-MM-DD, got " + today);
  return *d;
}

}  // namespace istd::cli
