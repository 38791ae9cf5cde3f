// Scheduling priority of helper threads. In a pipeline with one serial stage (the ledger
// writer of `istd ingest`), helper threads (validation, file writing) that outnumber the cores
// otherwise take CPU time from that stage whenever it is runnable, and the whole run waits for
// it. Lowering their priority lets the serial stage run as soon as it can; the helpers still
// get all the time it leaves (and every core when it waits for them).
#pragma once

namespace istd::util {

/// How a helper thread yields to the serial stage it helps.
struct HelperPriority {
  /// How much higher its nice value is than the serial stage's.
  int nice = 5;
  /// Linux: the idle scheduling class (SCHED_IDLE) instead of `nice`: the thread runs only on
  /// a core no other thread wants, and a thread that wakes up (the serial stage, or a database
  /// server answering it) never waits for it. Only for helpers whose queues are bounded (a
  /// serial stage that waits for them frees its core for them) in a process where nothing else
  /// of normal priority can keep every core busy: batch ingest, not the service. Its disk
  /// priority stays best effort (the idle class would otherwise make it idle too).
  bool idle = false;
};

/// Lowers the calling thread's priority as `p` says (Linux: per thread). Best effort: nothing
/// happens where the system does not allow it (the idle class refused: `nice` instead).
void lower_this_thread_priority(const HelperPriority& p);

}  // namespace istd::util
