// The ingest pipeline's driver (stages and design in ingest.hpp): one batch transaction at a
// time on the ledger thread; each message judged, then recorded; the batch's files handed to
// the materialiser after the commit.
#include "core/ingest/ingest.hpp"

#include <optional>
#include <utility>

#include "core/ingest/judge.hpp"
#include "core/ingest/record.hpp"
#include "core/output/materialise.hpp"

namespace istd::ingest {

namespace {

output::FileOptions file_options(const Options& o) {
  output::FileOptions f;
  f.out_dir = o.out_dir;
  f.sync_files = o.sync_files;
  f.background = o.background_files;
  f.durable_commits = o.durable_commits;
  f.helpers = o.helpers;
  f.wal_restart_bytes = o.wal_restart_bytes;
  f.durability_point = o.durability_point;
  return f;
}

}  // namespace

struct Ingestor::Impl {
  ledger::Ledger& ledger;
  std::shared_ptr<const SchemaBundle> schemas;
  Options opt;
  output::Materialiser files;
  std::optional<ledger::Ledger::Transaction> tx;  // the open batch
  std::size_t in_batch = 0;

  Impl(ledger::Ledger& l, std::shared_ptr<const SchemaBundle> s, Options o)
      : ledger(l), schemas(std::move(s)), opt(std::move(o)), files(l, file_options(opt)) {}

  Outcome process(Prepared&& input, ValidationResult&& result, std::span<const Upcoming> next) {
    begin_batch();
    // Only the messages of this batch have reads sent ahead: the commit after its last would
    // drop them.
    const std::size_t left = opt.batch_size - std::min(opt.batch_size, in_batch + 1);
    next = next.first(std::min(next.size(), left));
    Decision decision = judge(ledger, input, result, opt, next);                   // stage 3
    Recorded recorded =
        record(ledger, input, std::move(result), std::move(decision), opt, schemas.get());  // 4
    return staged(std::move(recorded));
  }

  Outcome process_large(const LargeInput& input, ValidationResult&& result) {
    begin_batch();
    Recorded recorded = record_large(ledger, input, std::move(result), opt);
    if (!recorded.outcome.error.empty()) return std::move(recorded.outcome);  // nothing stored
    return staged(std::move(recorded));
  }

  /// Opens the batch transaction when none is open; first in it, the rows whose files are
  /// durable by now are flagged.
  void begin_batch() {
    if (tx) return;
    tx.emplace(ledger);
    files.flag_durable();
  }

  /// Hands the recorded files to stage 5 (written after the commit) and counts the message in
  /// the batch (a duplicate too: the batch's transaction is committed when it is full).
  Outcome staged(Recorded&& recorded) {
    for (auto& f : recorded.files) files.stage(std::move(f));
    if (recorded.large)
      files.stage_large(recorded.large->id, std::move(recorded.large->route),
                        std::move(*recorded.large->reason));
    if (!recorded.outcome.duplicate) point("staged");
    if (++in_batch >= opt.batch_size) commit_batch();
    return std::move(recorded.outcome);
  }

  void commit_batch() {
    if (!tx) return;
    tx->commit();
    tx.reset();
    in_batch = 0;
    point("commit");
    files.committed();  // stage 5
  }

  /// Commits, waits for the files, flags them.
  void finish() {
    commit_batch();
    files.finish();
  }

  void point(std::string_view where) {
    if (opt.durability_point) opt.durability_point(where);
  }
};

Ingestor::Ingestor(ledger::Ledger& ledger, std::shared_ptr<const SchemaBundle> schemas,
                   Options options)
    : impl_(std::make_unique<Impl>(ledger, std::move(schemas), std::move(options))) {}

Ingestor::~Ingestor() = default;

std::size_t Ingestor::recover() { return impl_->files.recover(); }

Outcome Ingestor::process(Prepared&& input, ValidationResult&& result,
                          std::span<const Upcoming> next) {
  return impl_->process(std::move(input), std::move(result), next);
}

Outcome Ingestor::process_large(const LargeInput& input, ValidationResult&& result) {
  return impl_->process_large(input, std::move(result));
}

void Ingestor::commit() { impl_->commit_batch(); }

void Ingestor::flush() { impl_->finish(); }

}  // namespace istd::ingest
