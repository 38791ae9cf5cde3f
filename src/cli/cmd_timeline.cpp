// istd timeline: one citizen's allocations, starts, stops and derived delivery periods.
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/command.hpp"
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
        "Show what the ledger knows about one client: per allocation the 301 versions, the "
        "starts (305) and stops (307) including deleted ones, and the derived delivery, pause "
        "and stop periods, each with the message that proves it. Meant for an employee "
        "answering that citizen; the BSN is shown in the output (and nowhere else).\n\n"
        "Exit status: 0 done (also when nothing is known), 2 usage error, 3 database failure.");
    app.footer(
        "Examples:\n"
        "  istd timeline --db ledger.db --bsn 999900006\n"
        "  istd timeline --db ledger.db --bsn 999900006 --format json > client.json");
    app.add_option("--db", db_, "The ledger written by istd ingest")
        ->required()
        ->check(CLI::ExistingFile);
    app.add_option("--bsn", bsn_, "Burgerservicenummer of the client (9 digits)")->required();
    app.add_option("--format", format_, "Output: text (for people) or json")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
  }

  int run() override {
    ledger::OpenOptions o;
    o.create = false;
    ledger::Ledger ledger(db_, o);
    const auto t = ingest::build_timeline(ledger, bsn_);
    std::string out = format_ == "json" ? ingest::to_json(t).dump(2) + "\n" : ingest::to_text(t);
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
