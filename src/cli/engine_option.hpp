// --engine of the commands that validate (validate, ingest, serve): which schema engine checks
// the messages, and the one notice when the compiled engine hands a standard to Xerces.
#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "core/validator.hpp"

namespace istd {
class SchemaBundle;
}

namespace istd::cli {

/// Registers --engine on `app`, stored in `engine` ("compiled" unless given).
void add_engine_option(CLI::App& app, std::string& engine);

/// The engine named by the option's value.
Engine engine_named(const std::string& engine);

/// With the compiled engine: compiles the bundle's schemas of both standards once, up front (a
/// schema that does not compile is a configuration error here, not a failure per message) and
/// writes one line on standard error for a standard whose schemas the compiled engine cannot
/// check (its messages are then checked by Xerces' validator, with the same results, slower).
void prepare_engine(const std::shared_ptr<const SchemaBundle>& bundle,
                    const ValidateOptions& options, const char* command);

}  // namespace istd::cli
