// A progress line on standard error for long runs of validate, ingest and reconcile, rewritten
// in place: "validate: 12,345 of 50,000 messages (24 %), 1,830/s, ~20 s left".
//
// Drawn only when standard error is a terminal and the run has lasted two seconds, at most five
// times a second, and erased before the command prints its summary. Never drawn with --quiet.
// $ISTD_PROGRESS=always draws whatever standard error is, from the first item and on every
// update (a test aid); $ISTD_PROGRESS=never never draws.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <utility>

namespace istd::cli {

class Progress {
 public:
  /// `label` starts the line (the command), `unit` names what is counted ("messages");
  /// `total` 0 means not known yet (set_total). `quiet`: never draw.
  Progress(std::string label, std::string unit, std::size_t total, bool quiet);
  ~Progress();  // finish()
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  /// Whether a line may be drawn at all (not quiet, a terminal or forced).
  bool enabled() const { return enabled_; }

  void set_total(std::size_t total) { total_.store(total, std::memory_order_relaxed); }

  /// Counts `n` more items done; redraws when due. Safe from any thread.
  void advance(std::size_t n = 1);

  /// While alive, no progress line is drawn. When it ends, standard output is flushed and the
  /// line erased for it is drawn again.
  class Hold {
   public:
    Hold() = default;
    Hold(Hold&&) = default;
    Hold& operator=(Hold&&) = delete;
    ~Hold();

   private:
    friend class Progress;
    Hold(Progress* p, std::unique_lock<std::mutex> lock, bool restore)
        : progress_(p), lock_(std::move(lock)), restore_(restore) {}
    Progress* progress_ = nullptr;
    std::unique_lock<std::mutex> lock_;
    bool restore_ = false;
  };

  /// Call before writing to standard output and keep the result while writing: when standard
  /// output shares the terminal, the progress line is erased first and drawn again below the
  /// new output when the Hold ends. Costs nothing otherwise.
  [[nodiscard]] Hold hold_for_stdout();

  /// Erases the line (if drawn); nothing is drawn afterwards. Idempotent.
  void finish();

  /// The text of the line (no control characters), for `done` of `total` after `seconds`.
  static std::string text(const std::string& label, const std::string& unit, std::size_t done,
                          std::size_t total, double seconds);

 private:
  void draw_locked(std::size_t done);
  void erase_locked();

  std::string label_, unit_;
  std::atomic<std::size_t> total_;
  std::atomic<std::size_t> done_{0};
  bool enabled_ = false;
  bool forced_ = false;         // $ISTD_PROGRESS=always: no delay, no throttle
  bool stdout_shared_ = false;  // standard output is a terminal too
  std::chrono::steady_clock::time_point started_;
  std::atomic<std::int64_t> next_draw_ns_{0};  // since started_
  std::mutex mu_;                              // drawing, erasing and holding
  bool shown_ = false;                         // a line is on the screen (under mu_)
  bool finished_ = false;                      // under mu_
};

}  // namespace istd::cli
