// Informational signals per claim line (docs/reconcile.md), computed from the delivery intervals
// of the allocation. They never reject a line (OP364).
#pragma once

#include <string>
#include <vector>

#include "core/delivery/intervals.hpp"
#include "core/reconcile/history.hpp"

namespace istd::reconcile {

struct Signal {
  std::string name;                   ///< before-start, in-pause, after-stop, partial-pause
  std::vector<std::string> evidence;  ///< messages that prove it ("WMO305:ID1", "WMO301:ID0")
};

/// Signals of a debit line on allocation `a` with intervals `iv` (nullptr: none known).
std::vector<Signal> signals_for(const Allocation& a, const std::vector<delivery::Interval>* iv,
                                const Line& line);

}  // namespace istd::reconcile
