// --engine: the option, and the compiled engine's start-up check of the schema bundle.
#include "cli/engine_option.hpp"

#include <fmt/format.h>

#include <cstdio>

#include "core/xml/schema_bundle.hpp"

namespace istd::cli {

void add_engine_option(CLI::App& app, std::string& engine) {
  engine = "compiled";
  app.add_option("--engine", engine,
                 "How the schemas (XSD) are checked: compiled (default: istd's own checks, "
                 "compiled from the schemas when the run starts; the fastest) or xerces "
                 "(Xerces-C's schema validator, the reference the compiled checks are tested "
                 "against; same results, slower)")
      ->check(CLI::IsMember({"compiled", "xerces"}))
      ->capture_default_str();
}

Engine engine_named(const std::string& engine) {
  return engine == "xerces" ? Engine::xerces : Engine::compiled;
}

void prepare_engine(const std::shared_ptr<const SchemaBundle>& bundle,
                    const ValidateOptions& options, const char* command) {
  Validator probe(bundle, options);
  for (const auto standard : {model::Standard::iwmo, model::Standard::ijw}) {
    if (options.standard && *options.standard != standard) continue;
    bool present = false;
    for (const auto& f : bundle->files())
      if (f.type != model::MessageType::unknown && model::standard_of(f.type) == standard)
        present = true;
    if (!present) continue;
    const auto refused = probe.compiled_engine_refused(standard);
    if (!refused) continue;
    const std::string line = fmt::format(
        "istd {}: note: the {} schemas of {} use something the compiled engine does not "
        "check ({}); Xerces' validator checks those messages instead (same results, slower)\n",
        command, model::standard_name(standard), bundle->dir().string(), *refused);
    std::fwrite(line.data(), 1, line.size(), stderr);
  }
}

}  // namespace istd::cli
