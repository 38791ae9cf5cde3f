#include "core/xml/schema_bundle.hpp"

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>
#include <system_error>

#include <fmt/format.h>
#include <fmt/std.h>

#include "core/errors.hpp"

#ifndef ISTD_DEFAULT_SCHEMA_DIR
#define ISTD_DEFAULT_SCHEMA_DIR "schemas"
#endif

namespace istd {
namespace {

std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw ConfigError(fmt::format("cannot read schema file {}", p));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string attribute(const std::string& text, const std::string& name) {
  std::smatch m;
  std::regex re(name + R"(\s*=\s*["']([^"']*)["'])");
  if (std::regex_search(text, m, re)) return m[1].str();
  return {};
}

std::string appinfo(const std::string& text, const std::string& tag) {
  std::smatch m;
  std::regex re("<[A-Za-z0-9_]+:" + tag + R"(>\s*([0-9.]+)\s*<)");
  if (std::regex_search(text, m, re)) return m[1].str();
  return {};
}

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](char x, char y) { return std::tolower(x) == std::tolower(y); });
}

}  // namespace

namespace {

std::vector<std::filesystem::path> xsd_files(const std::filesystem::path& dir) {
  std::error_code ec;
  std::vector<std::filesystem::path> paths;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".xsd" || e.path().extension() == ".XSD") paths.push_back(e.path());
  }
  if (ec) throw ConfigError(fmt::format("cannot list schema bundle {}: {}", dir, ec.message()));
  std::sort(paths.begin(), paths.end());
  return paths;
}

}  // namespace

SchemaBundle SchemaBundle::load(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    throw ConfigError(fmt::format("schema bundle {} is not a readable directory", dir));
  SchemaBundle b;
  b.dir_ = dir;
  // Either one standard's XSDs in `dir`, or one subdirectory per standard (schemas/iwmo-3.2,
  // schemas/ijw-3.2). Each standard has its own basisschema.xsd: imports are resolved by
  // namespace, so the two never mix.
  std::vector<std::filesystem::path> paths = xsd_files(dir);
  if (paths.empty()) {
    std::vector<std::filesystem::path> subdirs;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
      if (e.is_directory()) subdirs.push_back(e.path());
    std::sort(subdirs.begin(), subdirs.end());
    for (const auto& sub : subdirs)
      for (auto& p : xsd_files(sub)) paths.push_back(std::move(p));
  }
  bool any_message = false;
  for (const auto& p : paths) {
    File f;
    f.name = p.filename().string();
    if (p.parent_path() != dir) f.name = p.parent_path().filename().string() + "/" + f.name;
    f.bytes = read_all(p);
    // Tolerate the stray text some published copies carry before the XML declaration.
    if (auto pos = f.bytes.find("<?xml"); pos != std::string::npos && pos > 0) f.bytes.erase(0, pos);
    f.target_ns = attribute(f.bytes, "targetNamespace");
    f.type = model::type_from_namespace(f.target_ns);
    f.bericht_xsd_versie = appinfo(f.bytes, "BerichtXsdVersie");
    f.basisschema_xsd_versie = appinfo(f.bytes, "BasisschemaXsdVersie");
    if (f.type != model::MessageType::unknown) any_message = true;
    b.files_.push_back(std::move(f));
  }
  if (!any_message)
    throw ConfigError(fmt::format(
        "schema bundle {} holds no iWmo 3.2 or iJw 3.2 message schema (expected WMOnnn.xsd or "
        "JWnnn.xsd files with targetNamespace http://www.istandaarden.nl/iwmo/3_2/wmoNNN/schema "
        "or http://www.istandaarden.nl/ijw/3_2/jwNNN/schema, in the directory or in one "
        "subdirectory per standard)",
        dir));
  return b;
}

std::filesystem::path SchemaBundle::default_dir() {
  if (const char* env = std::getenv("ISTD_SCHEMAS"); env && *env) return env;
  std::error_code ec;
  // Installed layout: <prefix>/bin/istd and <prefix>/share/istd/schemas/{iwmo-3.2,ijw-3.2}.
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto share = exe.parent_path().parent_path() / "share" / "istd" / "schemas";
    if (std::filesystem::is_directory(share, ec)) return share;
  }
  return std::filesystem::path(ISTD_DEFAULT_SCHEMA_DIR);
}

const SchemaBundle::File* SchemaBundle::message_schema(model::MessageType t) const {
  for (const auto& f : files_)
    if (f.type == t) return &f;
  return nullptr;
}

const SchemaBundle::File* SchemaBundle::find(std::string_view file_name) const {
  for (const auto& f : files_)
    if (iequals(f.name, file_name)) return &f;
  return nullptr;
}

const SchemaBundle::File* SchemaBundle::by_namespace(std::string_view target_ns) const {
  for (const auto& f : files_)
    if (f.target_ns == target_ns) return &f;
  return nullptr;
}

}  // namespace istd
