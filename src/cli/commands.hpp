// Factories of the registered commands (one cmd_<name>.cpp each).
#pragma once

#include <memory>

#include "cli/command.hpp"

namespace istd::cli {

std::unique_ptr<Command> make_validate();
std::unique_ptr<Command> make_reconcile();
std::unique_ptr<Command> make_ingest();
std::unique_ptr<Command> make_timeline();
std::unique_ptr<Command> make_serve();
std::unique_ptr<Command> make_explain();
std::unique_ptr<Command> make_worklist();
std::unique_ptr<Command> make_cak();

}  // namespace istd::cli
