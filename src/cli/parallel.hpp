// Runs a job per item on N worker threads and hands the results to `emit` in input order, as
// soon as each next run of them is ready (so output streams and memory stays bounded by the
// window).
//
// Hand-offs between threads are batched: a worker claims a run of consecutive items and
// publishes their results together, the emitter takes every ready result in one go, and a
// worker that found the window full is woken only once half of it is free again. Waking a
// sleeping thread costs tens of microseconds on a virtual machine (a futex call and an
// inter-processor interrupt); one hand-off per message made that the largest single cost of
// `istd validate` on small messages (2 futex calls per message, 2.3 s of system time per
// 20,000 messages).
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace istd::cli {

/// `make_worker()` is called once per thread, on that thread (Xerces parsers are per thread).
/// `work(worker, index)` returns a Result; `emit(index, Result&&)` is called on the calling
/// thread in index order. An `emit(index, Result&&, std::span<const Result> following)` is
/// also given the results after it that are ready by then, in order (perhaps none; valid during
/// the call), to prepare for them. At most `window` results are held at once; a worker claims
/// up to `chunk` consecutive items at a time (0: chosen from the window and the thread count).
template <typename Result, typename MakeWorker, typename Work, typename Emit>
void ordered_parallel(std::size_t count, unsigned jobs, MakeWorker make_worker, Work work,
                      Emit emit, std::size_t window = 256, std::size_t chunk = 0) {
  jobs = std::max(1u, jobs);
  auto emit_one = [&](std::size_t i, Result&& r, std::span<const Result> following) {
    if constexpr (std::is_invocable_v<Emit&, std::size_t, Result&&, std::span<const Result>>)
      emit(i, std::move(r), following);
    else
      emit(i, std::move(r));
  };
  if (jobs == 1) {
    auto worker = make_worker();
    for (std::size_t i = 0; i < count; ++i) emit_one(i, work(worker, i), {});
    return;
  }
  window = std::max<std::size_t>(window, 2);
  if (chunk == 0) chunk = std::clamp<std::size_t>(window / (4 * jobs), 1, 16);
  chunk = std::min(chunk, window / 2);

  std::mutex mu;
  std::condition_variable cv_workers, cv_emitter;
  std::vector<std::optional<Result>> slots(window);
  std::size_t next_take = 0;        // next index a worker claims
  std::size_t next_emit = 0;        // next index to emit
  std::size_t workers_waiting = 0;  // workers asleep on a full window
  bool emitter_waiting = false;     // emitter asleep on slot next_emit
  bool stop = false;                // the emitter failed: workers end
  std::exception_ptr error;

  auto thread_main = [&] {
    try {
      auto worker = make_worker();
      std::vector<Result> done;
      for (;;) {
        std::size_t first, n;
        {
          std::unique_lock lk(mu);
          // Free room in the window; claim when a whole chunk fits (or the rest of the input).
          auto room = [&] { return next_emit + window - next_take; };
          while (!(error || stop || next_take >= count ||
                   room() >= std::min(chunk, count - next_take))) {
            ++workers_waiting;
            cv_workers.wait(lk);
          }
          if (error || stop || next_take >= count) return;
          first = next_take;
          n = std::min({chunk, count - next_take, room()});
          next_take += n;
        }
        done.clear();
        for (std::size_t k = 0; k < n; ++k) done.push_back(work(worker, first + k));
        bool wake = false;
        {
          std::lock_guard lk(mu);
          for (std::size_t k = 0; k < n; ++k) slots[(first + k) % window] = std::move(done[k]);
          if (emitter_waiting && first == next_emit) {
            emitter_waiting = false;
            wake = true;
          }
        }
        if (wake) cv_emitter.notify_one();
      }
    } catch (...) {
      {
        std::lock_guard lk(mu);
        if (!error) error = std::current_exception();
      }
      cv_emitter.notify_all();
      cv_workers.notify_all();
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(jobs);
  for (unsigned t = 0; t < jobs; ++t) threads.emplace_back(thread_main);

  std::exception_ptr emit_error;
  try {
    std::vector<Result> ready;
    while (next_emit < count) {
      ready.clear();
      {
        std::unique_lock lk(mu);
        while (!error && !slots[next_emit % window].has_value()) {
          emitter_waiting = true;
          cv_emitter.wait(lk);
        }
        emitter_waiting = false;
        if (error) break;
        // Everything ready in order, in one go.
        for (std::size_t i = next_emit; i < count && slots[i % window].has_value(); ++i) {
          ready.push_back(std::move(*slots[i % window]));
          slots[i % window].reset();
        }
      }
      for (std::size_t k = 0; k < ready.size(); ++k) {
        {
          Result r = std::move(ready[k]);  // gone before its room is given back
          emit_one(next_emit, std::move(r), std::span<const Result>(ready).subspan(k + 1));
        }
        // Publish progress (frees room) without waking anyone until half the window is free.
        std::lock_guard lk(mu);
        ++next_emit;
        if (workers_waiting && next_emit + window - next_take >= window / 2) {
          workers_waiting = 0;
          cv_workers.notify_all();
        }
      }
    }
  } catch (...) {
    emit_error = std::current_exception();
  }
  {
    std::lock_guard lk(mu);
    stop = true;
  }
  cv_workers.notify_all();
  for (auto& t : threads) t.join();
  if (emit_error) std::rethrow_exception(emit_error);
  if (error) std::rethrow_exception(error);
}

}  // namespace istd::cli
