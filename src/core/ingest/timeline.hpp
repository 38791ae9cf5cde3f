// `istd timeline`: everything the ledger knows about one citizen's allocations — the requests
// (315/317) and their answers (319, or the 301 that honoured them), the 301 versions, the
// 305/307 history (deleted records included, marked), and the delivery, pause and stop
// intervals derived from the live records — for an employee who
// answers that citizen's questions. The BSN is shown (the employee asked for it); never log it.
// Wmo and Jeugdwet are separate parts of the ledger: a timeline is built per standard, and
// `istd timeline` shows the Jeugdwet part next to the Wmo one when the client has one.
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
  model::Standard standard = model::Standard::iwmo;
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
  bool empty() const {
    return allocations.empty() && other_starts.empty() && other_stops.empty() && requests.empty();
  }
};

/// The timeline of one standard's part of the ledger (the ledger's standard is restored).
/// @throws RuntimeError on database failure.
Timeline build_timeline(ledger::Ledger& ledger, std::string_view bsn,
                        model::Standard standard = model::Standard::iwmo);

/// One standard's timeline. JSON: {bsn, allocations, requests, other_starts, other_stops}.
nlohmann::ordered_json to_json(const Timeline& t);
std::string to_text(const Timeline& t);

/// The client's Wmo timeline and Jeugdwet timeline (in that order) together. JSON: the Wmo
/// object, with the Jeugdwet part under "jeugdwet" when the client has one. Text: each part
/// that holds anything, under its law's name when the client has a Jeugdwet part.
nlohmann::ordered_json to_json(const Timeline& wmo, const Timeline& jeugd);
std::string to_text(const Timeline& wmo, const Timeline& jeugd);

}  // namespace istd::ingest
