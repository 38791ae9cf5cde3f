#include "core/util/thread_priority.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace istd::util {

void lower_this_thread_priority(int increment) {
  if (increment <= 0) return;
#ifdef __linux__
  // On Linux, PRIO_PROCESS with a thread id applies to that thread only.
  const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
  errno = 0;
  const int now = ::getpriority(PRIO_PROCESS, tid);
  if (now == -1 && errno != 0) return;
  (void)::setpriority(PRIO_PROCESS, tid, now + increment);
#else
  (void)increment;
#endif
}

}  // namespace istd::util
