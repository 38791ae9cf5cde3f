#include "core/output/materialise.hpp"

#include <fmt/format.h>

#include <utility>

#include "core/errors.hpp"
#include "core/output/file_writer.hpp"

namespace istd::output {

using ledger::Ledger;

namespace {

/// Whether Ledger::sync_wal works for `ledger` (it makes durable what is committed so far).
bool can_sync_wal(const Ledger& ledger) {
  try {
    ledger.sync_wal();
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

Materialiser::Materialiser(Ledger& ledger, FileOptions options)
    : ledger_(ledger), opt_(std::move(options)) {
  if (opt_.out_dir.empty()) return;
  if (!opt_.background) {
    tree_.emplace(opt_.out_dir);
    return;
  }
  // The file thread checkpoints the WAL on a connection of its own after each sync, so the
  // ledger thread's commits only append to the WAL (SQLite would otherwise copy the WAL into
  // the database file inside a commit now and then, on this thread).
  std::unique_ptr<Ledger> checkpointer;
  std::error_code ec;
  if (std::filesystem::is_regular_file(ledger_.file(), ec)) {
    try {
      ledger::OpenOptions lo;
      lo.create = false;
      checkpointer = std::make_unique<Ledger>(ledger_.file(), lo);
      ledger_.set_auto_checkpoint(false);
      checkpoint_off_ = true;
    } catch (const std::exception&) {
      checkpointer.reset();  // keep SQLite's own checkpoints
    }
  }
  // The ledger's commits need not wait for the disk here: the file thread makes them durable
  // (Ledger::sync_wal: an fdatasync of SQLite's WAL, a commit that waits for PostgreSQL's
  // disk) before it syncs the files of their batches, and nothing is flagged
  // written before both are on disk. A commit's fsync otherwise stops the ledger thread, the
  // serial stage, ~20 ms per batch. A killed process loses nothing; after a power cut the
  // rerun redoes the batches whose commits were lost and writes the same files (routes and
  // retour numbers follow from the input order). Only when the ledger was opened FULL and the
  // writer does not answer anyone after a commit (durable_commits: the service).
  // And only when the file thread can make them durable: on PostgreSQL that takes a second
  // connection and a function a server may refuse (docs/postgresql.md); tried once here, and
  // when it fails every commit waits for the disk itself, as without --out.
  if (!opt_.durable_commits && opt_.sync_files &&
      ledger_.synchronous() == ledger::OpenOptions::Sync::full && can_sync_wal(ledger_)) {
    ledger_.set_synchronous(ledger::OpenOptions::Sync::normal);
    relaxed_sync_ = true;
  }
  std::function<void()> wal_sync;
  if (relaxed_sync_) wal_sync = [this] { sync_wal(); };
  writer_ = std::make_unique<FileWriter>(opt_.out_dir, opt_.sync_files, opt_.durability_point,
                                         std::move(checkpointer), &wal_mu_, opt_.helpers,
                                         std::move(wal_sync));
}

Materialiser::~Materialiser() {
  writer_.reset();
  if (relaxed_sync_) {
    try {
      ledger_.set_synchronous(ledger::OpenOptions::Sync::full);
    } catch (...) {
    }
  }
  if (checkpoint_off_) {
    try {
      ledger_.set_auto_checkpoint(true);
    } catch (...) {
    }
  }
}

void Materialiser::point(std::string_view where) {
  if (opt_.durability_point) opt_.durability_point(where);
}

/// Makes the commits so far durable (relaxed_sync_: they did not wait for the disk). Must
/// come before the sync of the files of their batches (point "wal" before "sync").
void Materialiser::sync_wal() {
  ledger_.sync_wal();
  point("wal");
}

std::size_t Materialiser::recover() {
  if (opt_.out_dir.empty()) return 0;
  std::error_code ec;
  const bool created = std::filesystem::create_directories(opt_.out_dir, ec);
  if (ec)
    throw RuntimeError(fmt::format("cannot create output directory {}: {}",
                                   opt_.out_dir.string(), ec.message()));
  if (created) mark_top_dir(opt_.out_dir);
  {
    auto tx = ledger_.begin();
    ledger_.set_out_dir(
        std::filesystem::weakly_canonical(std::filesystem::absolute(opt_.out_dir)).string());
    tx.commit();
  }
  sweep_tmp_files(opt_.out_dir);
  return materialise(ledger_, opt_.out_dir, opt_.sync_files);
}

void Materialiser::flag_durable() {
  if (writer_) {
    auto done = writer_->take_done();
    to_mark_.insert(to_mark_.end(), done.begin(), done.end());
  }
  if (!to_mark_.empty()) {
    ledger_.mark_materialised(to_mark_);
    to_mark_.clear();
  }
}

void Materialiser::stage(RoutedFile file) {
  if (opt_.out_dir.empty()) return;  // nothing to write; a later run with --out writes it
  pending_.push_back(std::move(file));
}

void Materialiser::stage_large(std::int64_t id, std::string route, std::string reason) {
  if (opt_.out_dir.empty()) return;
  pending_large_.push_back({id, std::move(route), std::move(reason)});
}

void Materialiser::committed() {
  if (opt_.out_dir.empty()) return;
  if (writer_) {
    writer_->push(std::exchange(pending_, {}));
    write_large();
    // Between batches, with no transaction open: copies the rest of the WAL (what the file
    // thread's checkpoints have not) and the next commit starts the WAL over (see FileWriter).
    // Not when the file thread is checkpointing (it runs at a lower priority: this thread
    // must not wait for it): then again after the next batch, as when SQLite is busy.
    if (checkpoint_off_ && ledger_.wal_in_use() > opt_.wal_restart_bytes) {
      std::unique_lock lk(wal_mu_, std::try_to_lock);
      if (lk.owns_lock()) ledger_.checkpoint_restart();  // when busy, again after the next batch
    }
    return;
  }
  std::size_t written = 0;
  for (const auto& f : pending_) {
    tree_->write(f);
    point("file");
    ++written;
  }
  if (opt_.sync_files && written) {
    sync_tree(opt_.out_dir);
    point("sync");
  }
  for (const auto& f : pending_) to_mark_.push_back(f.id);
  pending_.clear();
  write_large();
}

/// Writes the files of the committed batch's over-size inputs, streaming their bytes from the
/// ledger, and makes them and the commit durable before they are flagged (as the file thread
/// does for the others).
void Materialiser::write_large() {
  if (pending_large_.empty()) return;
  for (const auto& f : pending_large_) {
    write_routed_pieces(opt_.out_dir, f.route,
                        [&](const auto& write) { ledger_.stream_bytes(f.id, write); });
    write_routed(opt_.out_dir, f.route + ".reason", f.reason);
    point("file");
  }
  if (opt_.sync_files) {
    if (relaxed_sync_) sync_wal();
    sync_tree(opt_.out_dir);
    point("sync");
  }
  for (const auto& f : pending_large_) to_mark_.push_back(f.id);
  pending_large_.clear();
}

void Materialiser::finish() {
  if (writer_) {
    writer_->drain();
    auto done = writer_->take_done();
    to_mark_.insert(to_mark_.end(), done.begin(), done.end());
  }
  if (!to_mark_.empty()) {
    auto t = ledger_.begin();
    ledger_.mark_materialised(to_mark_);
    t.commit();
    to_mark_.clear();
    point("marked");
  }
  // Commits since the file thread's last sync (this last flagging) are durable on return.
  if (relaxed_sync_) sync_wal();
}

std::size_t materialise(Ledger& ledger, const std::filesystem::path& out_dir, bool sync) {
  auto rows = ledger.unmaterialised();
  if (rows.empty()) return 0;
  std::vector<ledger::MessageId> ids;
  TreeWriter tree(out_dir);
  for (const auto& r : rows) {
    if (r.bytes_left_out)  // an over-size input: streamed from the ledger, never held whole
      write_routed_pieces(out_dir, r.route_path,
                          [&](const auto& write) { ledger.stream_bytes(r.id, write); });
    else
      tree.write(r.route_path, r.bytes);
    if (r.reason) tree.write(r.route_path + ".reason", *r.reason);
    ids.push_back(r.id);
  }
  if (sync) sync_tree(out_dir);
  auto tx = ledger.begin();
  ledger.mark_materialised(ids);
  tx.commit();
  return ids.size();
}

}  // namespace istd::output
