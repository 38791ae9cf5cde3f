// Stage 3 of the ingest pipeline (ingest.hpp): the verdict on one validated message, in the
// order of the standard's levels, against the ledger inside the batch transaction.
//
//   re-delivery (same bytes as an earlier input) -> duplicate: report the earlier verdict
//   level 1: not XML / not XSD-valid / not a message istd ingests -> quarantine, no retour
//   received retour (302/306/308/316/318/320/325) -> recorded (a rejecting 302 withdraws the 301)
//   level 2: message rules (the validator's errors) -> rejected, header-only retour 0001
//   header rules (TR056, TR135) -> rejected, retour with their codes
//   323 -> recorded as a declaration with its intake codes (answered later by reconcile)
//   class rules (301: TR332; 305/307: TR019, TR063, TR069, TR071, TR074, TR326, TR413-TR415;
//   315/317/319: request_rules.hpp) -> accepted with its retour, or rejected with per-class
//   retourcodes
//
// An own message (a gemeente's 301/319, a provider's 305/307/315/317) that fails is refused
// before sending: quarantined, no retour (the other party writes the retour of a sent one).
//
// Class rules are judged by applying them: the message's row and what each clean class stores
// (allocation versions, starts, stops, requests) go into a savepoint, status-3 classes first,
// then status 1, each in document order, so later classes see earlier ones. When every class is
// clean the decision holds that savepoint open (its change set), and the record stage keeps it;
// when a class fails it is rolled back here and nothing of the message is stored but its record.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/ingest/ingest_options.hpp"
#include "core/ingest/prepare.hpp"
#include "core/ledger/ledger.hpp"
#include "core/validator.hpp"

namespace istd::ingest {

/// What one retour says (302 for a 301, 306 for a 305, 308 for a 307, 316 for a 315, 318 for
/// a 317, 320 for a 319): the judge decides it, the record stage builds and stores it.
struct RetourContent {
  std::string identificatie_retour;  ///< ledger::output_identificatie(id)
  std::string dagtekening_retour;    ///< YYYY-MM-DD
  bool xslt = false;                 ///< add XsltVersie (level-2 rejection, IV033)
  std::string xsd_basis = "1.0.0";   ///< XsdVersieRetour (appinfo of the retour XSD)
  std::string xsd_bericht = "1.0.0";
  /// Header RetourCodes; empty = none (accepted message).
  std::vector<std::string> header_codes;
  /// When set, the Client (319: the Antwoord) is copied: its codes (client_codes), then per
  /// class in document order (ToegewezenProduct, StartProduct, StopProduct,
  /// AangevraagdProduct, or the Verzoek followed by its OngewijzigdProduct, TeWijzigenProduct
  /// and NieuwProduct) its codes. Empty = 0200.
  bool with_client = false;
  std::vector<std::string> client_codes;
  std::vector<std::vector<std::string>> class_codes;
};

struct Decision {
  enum class Action {
    duplicate,   ///< exact re-delivery of `earlier`: nothing changes
    quarantine,  ///< a row under quarantine/ with a .reason beside the file; no retour
    record,      ///< a row under `route` with `verdict`; a retour when `retour` is set
  };
  Action action = Action::quarantine;
  ledger::Verdict verdict = ledger::Verdict::quarantined;
  int level = 0;       ///< the level of the first failing rule (0: none)
  std::string route;   ///< where the input goes (made unique when taken)
  std::string why;     ///< quarantine: the first line of the .reason
  /// quarantine: the row carries the message's header fields (an own message refused; a
  /// level-1 input is recorded without them).
  bool header_fields = false;
  std::optional<RetourContent> retour;  ///< the retour's codes (its numbers come with its row)
  /// 323: the intake codes the declaration is recorded with (empty: taken in).
  std::optional<std::vector<std::string>> intake;
  /// A received 302 rejecting the gemeente's own 301 (Options::rejected_301 = withdraw).
  bool withdraw_301 = false;
  std::optional<ledger::MessageRecord> earlier;  ///< duplicate: the earlier input
  /// Class rules passed: the message's row, already stored with its class changes in
  /// `applied`, a savepoint the record stage releases (destroyed unreleased, it rolls back).
  ledger::MessageId applied_id = 0;
  std::unique_ptr<ledger::Ledger::Savepoint> applied;
  std::string applied_bytes;  ///< that row's bytes, for its file (not copied again)
};

/// Where a quarantined input goes: quarantine/<its file name>.
std::string quarantine_route(const std::string& source);

/// Judges one message. `result` is the validator's; the header and class rules append their
/// findings to it. `input` may give up its packed bytes (to the row the class rules store).
/// @throws RuntimeError on database failure (never for bad input).
/// `next`, when given, are the inputs after this one, in order: the first reads of up to
/// Ledger::kMessagesAhead of them are sent ahead.
Decision judge(ledger::Ledger& ledger, Prepared& input, ValidationResult& result,
               const Options& options, std::span<const Upcoming> next = {});

}  // namespace istd::ingest
