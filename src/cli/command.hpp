// A subcommand of the istd CLI: `setup` registers its options on a CLI11 subcommand (parsing
// only, no I/O); `run` does the work and returns the exit code.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace istd::cli {

/// Exit codes, shared by every command.
enum ExitCode : int {
  kOk = 0,          ///< everything valid / done
  kFindings = 1,    ///< some input was invalid or rejected
  kUsage = 2,       ///< bad flag or configuration (unreadable schema bundle, bad policy file)
  kRuntime = 3,     ///< runtime failure (I/O, database)
};

class Command {
 public:
  virtual ~Command() = default;
  virtual void setup(CLI::App& sub) = 0;
  virtual int run() = 0;
};

struct CommandInfo {
  std::string name;
  std::string description;
  std::unique_ptr<Command> (*make)();
};

/// Every registered command, in the order `istd --help` lists them.
const std::vector<CommandInfo>& commands();

}  // namespace istd::cli
