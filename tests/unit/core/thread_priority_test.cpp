#include "core/util/thread_priority.hpp"

#include <doctest/doctest.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <thread>

using istd::util::HelperPriority;
using istd::util::lower_this_thread_priority;

namespace {

struct Seen {
  int policy = -1;
  int nice = 0;
};

/// The scheduling class and nice value of a new thread after lower_this_thread_priority(p).
Seen lowered(const HelperPriority& p) {
  Seen s;
  std::thread t([&] {
    const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
    const int before = ::getpriority(PRIO_PROCESS, tid);
    lower_this_thread_priority(p);
    s.policy = ::sched_getscheduler(0);
    s.nice = ::getpriority(PRIO_PROCESS, tid) - before;
  });
  t.join();
  return s;
}

}  // namespace

TEST_SUITE("thread_priority") {

TEST_CASE("thread priority: a helper yields by its nice increment, or in the idle class") {
  // Only this thread: the caller's own class and nice value stay as they were.
  const int policy = ::sched_getscheduler(0);
  const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
  const int nice = ::getpriority(PRIO_PROCESS, tid);

  Seen s = lowered(HelperPriority{5, false});
  CHECK(s.policy == SCHED_OTHER);
  if (nice + 5 <= 19) CHECK(s.nice == 5);  // the nice value stops at 19

  s = lowered(HelperPriority{5, true});
  CHECK(s.policy == SCHED_IDLE);
  CHECK(s.nice == 0);  // the idle class instead of a nice value

  s = lowered(HelperPriority{0, false});
  CHECK(s.policy == SCHED_OTHER);
  CHECK(s.nice == 0);

  CHECK(::sched_getscheduler(0) == policy);
  CHECK(::getpriority(PRIO_PROCESS, tid) == nice);
}

}  // TEST_SUITE
