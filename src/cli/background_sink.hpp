// Hands items, in order, to a consumer running on a thread of its own. Used by `istd ingest`
// to format and print the per-message report (and free each message's model) off the ledger
// thread, which is the serial stage of an ingest: that work was a tenth of its instructions.
//
// Items are handed over in batches (one wake-up per batch, not per item); the number of
// batches waiting is bounded, so a slow consumer (a full pipe) holds the producer back instead
// of letting memory grow.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace istd::cli {

template <typename T>
class BackgroundSink {
 public:
  /// `consume` runs on the sink's thread, once per item, in push order. `on_start` runs first
  /// on that thread (e.g. to lower its priority); may be empty.
  explicit BackgroundSink(std::function<void(T&)> consume, std::function<void()> on_start = {},
                          std::size_t batch = 64, std::size_t max_batches = 64)
      : consume_(std::move(consume)),
        batch_(batch == 0 ? 1 : batch),
        max_batches_(max_batches == 0 ? 1 : max_batches) {
    thread_ = std::thread([this, on_start = std::move(on_start)] {
      if (on_start) on_start();
      loop();
    });
  }
  ~BackgroundSink() {
    try {
      finish();
    } catch (...) {
      // The destructor only ends the thread; callers that care call finish() themselves.
    }
  }
  BackgroundSink(const BackgroundSink&) = delete;
  BackgroundSink& operator=(const BackgroundSink&) = delete;

  void push(T&& item) {
    pending_.push_back(std::move(item));
    if (pending_.size() >= batch_) hand_over();
  }

  /// Hands over what is pending, waits until everything was consumed and ends the thread.
  /// Rethrows the first exception `consume` threw (later items are then dropped).
  void finish() {
    if (!thread_.joinable()) return;
    if (!pending_.empty()) hand_over();
    {
      std::lock_guard lk(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  }

 private:
  void hand_over() {
    std::unique_lock lk(mu_);
    cv_.wait(lk, [&] { return queue_.size() < max_batches_ || error_; });
    if (error_) {
      pending_.clear();
      return;  // reported by finish()
    }
    queue_.push_back(std::exchange(pending_, std::vector<T>()));
    pending_.reserve(batch_);
    if (consumer_waiting_) cv_.notify_all();
  }

  void loop() {
    for (;;) {
      std::vector<T> items;
      {
        std::unique_lock lk(mu_);
        while (queue_.empty() && !done_) {
          consumer_waiting_ = true;
          cv_.wait(lk);
        }
        consumer_waiting_ = false;
        if (queue_.empty()) return;
        items = std::move(queue_.front());
        queue_.pop_front();
      }
      cv_.notify_all();  // room for the producer
      try {
        for (auto& it : items) consume_(it);
      } catch (...) {
        std::lock_guard lk(mu_);
        error_ = std::current_exception();
        queue_.clear();
        cv_.notify_all();
        return;
      }
    }
  }

  std::function<void(T&)> consume_;
  std::size_t batch_, max_batches_;
  std::vector<T> pending_;  // producer side only
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::vector<T>> queue_;
  bool consumer_waiting_ = false;
  bool done_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

}  // namespace istd::cli
