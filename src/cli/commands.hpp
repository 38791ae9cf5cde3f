// Factories of the registered commands (one cmd_<name>.cpp each).
#pragma once

#include <memory>

#include "cli/command.hpp"

namespace istd::cli {

std::unique_ptr<Command> make_validate();

}  // namespace istd::cli
