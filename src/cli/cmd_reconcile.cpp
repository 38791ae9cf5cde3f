// istd reconcile: judge the month's 323s against the ledger, answer each with a 325, report
// signals and check the abonnementstarief (docs/reconcile.md).
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>

#include <fmt/format.h>

#include "cli/clock.hpp"
#include "cli/command.hpp"
#include "cli/ledger_option.hpp"
#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "core/errors.hpp"
#include "core/reconcile/billing.hpp"
#include "core/reconcile/csv.hpp"
#include "core/reconcile/policy.hpp"
#include "core/reconcile/reconcile.hpp"
#include "core/reconcile/tariffs.hpp"
#include "core/report/month_report.hpp"
#include "core/output/atomic_file.hpp"
#include "core/xml/schema_bundle.hpp"

namespace istd::cli {
namespace {

class CommandReconcile : public Command {
 public:
  void setup(CLI::App& app) override {
    app.description(
        "Reconcile one claim month: judge every 323 in the ledger whose DeclaratiePeriode is "
        "--month against the allocations, starts/stops and earlier claims (TR304, "
        "TR307, TR308, TR314, TR318, TR319, TR321, TR322, TR323, TR333, TR338-TR341, TR346, "
        "TR369, TR384, TR387-TR390, TR418 with --tariffs; credits before debits), answer each "
        "with a 325 (recorded in the ledger, written to DIR/325/<agb>/), report signals "
        "(before-start, in-pause, after-stop, partial-pause; never a rejection, OP364) and "
        "check the abonnementstarief against --billing.\n"
        "Outputs in DIR (each file written atomically): report.html, findings.jsonl, findings.csv, "
        "abonnementstarief.csv, summary.json, 325/. These files show full BSNs; the text "
        "summary on stdout masks them. A declaration is judged once; a rerun reports the "
        "stored verdicts and recomputes signals and the abonnementstarief check.\n\n"
        "Policy file (--policy): `key = value` lines, # comments. Keys and defaults:\n" +
        reconcile::Policy::defaults_text() +
        "Billing CSV (what the CAK billed): header bsn;month;amount[;household]; month "
        "YYYY-MM, amount in euros (21,00 or 21.00 or EUR 21,00).\n"
        "Tariffs CSV: header gemeente;agb;product_code;eenheid;tarief;begindatum[;einddatum]; "
        "tarief in euros. CSV files may be separated by ';', ',' or TAB (found from the "
        "header), as spreadsheets save them. See docs/reconcile.md.\n\n"
        "Open DIR/report.html in a browser: the month for people who act on it (Dutch; --lang "
        "en for English), with every rejection, signal and refund explained. It shows BSNs "
        "unless --mask-bsn is given.\n\n"
        "Exit status: 0 nothing rejected and no refund, 1 some claim line rejected or an "
        "abonnementstarief refund found, 2 usage or configuration error (bad policy, billing "
        "or tariffs file: nothing is written), 3 runtime failure (I/O, database).");
    app.footer(
        "Examples:\n"
        "  istd reconcile --db ledger.db --month 2025-06 --out maand-2025-06/\n"
        "  istd reconcile --db ledger.db --month 2025-06 --billing cak-2025-06.csv \\\n"
        "                 --policy beleid.txt --tariffs tarieven.csv --out maand-2025-06/");
    add_ledger_option(app, db_, true);
    app.add_option("--month", month_, "The claim month YYYY-MM (DeclaratiePeriode)")->required();
    app.add_option("--billing", billing_,
                   "Abonnementstarief billing list (CSV: bsn,month,amount[,household]); every "
                   "line up to --month is compared");
    app.add_option("--policy", policy_, "Policy file (key = value; defaults above)");
    app.add_option("--tariffs", tariffs_,
                   "Contract tariffs (CSV) for TR418, TR346 and TR341 without Omvang");
    app.add_option("--out", out_, "Output directory")->required();
    app.add_option("--format", format_,
                   "stdout: text (summary, BSNs masked) or json (the findings as JSON Lines, "
                   "the same objects as findings.jsonl)")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    app.add_option("--today", today_,
                   "Dagtekening of the 325s, YYYY-MM-DD. Default: $ISTD_TODAY, else today in "
                   "Europe/Amsterdam");
    app.add_option("--schemas", schemas_,
                   "Schema bundle (XsdVersie of the 325s from the appinfo of WMO325.xsd and "
                   "JW325.xsd). Default: the bundled iWmo 3.2 and iJw 3.2 schemas");
    app.add_flag("-q,--quiet", quiet_, "No progress line on standard error");
    app.add_option("--lang", lang_,
                   "Language of report.html: nl (Dutch) or en (English); the standard's terms "
                   "stay as they are")
        ->check(CLI::IsMember({"nl", "en"}))
        ->capture_default_str();
    app.add_flag("--mask-bsn", mask_bsn_,
                 "Mask the BSNs in report.html (******006); the CSV and JSON files keep them");
    app.add_option("--report-rows", report_rows_,
                   "report.html shows at most this many rejected lines per retourcode, signals "
                   "per kind and households with refunds; the CSV files hold them all")
        ->check(CLI::Range(1, 1000000))
        ->capture_default_str();
  }

  int run() override {
    reconcile::Options opt;
    // --month
    if (month_.size() != 7 || month_[4] != '-')
      throw CLI::ValidationError("--month", "expected YYYY-MM, got " + month_);
    {
      auto d = model::parse_date(month_ + "-01");
      if (!d) throw CLI::ValidationError("--month", "expected YYYY-MM, got " + month_);
      opt.year = d->year;
      opt.month = d->month;
    }
    // --today
    opt.today = resolve_today(today_);
    // All inputs are read and checked before anything is written.
    if (!policy_.empty())
      opt.policy = reconcile::Policy::parse(reconcile::csv::read_file(policy_), policy_);
    if (!billing_.empty())
      opt.billing = reconcile::parse_billing(reconcile::csv::read_file(billing_), billing_);
    std::optional<reconcile::Tariffs> tariffs;
    if (!tariffs_.empty()) {
      tariffs = reconcile::Tariffs::parse(reconcile::csv::read_file(tariffs_), tariffs_);
      opt.tariffs = &*tariffs;
    }
    try {
      const auto dir = schemas_.empty() ? SchemaBundle::default_dir() : std::filesystem::path(schemas_);
      // The XsdVersie of the 325s istd writes: the appinfo of the WMO325/JW325 schema in use.
      auto bundle = SchemaBundle::load(dir);
      if (const auto* f = bundle.message_schema(model::MessageType::WMO325)) {
        if (!f->bericht_xsd_versie.empty()) opt.xsd_bericht = f->bericht_xsd_versie;
        if (!f->basisschema_xsd_versie.empty()) opt.xsd_basis = f->basisschema_xsd_versie;
      }
      if (const auto* f = bundle.message_schema(model::MessageType::JW325)) {
        if (!f->bericht_xsd_versie.empty()) opt.jw_xsd_bericht = f->bericht_xsd_versie;
        if (!f->basisschema_xsd_versie.empty()) opt.jw_xsd_basis = f->basisschema_xsd_versie;
      }
    } catch (const ConfigError&) {
      if (!schemas_.empty()) throw;
    }

    Progress progress("reconcile", "declarations", 0, quiet_);
    if (progress.enabled())
      opt.progress = [&progress](std::size_t, std::size_t total) {
        progress.set_total(total);
        progress.advance();
      };
    auto result = reconcile::run(db_, opt);
    progress.finish();
    reconcile::write_outputs(result, out_);
    report::MonthReportOptions ro;
    explain::parse_lang(lang_, &ro.lang);
    ro.mask_bsn = mask_bsn_;
    ro.max_rows = report_rows_;
    ro.generated_on = opt.today.to_string();
    output::write_file_atomic(std::filesystem::path(out_) / "report.html",
                            report::month_report_html(result, reconcile::summary(result), ro));
    if (format_ == "json") {
      reconcile::write_findings_jsonl(result, [](std::string_view line) {
        std::fwrite(line.data(), 1, line.size(), stdout);
      });
    } else {
      std::fputs(reconcile::summary_text(result, out_).c_str(), stdout);
    }
    bool findings = false;
    for (const auto& d : result.declarations)
      for (const auto& l : d.judgement.lines) findings = findings || !l.approved;
    for (const auto& f : result.at.findings) findings = findings || f.refund;
    return findings ? kFindings : kOk;
  }

 private:
  std::string db_, month_, billing_, policy_, tariffs_, out_, today_, schemas_;
  std::string format_ = "text";
  bool quiet_ = false;
  std::string lang_ = "nl";
  bool mask_bsn_ = false;
  std::size_t report_rows_ = 200;
};

}  // namespace

std::unique_ptr<Command> make_reconcile() { return std::make_unique<CommandReconcile>(); }

}  // namespace istd::cli
