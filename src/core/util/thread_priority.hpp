// Scheduling priority of helper threads. In a pipeline with one serial stage (the ledger
// writer of `istd ingest`), helper threads (validation, file writing) that outnumber the cores
// otherwise take CPU time from that stage whenever it is runnable, and the whole run waits for
// it. Lowering their priority a little lets the serial stage run as soon as it can; the
// helpers still get all the time it leaves (and every core when it waits for them).
#pragma once

namespace istd::util {

/// Raises the calling thread's nice value by `increment` (Linux: per thread). Best effort:
/// nothing happens where the system does not allow it.
void lower_this_thread_priority(int increment);

}  // namespace istd::util
