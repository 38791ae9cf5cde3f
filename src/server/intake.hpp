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

#include "core/ingest/outcome.hpp"
#include "core/ingest/prepare.hpp"
#include "core/validator.hpp"

namespace istd::server {

/// What became of a posted message: the ingest outcome (the id of the stored row, or of the
/// earlier one for a duplicate; its ledger verdict; the validation result with the
/// cross-message findings added; the retour's XML in retour_xml and its route in retour).
using IntakeResult = ingest::Outcome;

/// A posted message for the intake: its bytes as prepared on a worker (hash, packed form) and
/// its validation result.
struct Submission {
  ingest::Prepared input;
  ValidationResult result;
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
  /// Takes in several messages, in order, durable on return: the messages that queued up
  /// while the ledger thread was busy (group commit). The real intake stores them in one
  /// transaction, all or none (an exception: none was stored). This default submits each.
  /// @throws RuntimeError on database or I/O failure.
  virtual std::vector<IntakeResult> submit_all(std::vector<Submission>& batch) {
    std::vector<IntakeResult> out;
    out.reserve(batch.size());
    for (auto& s : batch) out.push_back(submit(s.input.bytes, std::move(s.result)));
    return out;
  }
  /// Messages (inputs and retours) delivered to `party` (ingest's routing), oldest first.
  virtual std::vector<StoredMessage> list_for(const std::string& party, const Since& since,
                                              std::size_t limit) = 0;
  /// Called once at shutdown, after the last submit.
  virtual void close() {}
};

}  // namespace istd::server
