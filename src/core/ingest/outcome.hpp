// What became of one ingested message, and how it is reported: one renderer for `istd ingest`
// (its text lines and JSON Lines) and `istd serve` (the answer to POST /v1/messages).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/ledger/ledger.hpp"
#include "core/validator.hpp"

namespace istd::ingest {

/// The result of ingesting one message.
struct Outcome {
  /// The validation result; cross-message findings (and OP087 / version warnings) appended.
  ValidationResult result;
  bool accepted = false;   ///< the message was accepted (323: taken in for reconciliation)
  bool duplicate = false;  ///< exact re-delivery of an earlier input: nothing changed
  bool quarantined = false;
  /// The verdict of the ledger row (for a duplicate: the earlier row's).
  ledger::Verdict verdict = ledger::Verdict::quarantined;
  std::string route;   ///< where the input goes, relative to the output dir ("" unreadable)
  std::string retour;  ///< the retour's route, "" when none
  ledger::MessageId message_id = 0;  ///< the ledger row (the earlier one for a duplicate)
  /// The retour message itself, kept only when Options::keep_retour is set (the service
  /// answers with it); "" otherwise or when there is none.
  std::string retour_xml;
  /// The input was not taken in and nothing was recorded (process_large: it changed while
  /// being read, or could not be read): why, for a person.
  std::string error;
};

/// The verdict as one word: "duplicate", "quarantined", "accepted" or "rejected".
std::string_view verdict_word(const Outcome& o);

/// The fields every report of an ingested message carries, in this order: `id` (ledger row),
/// `verdict` (the ledger's: accepted, rejected, quarantined or recorded), `accepted`,
/// `duplicate`, `quarantined`, `route` and `retour_route` (under `out_dir` when it is not
/// empty, otherwise relative to the output dir; null when none).
nlohmann::ordered_json outcome_json(const Outcome& o, const std::filesystem::path& out_dir = {});

/// The text report of `istd ingest`: "<source>: <type> <verdict> -> <route>; retour <route>"
/// and, unless it is a duplicate, the findings.
std::string outcome_text(const Outcome& o, const std::filesystem::path& out_dir = {});

}  // namespace istd::ingest
