// Validation of one message: size and encoding checks, one Xerces SAX2 pass that validates
// against the cached grammar and builds the typed model, then (optionally) the level-2 rules.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "core/model.hpp"

namespace istd {

class SchemaBundle;

/// What to check.
enum class Checks { xsd, all };

/// How the schemas are checked. compiled: istd's own tables compiled from the schema bundle
/// (src/core/xsd/) run on Xerces' non-validating scanner; xerces: Xerces-C's schema validator,
/// the reference the compiled engine is tested against. A bundle using a construct the compiled
/// engine does not handle is checked by Xerces (see Validator::compiled_engine_refused).
enum class Engine { compiled, xerces };

/// How to treat a UTF-8 byte-order mark (the standard asks for UTF-8 without one, OP192; the
/// domain specification treats it as a warning).
enum class BomPolicy { warn, reject };

struct ValidateOptions {
  Checks checks = Checks::all;
  Engine engine = Engine::compiled;
  std::size_t max_message_bytes = 25u * 1024u * 1024u;  ///< the hubs' envelope limit
  BomPolicy bom = BomPolicy::warn;
  std::size_t max_findings = 100;  ///< parsing stops after this many XSD findings
  std::size_t max_depth = 64;      ///< deeper nesting is refused (no iWmo message nests > 10)
  std::size_t max_text_bytes = 1u * 1024u * 1024u;  ///< longest text node accepted
  /// For tests: hand the parser at most this many bytes per read (0 = all at once), so the
  /// "grind" tests can check that results do not depend on how input arrives.
  std::size_t input_chunk = 0;
  /// `--standard`: only messages of this standard are taken; others get finding STANDARD.
  std::optional<model::Standard> standard;
};

struct ValidationResult {
  std::string source;
  model::MessageType type = model::MessageType::unknown;
  std::string identificatie;      ///< header Identificatie, if it was read
  bool xsd_valid = false;         ///< well-formed, acceptable and schema-valid
  std::vector<Finding> findings;
  /// The typed model; present when the message was XSD-valid.
  std::optional<model::Message> message;

  /// True when no finding has severity error.
  bool valid() const;
};

/// Validates messages. Not thread-safe: one Validator per thread. Each owns its own Xerces
/// parser and grammar pool (Xerces-C 3.2.4 aborted in RangeToken.cpp when two threads shared a
/// pool with pattern facets), loaded from the shared, immutable SchemaBundle.
class Validator {
 public:
  /// @throws ConfigError when a schema in the bundle cannot be compiled.
  Validator(std::shared_ptr<const SchemaBundle> schemas, ValidateOptions options);
  ~Validator();
  Validator(const Validator&) = delete;
  Validator& operator=(const Validator&) = delete;

  /// Validates one message held in memory. Never throws for bad input: every problem becomes a
  /// finding. `source` names the input in findings (a path, "-" for stdin).
  ValidationResult validate(std::string_view bytes, std::string source);

  /// Reads a file (refusing it when larger than the limit, without reading it) and validates it.
  ValidationResult validate_file(const std::filesystem::path& file);

  /// The result for an input of `size` bytes, more than the limit, refused without being read
  /// (one LIMIT finding naming the size and the limit).
  ValidationResult too_large(std::string source, std::uint64_t size) const;

  const ValidateOptions& options() const { return options_; }

  /// Compiles the schemas of `standard` now (they are otherwise compiled when its first
  /// message is met). With Engine::compiled: why the compiled engine cannot check them (its
  /// messages are then checked by Xerces' validator), or nothing when it can.
  /// @throws ConfigError when a schema does not compile.
  std::optional<std::string> compiled_engine_refused(model::Standard standard);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  ValidateOptions options_;
};

}  // namespace istd
