// `istd ingest` and `istd serve` in the core: one validated message at a time (in input
// order) through the stages of the ingest pipeline, each a file taking and returning a value:
//
//   1. prepare.hpp      bytes            -> Prepared (bytes, content hash, packed form)
//   2. validator.hpp    Prepared bytes   -> ValidationResult (XSD + message rules, one pass)
//   3. judge.hpp        ValidationResult -> Decision (verdict, level, route, retour codes;
//                                           class rules applied under a savepoint)
//   4. record.hpp       Decision         -> Recorded (rows, retour, declaration; the outcome)
//   5. materialise.hpp  Recorded files   -> files under the output dir, once committed, flagged
//                                           durable in a later transaction
//   6. outcome.hpp      Outcome          -> the report line / JSON of `istd ingest` and `serve`
//
// Stages 1-2 run on validation workers (the CLI's --jobs, the service's worker threads), 3-4 on
// the one ledger thread inside the batch transaction (this Ingestor), 5 on the file thread and
// its helper. docs/DESIGN.md draws the path of one WMO305 to its WMO306 and the threads.
//
// Design.
// * Side. istd runs at the municipality (default): its own 301s and 319s are recorded (their
//   rules refuse them "before sending": quarantine, no retour); received 305/307/315/317 get a
//   306/308/316/318. At a provider (Side::aanbieder) a received 301 gets a 302 (TR332 on each
//   ToegewezenProduct) and a received 319 a 320; its own 305/307/315/317 are recorded and
//   refused before sending when a rule fails. 315/317/319 are recorded as requests and answers
//   (request_rules.hpp). 323s are recorded (declaration + prestaties, verdict pending) and routed
//   to the gemeente; their 325 is made by `istd reconcile`. Received retours (302/306/308/325)
//   are recorded and routed; at the gemeente a 302 with a retourcode other than 0200 also takes
//   the own 301 it answers out of force (Options::rejected_301: its allocation versions are
//   deleted in the 302's transaction). Providers in Options::taakgericht may
//   send starts/stops without ToewijzingNummer, matched by Product (TR019).
// * Verdicts: judge.hpp, in the order of the levels.
// * Duplicates. An input whose bytes equal an earlier input's is reported `duplicate` and
//   changes nothing (the earlier retour is reported). Same (BerichtCode, Afzender,
//   Identificatie) with other bytes is TR056.
// * Over-size inputs (process_large). Quarantined byte for byte without being held in memory:
//   compared with earlier inputs and stored into the ledger in pieces, read from the open file
//   (ledger::Ledger::add_message_from_file); after the commit their quarantine file is written
//   from the ledger in pieces on the ledger thread, synced with the commit, then flagged like
//   any other file. A file that changed since it was hashed is not recorded (Outcome::error).
// * Durability. Work is grouped in batches (one ledger transaction each); files are written
//   after the commit and flagged once durable (materialise.hpp). A duplicate counts towards
//   the batch like any other message. `recover()` (called first by every run) writes every
//   committed-but-unflagged file again. A kill anywhere therefore loses at most the
//   uncommitted batch, which the rerun redoes; files are deterministic functions of the ledger
//   (names and content, IdentificatieRetour = ledger id), so the result equals an
//   uninterrupted run.
// * Clock. `Options::today` is the receiver's date (TR135, DagtekeningRetour); the CLI sets it
//   from --today / ISTD_TODAY or the Europe/Amsterdam calendar date.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/ingest/ingest_options.hpp"
#include "core/ingest/outcome.hpp"
#include "core/ingest/prepare.hpp"
#include "core/ledger/ledger.hpp"
#include "core/validator.hpp"

namespace istd {
class SchemaBundle;
}

namespace istd::ingest {

class Ingestor {
 public:
  /// `schemas` provides XsdVersieRetour (appinfo of WMO302/306/308.xsd; 1.0.0 when absent).
  Ingestor(ledger::Ledger& ledger, std::shared_ptr<const SchemaBundle> schemas, Options options);
  /// Does not commit: an Ingestor destroyed without flush() drops its uncommitted batch (as a
  /// crash would).
  ~Ingestor();
  Ingestor(const Ingestor&) = delete;
  Ingestor& operator=(const Ingestor&) = delete;

  /// Writes every committed output file not yet known durable (previous interrupted runs) and
  /// remembers the output dir. Returns the number of rows re-materialised.
  /// @throws RuntimeError on I/O or database failure.
  std::size_t recover();

  /// Ingests one message: `input` as prepared from the bytes read, `result` from
  /// Validator::validate on those bytes (taken over: a typed message is large). Commits (and
  /// hands the batch's files to the file stage) whenever the batch is full.
  /// @throws RuntimeError on I/O or database failure (never for bad input).
  /// `next`, when given, are the inputs that will be processed next, in order: the first reads
  /// of up to kUpcoming of them are sent to the ledger while this one is judged (Upcoming).
  Outcome process(Prepared&& input, ValidationResult&& result,
                  std::span<const Upcoming> next = {});
  /// How many of the inputs after the one processed have their reads sent ahead at most.
  static constexpr std::size_t kUpcoming = ledger::Ledger::kMessagesAhead;
  /// process() of bytes not prepared by the caller (prepared here, on this thread).
  Outcome process(std::string_view bytes, ValidationResult&& result) {
    return process(prepare(bytes), std::move(result));
  }

  /// Ingests an input over the size limit: reported as a duplicate when an earlier input had
  /// the same bytes, otherwise quarantined (`quarantine/<file>` with all its bytes, and a
  /// `.reason` naming the limit and the size). `result` is Validator::too_large's. When the file
  /// changed or could not be read since it was hashed, nothing is recorded (Outcome::error).
  /// @throws RuntimeError on I/O or database failure.
  Outcome process_large(const LargeInput& input, ValidationResult&& result);

  /// Commits the open batch now (as a full batch would be); its files go to the file stage and
  /// are flagged in a later transaction. @throws RuntimeError on database failure.
  void commit();

  /// Commits the open batch, writes its files, syncs and flags them.
  /// @throws RuntimeError on I/O or database failure.
  void flush();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace istd::ingest
