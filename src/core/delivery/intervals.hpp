// Delivery, pause and stop intervals of one allocation, derived on demand from
// the live StartProducts and StopProducts: the ledger stores messages, never derived state.
//
// All intervals are inclusive on both ends. A stop's Einddatum is the last delivered day
// (an interpretation; setting `stop_einddatum_inclusive`), so a pause starts the day
// after. An open end is `kForever`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"

namespace istd::delivery {

using model::Date;

inline constexpr Date kForever{9999, 12, 31};

enum class State { none, not_started, delivered, paused, stopped, ended };
std::string_view to_string(State s);  ///< "not-started", "delivered", "paused", "stopped", ...

struct Interval {
  State state = State::none;
  Date from;
  Date to;  ///< kForever when open
  /// Message identifications that prove it (the start, the pause, the stop), for reports.
  std::vector<std::string> evidence;
};

/// The current version of the allocation.
struct Allocation {
  Date ingangsdatum;
  std::optional<Date> einddatum;
  bool deleted = false;  ///< RedenWijziging 13 (or legacy 01 with Einddatum = Ingangsdatum)
};

/// A live StartProduct of the allocation.
struct Start {
  Date begindatum;
  std::string evidence;  ///< e.g. the message's Identificatie
};

/// A live StopProduct of the allocation.
struct Stop {
  Date begindatum;      ///< the Begindatum of the start it closes
  std::string reden;    ///< RedenBeeindiging; "20" is a pause
  Date einddatum;
  std::string evidence;
};

struct Options {
  /// Stop Einddatum is the last day of delivery (default) or the first day without delivery.
  bool stop_einddatum_inclusive = true;
};

struct Result {
  /// Sorted by `from`, non-overlapping, clipped to the allocation period, then ENDED after E.
  std::vector<Interval> intervals;
  /// The unclipped delivered/paused/stopped facts (for the timeline view).
  std::vector<Interval> unclipped;
  /// Plain-language warnings (start outside the allocation period, ...).
  std::vector<std::string> warnings;
};

/// Computes the intervals of one allocation. A deleted allocation has no intervals.
Result compute(const Allocation& allocation, std::vector<Start> starts, std::vector<Stop> stops,
               const Options& options = {});

/// The state on one day, `State::none` outside every interval.
State state_on(const std::vector<Interval>& intervals, Date day);

/// Combines per-allocation states of one client for a day: DELIVERED beats PAUSED beats
/// NOT_STARTED beats STOPPED/ENDED beats NONE.
State combine(State a, State b);

}  // namespace istd::delivery
