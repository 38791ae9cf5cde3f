// The ledger as `istd reconcile` judges against it: allocations with their delivery intervals,
// processed declarations and their lines, the month's declarations, deleted starts/stops and
// the clients' birthdates, built from the ledger's bulk reads (ledger::Reader: everything at
// once, 50k clients and 500k lines in seconds) into reconcile's own types.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/delivery/intervals.hpp"
#include "core/reconcile/abonnementstarief.hpp"
#include "core/reconcile/history.hpp"

namespace istd::reconcile {

struct LedgerSnapshot {
  History history;  ///< allocations, intervals, processed declarations and their lines
  /// Declarations of the evaluation month (pending and answered), oldest first, with lines.
  std::vector<Declaration> month_declarations;
  std::vector<std::vector<Line>> month_lines;
  /// Per allocation (gemeente, nummer): deleted starts/stops (Begindatum, deleting message).
  std::map<std::pair<std::string, std::int64_t>,
           std::vector<std::pair<model::Date, std::string>>> deletions;
  std::map<std::string, model::Date> geboortedatum;  ///< by Bsn (from the 301s)
  std::int64_t max_message_id = 0;
  std::vector<std::string> warnings;
};

struct LoadOptions {
  int year = 0, month = 0;
  /// The legal domain read: the Wmo ledger (with the abonnementstarief's view) or the Jeugdwet one.
  model::Standard standard = model::Standard::iwmo;
  delivery::Options delivery;
  bool birthdates = true;  ///< read Geboortedatum from the 301 bytes (minors_exempt)
  /// Read the lines of processed declarations into the history (the 323 rules and the
  /// abonnementstarief's trigger declaration need them; the worklist does not).
  bool history_lines = true;
};

/// Reads everything reconcile needs. @throws RuntimeError on database failure, ConfigError when
/// the file is not an istd ledger.
LedgerSnapshot load_snapshot(const std::filesystem::path& db, const LoadOptions& options);

/// Reads the first Client/Geboortedatum/Datum of a 301's bytes ("" when absent).
std::string geboortedatum_of_301(std::string_view bytes);

/// The AT view of the history's allocations (after judging: claimed lines included), moving the
/// intervals and deletions out of `s` and then dropping its history (the judged lines,
/// allocations and intervals): the AT check runs without a second copy.
std::vector<AtAllocation> take_at_allocations(LedgerSnapshot& s);

}  // namespace istd::reconcile
