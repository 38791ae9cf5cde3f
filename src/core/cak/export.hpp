// `istd cak`: one export of the start/stop list for the CAK — read the ledger, work out what
// changed since the previous export (cak_list.hpp), write it to DIR as CSV and JSON Lines
// (atomically), then record it in the ledger. The files are written before the export is
// recorded: a crash in between leaves files that the rerun writes again under the same number,
// with the same lines, so nothing is lost or repeated. `--export N` writes export N again from
// the ledger, byte for byte.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/explain/catalogue.hpp"
#include "core/ledger/ledger.hpp"
#include "core/model.hpp"
#include "core/reconcile/policy.hpp"

namespace istd::cak {

struct Options {
  model::Date today;
  reconcile::Policy policy;
  std::filesystem::path out;
  /// Write this earlier export again instead of making a new one.
  std::optional<std::int64_t> rewrite;
  /// Language of the plain-language reasons written into a new export.
  explain::Lang lang = explain::Lang::nl;
  /// Called at "csv-written", "files-written" and "recorded" (the crash tests end the process
  /// there).
  std::function<void(std::string_view point)> durability_point;
};

struct Result {
  ledger::CakExportRecord export_record;
  std::vector<ledger::CakLineRecord> lines;
  bool rewritten = false;  ///< an earlier export written again
  std::filesystem::path csv, jsonl;
  std::int64_t running = 0, stopped = 0;  ///< episodes as the CAK now knows them
};

/// Makes (or, with `rewrite`, writes again) one export.
/// @throws ConfigError when `rewrite` names an export that does not exist or the ledger is not
///         an istd ledger; RuntimeError on database or I/O failure.
Result run(const std::filesystem::path& db, const Options& options);

/// The file names of export `number` in DIR ("cak-export-0003.csv" / ".jsonl").
std::string file_stem(std::int64_t number);

/// The CSV of an export (`;`-separated, for Dutch spreadsheets; columns named after WMO405's
/// data elements) and its JSON Lines: functions of the recorded export alone.
std::string to_csv(const ledger::CakExportRecord& e, const std::vector<ledger::CakLineRecord>& l);
std::string to_jsonl(const ledger::CakExportRecord& e,
                     const std::vector<ledger::CakLineRecord>& l);

/// A plain-text summary for stdout (BSNs masked).
std::string summary_text(const Result& r);

}  // namespace istd::cak
