// The cross-message rules of a 323 (docs/reconcile.md) over a `History`:
// Declaratie level (TR333, TR318), Client level (TR304), Prestatie level (TR314, TR338, TR304,
// TR384, TR339, TR340, TR341, TR307, TR308, TR387, TR388, TR319, TR323, TR390, TR389, TR321,
// TR322, TR369, TR346, TR418), credits before debits (OP366) with cumulative effects, plus the
// informational signals (OP364: they never reject — unless the municipality's policy
// explicitly turns before-start / in-pause into a local rejection).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/reconcile/history.hpp"
#include "core/reconcile/signals.hpp"
#include "core/reconcile/tariffs.hpp"

namespace istd::reconcile {

struct RuleOptions {
  /// TR318: use delivery intervals as evidence of care in skipped months.
  bool tr318_evidence = true;
  /// Local rejection codes for the signals (off = nullopt; deviates from OP364).
  std::optional<std::string> local_before_start, local_in_pause;
  /// Contract tariffs (TR418, TR346 with H, TR341 without Omvang); nullptr = none.
  const Tariffs* tariffs = nullptr;
};

/// One rule that failed: the rule and the retourcode it gives.
struct Hit {
  std::string rule;  ///< "TR321", or "local-before-start" / "local-in-pause"
  std::string code;  ///< "9321"
};

struct LineOutcome {
  bool approved = false;
  std::vector<Hit> hits;          ///< empty when approved
  std::vector<Signal> signals;    ///< informational
  std::vector<std::string> codes() const;  ///< retourcodes (0233 when not assessed)
  bool not_assessed = false;      ///< under a rejected Client (0233)
};

struct Judgement {
  /// Header-only 325 with these codes (intake: 0001, 9056, 8848); nothing else is judged.
  std::vector<std::string> header_codes;
  /// Declaratie-level rejection (TR333 9333, TR318 8214); no lines are judged.
  std::vector<Hit> declaratie_hits;
  /// Client-level codes (TR304 client variant 8187) by Bsn.
  std::map<std::string, std::vector<Hit>> client_hits;
  /// One outcome per input line, same order as the input.
  std::vector<LineOutcome> lines;
  /// Net approved amount, signed (D positive).
  std::int64_t toegekend = 0;
  /// (debit line id, credit line id) pairs that approved credits credited.
  std::vector<std::pair<std::int64_t, std::int64_t>> credited;
  bool rejected_whole() const { return !header_codes.empty() || !declaratie_hits.empty(); }
  /// The DeclaratieAntwoord (or header-only) codes of the 325.
  std::vector<std::string> answer_codes() const;
};

/// Judges one declaration with its lines (document order) against `h`, and records the result
/// in `h` (the declaration as processed, every judged line) so that what follows sees it.
Judgement judge(History& h, const Declaration& d, const std::vector<Line>& lines,
                const RuleOptions& options = {});

}  // namespace istd::reconcile
