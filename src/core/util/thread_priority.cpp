#include "core/util/thread_priority.hpp"

#ifdef __linux__
#include <linux/ioprio.h>
#endif
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace istd::util {

void lower_this_thread_priority(const HelperPriority& p) {
#ifdef __linux__
  if (p.idle) {
    const sched_param none{};
    if (::sched_setscheduler(0, SCHED_IDLE, &none) == 0) {  // 0: the calling thread
      // Linux gives a thread of the idle class idle disk priority too, unless it has one of its
      // own; its reads, writes and syncs would then wait behind all other disk work. Best
      // effort instead, at the level nice +5 gives (what these threads had before).
      // IOPRIO_WHO_PROCESS with 0: the calling thread.
      (void)::syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 5));
      return;
    }
  }
  if (p.nice <= 0) return;
  // On Linux, PRIO_PROCESS with a thread id applies to that thread only.
  const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
  errno = 0;
  const int now = ::getpriority(PRIO_PROCESS, tid);
  if (now == -1 && errno != 0) return;
  (void)::setpriority(PRIO_PROCESS, tid, now + p.nice);
#else
  (void)p;
#endif
}

}  // namespace istd::util
