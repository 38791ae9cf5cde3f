// The settings of an ingest (`istd ingest` flags, `istd serve` configuration).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <string_view>

#include "core/model.hpp"
#include "core/util/thread_priority.hpp"

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
  /// Every commit is durable when it returns (the service: its answer follows the commit).
  /// Off (batch ingest), with background files: a batch's commit does not wait for the disk;
  /// the file thread makes it durable before it flags the batch's files written.
  bool durable_commits = false;
  /// How the file threads yield to the calling (ledger) thread: the ledger thread is the
  /// serial stage of an ingest and should not wait for a core (idle: batch ingest only, see
  /// util::HelperPriority).
  util::HelperPriority helpers;
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
  /// Keep each retour's XML in its Outcome (Outcome::retour_xml; the service answers with it).
  bool keep_retour = false;
};

}  // namespace istd::ingest
