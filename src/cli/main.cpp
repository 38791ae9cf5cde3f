// istd: the iStandaarden (iWmo 3.2) message processor. Dispatches to one command per file.
#include <cstdio>
#include <exception>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/commands.hpp"
#include "core/errors.hpp"
#include "core/xml/platform.hpp"

namespace istd::cli {

const std::vector<CommandInfo>& commands() {
  static const std::vector<CommandInfo> list = {
      {"validate", "Check iWmo 3.2 and iJw 3.2 messages: schemas and message-level rules",
       &make_validate},
      {"ingest", "Take in messages: judge them against the ledger, record, answer and route",
       &make_ingest},
      {"timeline", "Show one client's allocations, starts, stops and delivery periods",
       &make_timeline},
      {"serve", "Serve validation and ingest over HTTPS with mutual TLS", &make_serve},
      {"reconcile", "Judge a month's claims (323 -> 325), report signals and check the "
       "abonnementstarief", &make_reconcile},
      {"worklist", "List what is overdue: missing starts, stops, pause follow-ups and retours",
       &make_worklist},
      {"cak", "Make the start/stop list of the eigen bijdrage for the CAK (what changed)",
       &make_cak},
      {"explain", "Explain a rule code, retourcode, signal or abonnementstarief finding",
       &make_explain},
  };
  return list;
}

}  // namespace istd::cli

int main(int argc, char** argv) {
  using namespace istd::cli;
  CLI::App app{
      "istd: iStandaarden message processor for the Wmo (iWmo 3.2) and the Jeugdwet "
      "(iJw 3.2).\n"
      "Validates, routes and reconciles the messages municipalities and care providers "
      "exchange."};
  app.name("istd");
  app.set_version_flag("--version", "istd 0.1.0 (iWmo 3.2, iJw 3.2)");
  app.require_subcommand(1);
  std::vector<std::unique_ptr<Command>> cmds;
  std::vector<std::pair<CLI::App*, Command*>> subs;
  for (const auto& info : commands()) {
    auto cmd = info.make();
    CLI::App* sub = app.add_subcommand(info.name, info.description);
    cmd->setup(*sub);
    subs.emplace_back(sub, cmd.get());
    cmds.push_back(std::move(cmd));
  }
  // After the subcommands: they would inherit it.
  app.footer(
      "Examples:\n"
      "  istd validate berichten/\n"
      "  istd ingest --db ledger.db --out uit/ inbox/\n"
      "  istd reconcile --db ledger.db --month 2025-06 --billing cak-2025-06.csv \\\n"
      "                 --out maand-2025-06/\n"
      "Run 'istd <command> --help' for the options of one command; docs/ingest.md,\n"
      "docs/reconcile.md and docs/serve.md explain them in full.\n"
      "Environment:\n"
      "  ISTD_TODAY=YYYY-MM-DD     the date of receipt / of the answers (as --today)\n"
      "  ISTD_SCHEMAS=DIR          the XSD bundle when no --schemas is given\n"
      "  ISTD_PROGRESS=never       never draw the progress line (always: also when\n"
      "                            standard error is no terminal)\n"
      "  ISTD_LEDGER_PROFILE=1     diagnostic: on exit, print the time spent per ledger\n"
      "                            statement to standard error");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "istd: error: %s\nRun 'istd --help' or 'istd <command> --help'.\n",
                 e.what());
    return kUsage;
  }
  istd::xml::Platform xerces;
  try {
    for (auto& [sub, cmd] : subs)
      if (sub->parsed()) return cmd->run();
    return kUsage;
  } catch (const CLI::ValidationError& e) {
    std::fprintf(stderr, "istd: error: %s\n", e.what());
    return kUsage;
  } catch (const istd::ConfigError& e) {
    std::fprintf(stderr, "istd: error: %s\n", e.what());
    return kUsage;
  } catch (const istd::StorageFullError& e) {
    std::fprintf(stderr,
                 "istd: error: %s\n"
                 "istd: the disk is full. What was finished before is kept (every output file "
                 "is complete or absent; the ledger holds only committed work). Free space and "
                 "run the same command again: it gives the same result, nothing twice.\n",
                 e.what());
    return kRuntime;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "istd: error: %s\n", e.what());
    return kRuntime;
  }
}
