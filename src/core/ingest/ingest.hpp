// `istd ingest` in the core: takes validated messages one by one (in input order), applies the
// cross-message rules (docs/ingest.md) against the ledger, records every message with its
// verdict, builds the retour messages and routes inputs and retours to an output tree.
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
// * Verdicts. Level 1 (not XML, XSD-invalid, unknown namespace):
//   quarantine (`quarantine/<file>` + `<file>.reason`), no retour. Level 2 (message rules):
//   header-only retour 0001 + XsltVersie. Header rules (TR056 9056, TR135 8848): header-only
//   retour with that code. Class rules (305/307: TR019, TR063, TR069, TR071, TR074, TR326,
//   TR413, TR414, TR415; 301: TR332; 315/317/319: request_rules.hpp): evaluated inside a ledger savepoint — status 3 classes
//   first, then status 1, each in document order, each clean class applied at once so later
//   classes see it — and rolled back when any class failed (the whole message is rejected;
//   retour with the Client and per-class codes).
// * Duplicates. An input whose bytes equal an earlier input's is reported `duplicate` and
//   changes nothing (the earlier retour is reported). Same (BerichtCode, Afzender,
//   Identificatie) with other bytes is TR056.
// * Over-size inputs (process_large). Quarantined byte for byte without being held in memory:
//   compared with earlier inputs and stored into the ledger in pieces, read from the open file
//   (ledger::Ledger::add_message_from_file); after the commit their quarantine file is written
//   from the ledger in pieces on the ledger thread, synced with the commit, then flagged like
//   any other file. A file that changed since it was hashed is not recorded (Outcome::error).
// * Durability. Work is grouped in batches (one ledger transaction each). After the commit the
//   batch's files are written — by a background thread, while the next batch is judged — (an
//   O_TMPFILE inode linked in under its name, relative to cached directory descriptors; tmp +
//   rename when the name exists; no per-file fsync), then one syncfs (deferred while further
//   batches are queued, so one sync may cover several batches), then the rows are flagged
//   materialised in a later transaction. The same thread checkpoints the ledger's WAL on its
//   own connection after each sync, so ledger commits only append to the WAL (still
//   synchronous=FULL). A duplicate counts towards the batch like any other message (its
//   transaction is committed when the batch is full). `recover()` (called first by
//   every run) writes every committed-but-unflagged file again. A kill anywhere therefore loses
//   at most the uncommitted batch, which the rerun redoes; files are deterministic functions of
//   the ledger (names and content, IdentificatieRetour = ledger id), so the result equals an
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
#include <string>
#include <string_view>
#include <vector>

#include "core/ledger/ledger.hpp"
#include "core/model.hpp"
#include "core/validator.hpp"

namespace istd {
class SchemaBundle;
}

namespace istd::ingest {

enum class Side { gemeente, aanbieder };

/// What a received 302 with rejection codes does to the own 301 it answers (side gemeente).
enum class Rejected301 {
  withdraw,  ///< all versions the 301 stored are taken out of force
  keep,      ///< recorded and routed only; the 301 stays in force
};

struct Options {
  Side side = Side::gemeente;
  model::Date today{2025, 1, 1};
  /// Where inputs and retours are routed; no files are written when empty (routes are still
  /// recorded and written by a later run that has an output dir).
  std::filesystem::path out_dir;
  std::size_t batch_size = 1024;
  /// Providers (AGB) working taakgericht (TR019): their StartProduct/StopProduct
  /// without ToewijzingNummer is not 9019 but keyed and matched by Product.
  std::set<std::string> taakgericht;
  /// Side gemeente: a received 302 carrying a retourcode other than 0200 takes the own 301 it
  /// answers out of force (withdraw, default) or leaves it (keep).
  Rejected301 rejected_301 = Rejected301::withdraw;
  /// iJw: warn GEZAGSDRAGER-MISSING on a JW301 for a client under 16 without a parent or
  /// guardian among the Relaties (ijw_warnings.hpp).
  bool gezagsdrager_warning = true;
  /// iJw: warn WOONPLAATSBEGINSEL on a JW315 that follows a refusal naming another gemeente
  /// under Woonplaatsbeginsel but goes elsewhere (ijw_warnings.hpp).
  bool woonplaatsbeginsel_warning = true;
  /// syncfs the output tree before flagging files materialised (off only in tests).
  bool sync_files = true;
  /// Write the files of committed batches on a background thread, overlapping the ledger work
  /// of the next batch (default). Off: written in line, so durability points come in a fixed
  /// order (the crash tests' deterministic fault injection).
  bool background_files = true;
  /// How much lower (nice increment) the file threads run than the calling (ledger) thread:
  /// the ledger thread is the serial stage of an ingest and should not wait for a core.
  int helper_nice = 5;
  /// With background files: when the ledger's WAL has grown past this size, the ledger thread
  /// checkpoints between two batches, so that SQLite starts the WAL over (it otherwise grows
  /// by every batch until the run ends).
  std::uint64_t wal_restart_bytes = 64ull << 20;
  /// Called at every durability point (after staging a message, after a commit, after each file
  /// write, after the ledger's WAL sync, after the sync of the files) with a short name of the
  /// point ("staged", "commit", "file", "wal", "sync", "marked"); the CLI's fault injection
  /// (ISTD_FAULT_AFTER) ends the process there. May be empty. Called from the file thread too
  /// when background_files is on: it must be thread-safe.
  std::function<void(std::string_view where)> durability_point;
};

/// The result of ingesting one message.
struct Outcome {
  /// The validation result; cross-message findings (and OP087 / version warnings) appended.
  ValidationResult result;
  bool accepted = false;   ///< the message was accepted (323: taken in for reconciliation)
  bool duplicate = false;  ///< exact re-delivery of an earlier input: nothing changed
  bool quarantined = false;
  std::string route;   ///< where the input goes, relative to the output dir ("" unreadable)
  std::string retour;  ///< the retour's route, "" when none
  ledger::MessageId message_id = 0;  ///< the ledger row (the earlier one for a duplicate)
  /// The input was not taken in and nothing was recorded (process_large: it changed while
  /// being read, or could not be read): why, for a person.
  std::string error;
};

/// An input too large to hold in memory: a file over the size limit (or standard input spooled
/// to a temporary file). It is quarantined byte for byte, its bytes streamed into the ledger and
/// out to quarantine/ in pieces (docs/ingest.md, "Inputs over the size limit").
struct LargeInput {
  int fd = -1;              ///< open, read with pread from offset 0; owned by the caller
  std::uint64_t size = 0;   ///< its size in bytes
  std::int64_t hash = 0;    ///< ledger::content_hash of those bytes
  std::uint64_t limit = 0;  ///< the size limit it exceeds (named in the .reason)
};

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

  /// Ingests one message: `bytes` as read, `result` from Validator::validate on those bytes.
  /// Commits (and writes files) whenever the batch is full. `content_hash` and `packed`, when
  /// given, are ledger::content_hash(bytes) and ledger::pack(bytes) computed by the caller
  /// (e.g. on a validation thread, off the serial stage).
  /// @throws RuntimeError on I/O or database failure (never for bad input).
  /// `result` is taken over (by rvalue: a typed message is large, and this runs per message).
  Outcome process(std::string_view bytes, ValidationResult&& result,
                  std::optional<std::int64_t> content_hash = std::nullopt,
                  std::optional<ledger::Packed> packed = std::nullopt);

  /// Ingests an input over the size limit: reported as a duplicate when an earlier input had
  /// the same bytes, otherwise quarantined (`quarantine/<file>` with all its bytes, and a
  /// `.reason` naming the limit and the size). `result` is Validator::too_large's. When the file
  /// changed or could not be read since it was hashed, nothing is recorded (Outcome::error).
  /// @throws RuntimeError on I/O or database failure.
  Outcome process_large(const LargeInput& input, ValidationResult&& result);

  /// Commits the open batch, writes its files, syncs and flags them.
  /// @throws RuntimeError on I/O or database failure.
  void flush();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Writes every unmaterialised message row of the ledger under `out_dir` (route_path, and the
/// `.reason` file for quarantined input), syncs the file system once, and flags the rows in one
/// transaction. Used by ingest recovery and by `istd reconcile` for its 325s.
/// @throws RuntimeError on I/O or database failure.
std::size_t materialise(ledger::Ledger& ledger, const std::filesystem::path& out_dir,
                        bool sync = true);

/// Writes one routed file (`.<name>.istd-tmp` beside it, then rename into place). No fsync.
/// @throws RuntimeError on I/O failure.
void write_routed(const std::filesystem::path& out_dir, const std::string& route,
                  std::string_view bytes);

/// write_routed for bytes that come in pieces: `fill(write)` calls `write` with each piece in
/// order. @throws RuntimeError on I/O failure (and whatever `fill` throws).
void write_routed_pieces(
    const std::filesystem::path& out_dir, const std::string& route,
    const std::function<void(const std::function<void(std::string_view)>& write)>& fill);

/// syncfs() of the file system holding `dir` (one call makes every write before it durable).
void sync_tree(const std::filesystem::path& dir);

/// Sets the ext2/3/4 top-of-hierarchy hint (FS_TOPDIR_FL, `chattr +T`) on `dir`, which
/// `recover()` applies to an output directory it creates. Errors ignored.
void mark_top_dir(const std::filesystem::path& dir);

}  // namespace istd::ingest
