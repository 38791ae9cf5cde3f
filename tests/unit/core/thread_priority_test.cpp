#include "core/util/thread_priority.hpp"

#include <doctest/doctest.h>
#include <linux/ioprio.h>
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
  int nice = 0;     // how much it went up
  int io_class = -1;
};

int tid() { return static_cast<int>(::syscall(SYS_gettid)); }

/// The scheduling class, nice increment and disk priority class of a new thread after
/// lower_this_thread_priority(p).
Seen lowered(const HelperPriority& p) {
  Seen s;
  std::thread t([&] {
    const auto me = static_cast<id_t>(tid());
    const int before = ::getpriority(PRIO_PROCESS, me);
    lower_this_thread_priority(p);
    s.policy = ::sched_getscheduler(0);
    s.nice = ::getpriority(PRIO_PROCESS, me) - before;
    const long io = ::syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS, 0);
    s.io_class = io < 0 ? -1 : static_cast<int>(IOPRIO_PRIO_CLASS(io));
  });
  t.join();
  return s;
}

/// Whether this system lets a thread move itself to the idle class (a sandbox may not).
bool idle_class_allowed() {
  bool ok = false;
  std::thread t([&] {
    const sched_param none{};
    ok = ::sched_setscheduler(0, SCHED_IDLE, &none) == 0;
  });
  t.join();
  return ok;
}

}  // namespace

TEST_SUITE("thread_priority") {

TEST_CASE("thread priority: a helper yields by its nice increment, or in the idle class with "
          "its disk priority kept best effort") {
  // Only the calling thread changes: this one keeps its class and nice value.
  const int policy = ::sched_getscheduler(0);
  const auto me = static_cast<id_t>(tid());
  const int nice = ::getpriority(PRIO_PROCESS, me);
  const bool room = nice + 5 <= 19;  // the nice value stops at 19

  Seen s = lowered(HelperPriority{5, false});
  CHECK(s.policy == policy);
  if (room) CHECK(s.nice == 5);

  s = lowered(HelperPriority{5, true});
  if (idle_class_allowed()) {
    CHECK(s.policy == SCHED_IDLE);
    CHECK(s.nice == 0);  // the idle class instead of a nice value
    // The idle class would make its disk priority idle too: it is best effort.
    if (s.io_class != -1) CHECK(s.io_class == IOPRIO_CLASS_BE);
  } else {
    MESSAGE("this system refuses the idle scheduling class: the nice value instead");
    CHECK(s.policy == policy);
    if (room) CHECK(s.nice == 5);
  }

  s = lowered(HelperPriority{0, false});
  CHECK(s.policy == policy);
  CHECK(s.nice == 0);

  CHECK(::sched_getscheduler(0) == policy);
  CHECK(::getpriority(PRIO_PROCESS, me) == nice);
}

}  // TEST_SUITE
