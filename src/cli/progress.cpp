#include "cli/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace istd::cli {
namespace {

constexpr std::int64_t kDelayNs = 2'000'000'000;   // no line for runs shorter than this
constexpr std::int64_t kIntervalNs = 200'000'000;  // at most five redraws a second

/// 12345 -> "12,345".
std::string grouped(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

/// Remaining time, rounded the way people say it: "20 s", "4 min", "2 h 5 min".
std::string duration(double seconds) {
  if (seconds < 59.5) return fmt::format("{} s", std::max(1L, std::lround(seconds)));
  const long minutes = std::lround(seconds / 60);
  if (minutes < 90) return fmt::format("{} min", minutes);
  return fmt::format("{} h {} min", minutes / 60, minutes % 60);
}

}  // namespace

Progress::Hold::~Hold() {
  if (!lock_.owns_lock()) return;
  std::fflush(stdout);
  if (restore_) progress_->draw_locked(progress_->done_.load(std::memory_order_relaxed));
}

Progress::Progress(std::string label, std::string unit, std::size_t total, bool quiet)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      total_(total),
      started_(std::chrono::steady_clock::now()) {
  const char* mode = std::getenv("ISTD_PROGRESS");
  const std::string m = mode ? mode : "";
  forced_ = m == "always";
  enabled_ = !quiet && m != "never" && (forced_ || ::isatty(STDERR_FILENO) == 1);
  stdout_shared_ = enabled_ && ::isatty(STDOUT_FILENO) == 1;
  next_draw_ns_.store(forced_ ? 0 : kDelayNs, std::memory_order_relaxed);
}

Progress::~Progress() {
  try {
    finish();
  } catch (...) {
    // Only a failing mutex could throw here; the line then stays on the screen.
  }
}

void Progress::advance(std::size_t n) {
  const std::size_t done = done_.fetch_add(n, std::memory_order_relaxed) + n;
  if (!enabled_) return;
  const std::int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                               std::chrono::steady_clock::now() - started_)
                               .count();
  if (forced_) {
    std::lock_guard lk(mu_);
    draw_locked(done);
    return;
  }
  if (now < next_draw_ns_.load(std::memory_order_relaxed)) return;
  std::unique_lock lk(mu_, std::try_to_lock);
  if (!lk.owns_lock()) return;  // another thread draws, or standard output is being written
  if (now < next_draw_ns_.load(std::memory_order_relaxed)) return;
  next_draw_ns_.store(now + kIntervalNs, std::memory_order_relaxed);
  draw_locked(std::max(done, done_.load(std::memory_order_relaxed)));
}

Progress::Hold Progress::hold_for_stdout() {
  if (!stdout_shared_) return {};
  std::unique_lock lk(mu_);
  const bool was_shown = shown_;
  erase_locked();
  return Hold(this, std::move(lk), was_shown);
}

void Progress::finish() {
  if (!enabled_) return;
  std::lock_guard lk(mu_);
  erase_locked();
  finished_ = true;
}

std::string Progress::text(const std::string& label, const std::string& unit, std::size_t done,
                           std::size_t total, double seconds) {
  std::string s;
  if (total > 0) {
    const auto pct = std::min<std::uint64_t>(100, static_cast<std::uint64_t>(done) * 100 / total);
    s = fmt::format("{}: {} of {} {} ({} %)", label, grouped(done), grouped(total), unit, pct);
  } else {
    s = fmt::format("{}: {} {}", label, grouped(done), unit);
  }
  if (done == 0 || seconds <= 0) return s;
  const double rate = static_cast<double>(done) / seconds;
  if (rate >= 10)
    s += fmt::format(", {}/s", grouped(static_cast<std::uint64_t>(std::llround(rate))));
  else
    s += fmt::format(", {:.1f}/s", rate);
  if (total > done)
    s += fmt::format(", ~{} left", duration(static_cast<double>(total - done) / rate));
  return s;
}

void Progress::draw_locked(std::size_t done) {
  if (finished_) return;
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  // \r: back to the start of the line; ESC [K: erase what a longer earlier line left.
  const std::string line =
      "\r" + text(label_, unit_, done, total_.load(std::memory_order_relaxed), secs) + "\x1b[K";
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
  shown_ = true;
}

void Progress::erase_locked() {
  if (!shown_) return;
  std::fputs("\r\x1b[K", stderr);
  std::fflush(stderr);
  shown_ = false;
}

}  // namespace istd::cli
