// A schema bundle: the XSD files of one directory (laid out like the official download:
// WMOnnn.xsd or JWnnn.xsd files and the basisschema they import), or of one subdirectory per
// standard (schemas/iwmo-3.2 and schemas/ijw-3.2), read once into memory. Immutable after
// loading, so one bundle is shared by every worker thread; each worker compiles a standard's
// schemas into its own Xerces grammar pool when it meets that standard's first message (see
// Validator).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/model.hpp"

namespace istd {

class SchemaBundle {
 public:
  struct File {
    std::string name;       ///< "WMO305.xsd", or with its subdirectory "ijw-3.2/JW305.xsd"
    std::string bytes;      ///< file content
    std::string target_ns;  ///< targetNamespace attribute
    model::MessageType type = model::MessageType::unknown;  ///< for message schemas
    std::string bericht_xsd_versie;      ///< from the appinfo, if present
    std::string basisschema_xsd_versie;  ///< from the appinfo, if present
  };

  /// Reads every *.xsd file in `dir`, or when it has none, in each of its subdirectories.
  /// @throws ConfigError when the directory cannot be read, holds no message schema, or a
  /// message schema's targetNamespace is not an iWmo 3.2 message namespace we know.
  static SchemaBundle load(const std::filesystem::path& dir);

  /// The bundle that ships with istd (both standards): $ISTD_SCHEMAS, else `schemas` in the
  /// executable's share dir or the source tree it was built from.
  static std::filesystem::path default_dir();

  const std::filesystem::path& dir() const { return dir_; }
  const std::vector<File>& files() const { return files_; }
  /// The message schema for a type, or nullptr when the bundle has none.
  const File* message_schema(model::MessageType t) const;
  /// A file by name; names are matched case-insensitively (the official download names the
  /// basisschema "Basisschema.xsd" while the message schemas import "basisschema.xsd").
  const File* find(std::string_view file_name) const;
  /// The file whose targetNamespace is `target_ns` (how imports are resolved).
  const File* by_namespace(std::string_view target_ns) const;

 private:
  std::filesystem::path dir_;
  std::vector<File> files_;
};

}  // namespace istd
