// "Today" for the commands: the receiver's calendar date (TR135, DagtekeningRetour, 325
// Dagtekening). Injectable with --today or $ISTD_TODAY for tests and back-dated runs.
#pragma once

#include <string>

#include "core/model.hpp"

namespace istd::cli {

/// The current calendar date in Europe/Amsterdam.
model::Date amsterdam_today();

/// `flag` if set, else $ISTD_TODAY if set, else amsterdam_today().
/// @throws CLI::ValidationError when the given date is not YYYY-MM-DD.
model::Date resolve_today(const std::string& flag);

}  // namespace istd::cli
