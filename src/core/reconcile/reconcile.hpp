// `istd reconcile` in the core: for the declarations whose DeclaratiePeriode is one month, judge
// the pending ones (rules_323), build and record their 325s, report the stored verdicts of the
// ones already answered, compute the signals and the abonnementstarief check, and
// render the outputs (findings.jsonl/csv, 325/, abonnementstarief.csv, summary.json).
//
// Determinism and reruns: a declaration is judged once; its verdicts, codes and 325 live in the
// ledger. A rerun for the same month reports the same verdicts and rewrites the same files
// (signals and the AT check are recomputed from the current ledger, so a late 305 or a
// deletion changes them).
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model.hpp"
#include "core/reconcile/abonnementstarief.hpp"
#include "core/reconcile/billing.hpp"
#include "core/reconcile/history.hpp"
#include "core/reconcile/policy.hpp"
#include "core/reconcile/rules_323.hpp"
#include "core/reconcile/tariffs.hpp"
#include "core/worklist/worklist.hpp"

namespace istd::reconcile {

struct Options {
  int year = 0, month = 0;
  Policy policy;
  std::optional<std::vector<BillingLine>> billing;
  const Tariffs* tariffs = nullptr;
  model::Date today{2025, 1, 1};  ///< Dagtekening of the 325s
  /// XsdVersie of the produced 325 (appinfo of our WMO325.xsd; 1.0.0 when unknown).
  std::string xsd_basis = "1.0.0", xsd_bericht = "1.0.0";
  /// The same for the JW325 (appinfo of our JW325.xsd).
  std::string jw_xsd_basis = "1.0.0", jw_xsd_bericht = "1.0.0";
  /// Called after each declaration of the month (judged now or reported from the ledger) with
  /// the number handled so far and the month's total; may be empty.
  std::function<void(std::size_t done, std::size_t total)> progress;
};

struct DeclarationResult {
  Declaration declaration;
  std::vector<Line> lines;
  Judgement judgement;
  std::string route_325;  ///< "325/<agb>/<Identificatie>.xml" under the output dir
  std::string bytes_325;
  bool judged_now = false;  ///< false: answered by an earlier run, reported from the ledger
  model::Standard standard = model::Standard::iwmo;  ///< a WMO323 (WMO325) or JW323 (JW325)
};

/// The history of one person in a household with an abonnementstarief refund, for the report's
/// timelines: the person's allocations (intervals and evidence) and the months billed.
struct ClientHistory {
  std::string bsn, household;
  std::vector<AtAllocation> allocations;
  std::vector<std::pair<std::string, std::int64_t>> billed;  ///< (YYYY-MM, cents), by month
};

struct Result {
  int year = 0, month = 0;
  std::vector<DeclarationResult> declarations;
  AtResult at;
  /// Every member of a household with a refund finding, by (household, bsn).
  std::vector<ClientHistory> refund_clients;
  bool with_billing = false;
  Policy policy;
  std::vector<std::string> warnings;
  /// What is overdue in the ledger on the run's date, after this run's 325s (istd worklist).
  worklist::Worklist worklist;
};

/// Runs the reconciliation against the ledger file `db` and records the new verdicts and 325s in
/// it (one transaction). Writes no files.
/// @throws ConfigError (not a ledger), RuntimeError (database failure).
Result run(const std::filesystem::path& db, const Options& options);

/// The claim rule behind a retourcode of a 325 ("9321" -> "TR321", "0233" -> "TR304");
/// "local" for a code no rule of the standard gives (a policy's local rejection).
std::string rule_of_retourcode(std::string_view code);

/// The JSON Lines objects (kinds declaratie, prestatie, signal, abonnementstarief), in order.
std::vector<nlohmann::json> findings_json(const Result& r);
/// The same objects, one at a time (no vector: large months).
void for_each_finding(const Result& r, const std::function<void(const nlohmann::json&)>& emit);
std::string findings_jsonl(const Result& r);
/// The same text in pieces (one line each), for stdout without building it in memory.
void write_findings_jsonl(const Result& r, const std::function<void(std::string_view)>& out);
std::string findings_csv(const Result& r);
std::string abonnementstarief_csv(const Result& r);
nlohmann::json summary(const Result& r);
/// The human summary printed by `--format text` (BSNs masked).
std::string summary_text(const Result& r, const std::filesystem::path& out_dir);

/// Writes every output file under `out_dir` (each atomically: tmp + rename).
/// @throws RuntimeError on I/O failure.
void write_outputs(const Result& r, const std::filesystem::path& out_dir);

}  // namespace istd::reconcile
