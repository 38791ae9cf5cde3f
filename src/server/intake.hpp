// What the server needs of the ledger side: take in one validated message, and list the
// messages addressed to a party. The server calls an Intake from ONE thread only (its ledger
// executor), so implementations need no locking and ledger writes are serialized.
// LedgerIntake (ledger_intake.hpp) is the real one on top of ingest::Ingestor; tests also use
// an in-memory fake.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/validator.hpp"

namespace istd::server {

struct IntakeResult {
  std::int64_t id = 0;  ///< the stored row (the earlier one for a duplicate)
  bool accepted = false;
  bool duplicate = false;  ///< exact re-delivery: nothing was stored
  bool quarantined = false;
  std::string verdict;  ///< "accepted" | "rejected" | "quarantined" | "recorded" | "duplicate"
  /// The validation result with the cross-message findings added.
  ValidationResult result;
  std::string retour;        ///< the retour message's XML ("" when none)
  std::string retour_route;  ///< where the retour is routed ("" when none)
};

/// A stored message as listed by GET /v1/messages.
struct StoredMessage {
  std::int64_t id = 0;
  std::string role;  ///< "input" | "output" (a retour istd produced)
  std::string type, afzender, ontvanger, identificatie, dagtekening, verdict, received_at;
  std::optional<std::int64_t> reply_to;
  std::string bytes;
};

/// Which messages to list: ids greater than `after_id`, received at or after `from_time`
/// (UTC "YYYY-MM-DDTHH:MM:SSZ"; "" = any).
struct Since {
  std::int64_t after_id = 0;
  std::string from_time;
};

class Intake {
 public:
  virtual ~Intake() = default;
  /// Takes in one message (`result` is Validator::validate on `bytes`). Durable on return.
  /// @throws RuntimeError on database or I/O failure.
  virtual IntakeResult submit(std::string_view bytes, ValidationResult result) = 0;
  /// Messages (inputs and retours) delivered to `party` (ingest's routing), oldest first.
  virtual std::vector<StoredMessage> list_for(const std::string& party, const Since& since,
                                              std::size_t limit) = 0;
  /// Called once at shutdown, after the last submit.
  virtual void close() {}
};

}  // namespace istd::server
