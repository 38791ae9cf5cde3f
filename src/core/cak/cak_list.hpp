// The start/stop list of the eigen bijdrage per person, as the municipality reports it to the
// CAK (`istd cak`, docs/cak.md; the data of iEb's WMO405: Bsn, EbStartNummer, EbStartdatum or
// EbStopdatum, StatusAanlevering).
//
// 1. Episodes (`episodes`): per person and municipality the runs of eligible days under the
//    policy, from the same day states as the abonnementstarief check (trigger, pause_suspends,
//    exempt categories, minors). The CAK bills whole months, so a gap that holds no whole
//    calendar month is not a gap: the episodes around it are one. Nothing later than `today`
//    is reported: an episode that starts after it is left for a later export, a stop after
//    it is not a stop yet, and a stop followed by a pause is reported once the pause holds a
//    whole calendar month up to `today` (until then the care may resume within the month).
// 2. Changes (`diff`): the episodes now against those last reported. Each reported episode
//    keeps its EbStartNummer while it overlaps an episode of now; lines say what changed:
//    StatusAanlevering 1 (a new start or stop), 2 (a changed date, same EbStartNummer), 3 (a
//    withdrawn stop, or a withdrawn episode: its start was deleted, its allocation deleted).
//    Pure: the ledger reads and records (cak/export.cpp).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/ledger/ledger.hpp"
#include "core/model.hpp"
#include "core/reconcile/abonnementstarief.hpp"
#include "core/reconcile/policy.hpp"

namespace istd::cak {

using model::Date;

/// An episode of eligible days of one person at one municipality.
struct Episode {
  std::string gemeente, bsn;
  Date start;
  std::optional<Date> stop;  ///< nullopt: running on `today`
  std::vector<std::string> start_evidence, stop_evidence;  ///< "WMO305:<id>", ...
  std::string stop_reason;  ///< "stop", "stop-pause", "stop-ended" (when stop is set)
};

/// The reportable episodes on `today`, by (gemeente, bsn, start).
std::vector<Episode> episodes(const std::vector<reconcile::AtAllocation>& allocations,
                              const std::map<std::string, Date>& geboortedatum,
                              const reconcile::Policy& policy, Date today);

/// One line of an export before it is numbered and worded.
struct Change {
  std::string gemeente, bsn;
  std::int64_t eb_start_nummer = 0;
  std::string kind;  ///< "start" or "stop"
  Date datum;
  std::optional<Date> previous;  ///< the date a change (2) replaces or a withdrawal (3) concerns
  int status = 1;                ///< StatusAanlevering
  std::string reason;            ///< one of reasons()
  std::vector<std::string> evidence;
};

struct Diff {
  std::vector<Change> changes;  ///< by (gemeente, bsn, EbStartNummer), a start before its stop
  /// The episodes the changes create or alter, as they are to be recorded.
  std::vector<ledger::CakEpisodeRecord> episodes;
};

/// What changed between the episodes last reported (`reported`, withdrawn ones included: they
/// keep their numbers) and those of now. `withdraw_evidence` gives per (gemeente, bsn) the
/// messages that explain a withdrawal (deleting 305s/307s, deleted allocations).
Diff diff(const std::vector<ledger::CakEpisodeRecord>& reported, const std::vector<Episode>& now,
          const std::map<std::pair<std::string, std::string>, std::vector<std::string>>&
              withdraw_evidence = {});

/// The reason codes of the lines: start, start-changed, stop, stop-pause, stop-ended,
/// stop-changed, stop-withdrawn, episode-withdrawn.
const std::vector<std::string>& reasons();

}  // namespace istd::cak
