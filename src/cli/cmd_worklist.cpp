// istd worklist: what the ledger shows as overdue today, and who must act (docs/worklist.md).
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/clock.hpp"
#include "cli/command.hpp"
#include "cli/ledger_option.hpp"
#include "cli/commands.hpp"
#include "core/errors.hpp"
#include "core/reconcile/csv.hpp"
#include "core/worklist/render.hpp"
#include "core/worklist/worklist.hpp"

namespace istd::cli {
namespace {

class CommandWorklist : public Command {
 public:
  void setup(CLI::App& app) override {
    app.description(
        "List every open obligation the ledger shows as overdue on --today, with who must act, "
        "the client, the allocation or message concerned, the due date, how many working days "
        "it is overdue and the messages that prove it:\n"
        "  start-missing   an allocation without a start (305) more than start_overdue_days "
        "working days (policy, default 5) after its Ingangsdatum, or after the 301 when that "
        "came later\n"
        "  stop-missing    an allocation whose Einddatum passed more than 5 working days ago "
        "while its delivery is still open: no definitive stop (307; OP288)\n"
        "  pause-open      a pause (307 reden 20) with neither a restart (305) nor a "
        "definitive stop after pause_followup_days (policy, default 30 calendar days): after "
        "a whole calendar month of pause the abonnementstarief should stop\n"
        "  request-open    a request (315/317) without a 301 or 319 after 5 working days; "
        "after an answer \"in onderzoek\" the final answer is due 8 weeks after the request\n"
        "  retour-missing  a 301, 305, 307, 315, 317 or 319 without its retour (302, 306, 308, "
        "316, 318, 320) after 3 working days, a 323 without its 325 after 10 working days\n"
        "Working days leave out Saturdays, Sundays and the holidays of the Algemene "
        "termijnenwet (New Year's Day, Easter Monday, King's Day, 5 May, Ascension Day, Whit "
        "Monday, Christmas and Boxing Day). An item disappears as soon as the message that "
        "settles it is ingested. The text output masks BSNs; csv and json show them.\n\n"
        "Exit status: 0 nothing overdue, 1 items listed, 2 usage or configuration error, 3 "
        "database failure.");
    app.footer(
        "Examples:\n"
        "  istd worklist --db ledger.db\n"
        "  istd worklist --db ledger.db --party 65656055 --today 2025-07-01\n"
        "  istd worklist --db ledger.db --format csv > werklijst.csv");
    add_ledger_option(app, db_, true);
    app.add_option("--today", today_,
                   "The day to judge on, YYYY-MM-DD. Default: $ISTD_TODAY, else today in "
                   "Europe/Amsterdam");
    app.add_option("--party", party_,
                   "Only the items of this party: a provider's AGB code or a municipality's "
                   "code");
    app.add_option("--policy", policy_,
                   "Policy file (key = value, as for istd reconcile): start_overdue_days, "
                   "pause_followup_days, einddatum_inclusive");
    app.add_option("--format", format_,
                   "text (for people, BSNs masked), csv (';', for spreadsheets) or json (JSON "
                   "Lines, one item per line)")
        ->check(CLI::IsMember({"text", "csv", "json"}))
        ->capture_default_str();
    app.add_option("--limit", limit_,
                   "Text output: show the N most overdue items after the counts (0 = all); "
                   "csv and json always hold every item")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    app.add_option("--lang", lang_, "Language of the explanations: nl or en")
        ->check(CLI::IsMember({"nl", "en"}))
        ->capture_default_str();
  }

  int run() override {
    worklist::Options o;
    o.today = resolve_today(today_);
    o.party = party_;
    if (!policy_.empty())
      o.policy = reconcile::Policy::parse(reconcile::csv::read_file(policy_), policy_);
    explain::Lang lang = explain::Lang::nl;
    explain::parse_lang(lang_, &lang);
    const auto w = worklist::build(worklist::load(db_, o.policy), o);
    const std::string out = format_ == "csv"    ? worklist::to_csv(w, lang)
                            : format_ == "json" ? worklist::to_jsonl(w, lang)
                                                : worklist::to_text(w, lang, limit_);
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
    if (std::ferror(stdout)) throw RuntimeError("writing the output failed");
    return w.items.empty() ? kOk : kFindings;
  }

 private:
  std::string db_, today_, party_, policy_, format_ = "text", lang_ = "nl";
  std::size_t limit_ = 100;
};

}  // namespace

std::unique_ptr<Command> make_worklist() { return std::make_unique<CommandWorklist>(); }

}  // namespace istd::cli
