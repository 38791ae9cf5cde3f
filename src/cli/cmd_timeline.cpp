// istd timeline: one citizen's allocations, starts, stops and derived delivery periods.
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/ledger_option.hpp"
#include "cli/commands.hpp"
#include "core/errors.hpp"
#include "core/ingest/timeline.hpp"
#include "core/ledger/ledger.hpp"

namespace istd::cli {
namespace {

class CommandTimeline : public Command {
 public:
  void setup(CLI::App& app) override {
    app.description(
        "Show what the ledger knows about one client: the requests (315/317) and their "
        "answers, per allocation the 301 versions, the starts (305) and stops (307) including "
        "deleted ones, and the derived delivery, pause and stop periods, each with the message "
        "that proves it. Wmo and Jeugdwet (JW messages) are shown apart, each under its own "
        "heading when the client has both. Meant for an employee answering that citizen; the "
        "BSN is shown in the output (and nowhere else).\n\n"
        "Exit status: 0 done (also when nothing is known), 2 usage error, 3 database failure.");
    app.footer(
        "Examples:\n"
        "  istd timeline --db ledger.db --bsn 999900006\n"
        "  istd timeline --db ledger.db --bsn 999900006 --format json > client.json");
    add_ledger_option(app, db_, true);
    app.add_option("--bsn", bsn_, "Burgerservicenummer of the client (9 digits)")->required();
    app.add_option("--format", format_, "Output: text (for people) or json")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
  }

  int run() override {
    ledger::OpenOptions o;
    o.create = false;
    ledger::Ledger ledger(db_, o);
    const auto wmo = ingest::build_timeline(ledger, bsn_, model::Standard::iwmo);
    const auto jeugd = ingest::build_timeline(ledger, bsn_, model::Standard::ijw);
    std::string out = format_ == "json" ? ingest::to_json(wmo, jeugd).dump(2) + "\n"
                                        : ingest::to_text(wmo, jeugd);
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
    if (std::ferror(stdout)) throw RuntimeError("writing the output failed");
    return kOk;
  }

 private:
  std::string db_, bsn_, format_ = "text";
};

}  // namespace

std::unique_ptr<Command> make_timeline() { return std::make_unique<CommandTimeline>(); }

}  // namespace istd::cli
