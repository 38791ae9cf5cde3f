// istd cak: the start/stop list of the eigen bijdrage for the CAK, one export of what changed
// since the previous one (docs/cak.md).
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/clock.hpp"
#include "cli/command.hpp"
#include "cli/ledger_option.hpp"
#include "cli/commands.hpp"
#include "cli/fault.hpp"
#include "core/cak/export.hpp"
#include "core/errors.hpp"
#include "core/reconcile/csv.hpp"

namespace istd::cli {
namespace {

class CommandCak : public Command {
 public:
  void setup(CLI::App& app) override {
    app.description(
        "Make the start/stop list of the eigen bijdrage per person, as the municipality "
        "reports it to the CAK (the data of WMO405: Bsn, EbStartNummer, EbStartdatum or "
        "EbStopdatum, StatusAanlevering). The episodes come from the same day states and "
        "policy as the abonnementstarief check of istd reconcile (trigger, pause_suspends, "
        "exempt categories, minors); a gap without a whole calendar month is no gap (the CAK "
        "bills whole months). Nothing after --today is reported.\n"
        "Each run writes only what changed since the previous export: a new start or stop "
        "(StatusAanlevering 1), a changed date (2, same EbStartNummer), a withdrawn stop or "
        "episode (3, e.g. its 305 was deleted). Each line names the messages that caused it "
        "and says why. A run with nothing new writes an empty export. The ledger remembers "
        "every export; --export N writes export N again, byte for byte.\n"
        "Outputs in DIR, written atomically: cak-export-NNNN.csv (';', for spreadsheets) and "
        "cak-export-NNNN.jsonl. They show full BSNs; the text on stdout masks them. The iEb "
        "WMO405 XML itself is not made (its schema is not public): see docs/cak.md.\n\n"
        "Exit status: 0 done, 2 usage or configuration error, 3 database or I/O failure.");
    app.footer(
        "Examples:\n"
        "  istd cak --db ledger.db --out cak/\n"
        "  istd cak --db ledger.db --out cak/ --policy beleid.txt --today 2025-07-01\n"
        "  istd cak --db ledger.db --out cak/ --export 3      (export 3 again)");
    add_ledger_option(app, db_, true);
    app.add_option("--out", out_, "Output directory")->required();
    app.add_option("--policy", policy_,
                   "Policy file (key = value, as for istd reconcile): trigger, "
                   "pause_suspends, exempt_categories, minors_exempt, "
                   "minors_charged_categories, einddatum_inclusive");
    app.add_option("--today", today_,
                   "The export's date, YYYY-MM-DD. Default: $ISTD_TODAY, else today in "
                   "Europe/Amsterdam");
    app.add_option("--export", export_, "Write this earlier export again instead of a new one")
        ->check(CLI::PositiveNumber);
    app.add_option("--lang", lang_, "Language of the reasons in a new export: nl or en")
        ->check(CLI::IsMember({"nl", "en"}))
        ->capture_default_str();
  }

  int run() override {
    cak::Options o;
    o.today = resolve_today(today_);
    o.out = out_;
    if (export_ > 0) o.rewrite = export_;
    if (!policy_.empty())
      o.policy = reconcile::Policy::parse(reconcile::csv::read_file(policy_), policy_);
    explain::parse_lang(lang_, &o.lang);
    o.durability_point = fault_after_from_env();  // crash tests only
    const auto r = cak::run(db_, o);
    const std::string out = cak::summary_text(r);
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
    if (std::ferror(stdout)) throw RuntimeError("writing the output failed");
    return kOk;
  }

 private:
  std::string db_, out_, policy_, today_, lang_ = "nl";
  std::int64_t export_ = 0;
};

}  // namespace

std::unique_ptr<Command> make_cak() { return std::make_unique<CommandCak>(); }

}  // namespace istd::cli
