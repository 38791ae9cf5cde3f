// Runs a job per item on N worker threads and hands the results to `emit` in input order, as
// soon as each next one is ready (so output streams and memory stays bounded by the window).
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace istd::cli {

/// `make_worker()` is called once per thread, on that thread (Xerces parsers are per thread).
/// `work(worker, index)` returns a Result; `emit(index, Result&&)` is called on the calling
/// thread in index order. At most `window` results are held at once.
template <typename Result, typename MakeWorker, typename Work, typename Emit>
void ordered_parallel(std::size_t count, unsigned jobs, MakeWorker make_worker, Work work,
                      Emit emit, std::size_t window = 256) {
  jobs = std::max(1u, jobs);
  if (jobs == 1) {
    auto worker = make_worker();
    for (std::size_t i = 0; i < count; ++i) emit(i, work(worker, i));
    return;
  }
  std::mutex mu;
  std::condition_variable cv_ready, cv_space;
  std::vector<std::optional<Result>> slots(window);
  std::size_t next_take = 0;   // next index a worker takes
  std::size_t next_emit = 0;   // next index to emit
  std::exception_ptr error;

  auto thread_main = [&] {
    try {
      auto worker = make_worker();
      for (;;) {
        std::size_t i;
        {
          std::unique_lock lk(mu);
          cv_space.wait(lk, [&] { return error || next_take >= count || next_take < next_emit + window; });
          if (error || next_take >= count) return;
          i = next_take++;
        }
        Result r = work(worker, i);
        {
          std::lock_guard lk(mu);
          slots[i % window] = std::move(r);
        }
        cv_ready.notify_one();
      }
    } catch (...) {
      std::lock_guard lk(mu);
      if (!error) error = std::current_exception();
      cv_ready.notify_all();
      cv_space.notify_all();
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < jobs; ++t) threads.emplace_back(thread_main);
  try {
    while (next_emit < count) {
      Result r;
      {
        std::unique_lock lk(mu);
        cv_ready.wait(lk, [&] { return error || slots[next_emit % window].has_value(); });
        if (error) break;
        r = std::move(*slots[next_emit % window]);
        slots[next_emit % window].reset();
      }
      emit(next_emit, std::move(r));
      {
        std::lock_guard lk(mu);
        ++next_emit;
      }
      cv_space.notify_all();
    }
  } catch (...) {
    std::lock_guard lk(mu);
    if (!error) error = std::current_exception();
    cv_space.notify_all();
  }
  {
    std::lock_guard lk(mu);
    if (!error && next_emit < count) error = nullptr;
  }
  cv_space.notify_all();
  for (auto& t : threads) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace istd::cli
