// `istd timeline`: everything the ledger knows about one citizen's allocations — the requests
// (315/317) and their answers (319, or the 301 that honoured them), the 301 versions, the
// 305/307 history (deleted records included, marked), and the delivery, pause and stop
// intervals derived from the live records — for an employee who
// answers that citizen's questions. The BSN is shown (the employee asked for it); never log it.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/delivery/intervals.hpp"
#include "core/ledger/ledger.hpp"

namespace istd::ingest {

struct Timeline {
  struct Allocation {
    ledger::AllocationVersion current;
    std::vector<ledger::AllocationVersion> versions;  ///< oldest first
    std::vector<ledger::StartRecord> starts;          ///< incl. deleted, by Begindatum
    std::vector<ledger::StopRecord> stops;            ///< incl. deleted
    delivery::Result intervals;
  };
  std::string bsn;
  std::vector<Allocation> allocations;
  /// Starts/stops of the Bsn that match no allocation known to the ledger (e.g. taakgericht).
  std::vector<ledger::StartRecord> other_starts;
  std::vector<ledger::StopRecord> other_stops;
  /// Requests (315/317) of the Bsn with their answers, oldest first.
  std::vector<ledger::RequestStatus> requests;
  /// "WMO305 'ID' of 2025-04-03 from 65656055" per ledger message id used above.
  std::map<ledger::MessageId, std::string> messages;
};

/// @throws RuntimeError on database failure.
Timeline build_timeline(const ledger::Ledger& ledger, std::string_view bsn);

nlohmann::ordered_json to_json(const Timeline& t);
std::string to_text(const Timeline& t);

}  // namespace istd::ingest
