#include "server/parties.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace istd::server {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

bool is_party_code(std::string_view s) {
  return (s.size() == 4 || s.size() == 8) &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

PartyMap PartyMap::load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ConfigError(fmt::format("cannot read parties file {}", file.string()));
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), file.string());
}

PartyMap PartyMap::parse(std::string_view text, const std::string& name) {
  PartyMap m;
  std::size_t line_no = 0;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    if (const auto hash = line.find('#'); hash != std::string_view::npos)
      line = line.substr(0, hash);
    line = trim(line);
    if (line.empty()) continue;
    auto fail = [&](const std::string& why) {
      throw ConfigError(fmt::format("{}:{}: {}", name, line_no, why));
    };
    const auto blank = line.find_last_of(" \t");
    if (blank == std::string_view::npos) fail("expected '<selector> <party>'");
    const std::string_view selector = trim(line.substr(0, blank));
    const std::string_view party = line.substr(blank + 1);
    if (!is_party_code(party))
      fail(fmt::format("party '{}' is not a gemeentecode (4 digits) or AGB code (8 digits)",
                       party));
    if (selector.starts_with("sha256:")) {
      std::string hex;
      for (char c : selector.substr(7)) {
        if (c == ':') continue;
        if (!std::isxdigit(static_cast<unsigned char>(c))) fail("bad sha256 fingerprint");
        hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      if (hex.size() != 64) fail("a sha256 fingerprint has 64 hex digits");
      if (!m.by_sha256_.emplace(hex, party).second) fail("fingerprint listed twice");
    } else if (selector.starts_with("cn:")) {
      const std::string_view cn = trim(selector.substr(3));
      if (cn.empty()) fail("empty cn");
      if (!m.by_cn_.emplace(std::string(cn), party).second) fail("cn listed twice");
    } else {
      fail(fmt::format("unknown selector '{}' (expected sha256:... or cn:...)", selector));
    }
  }
  return m;
}

std::optional<std::string> PartyMap::find(const PeerCert& cert) const {
  if (auto it = by_sha256_.find(cert.sha256); it != by_sha256_.end()) return it->second;
  if (auto it = by_cn_.find(cert.cn); it != by_cn_.end()) return it->second;
  return std::nullopt;
}

Identity identify(const PeerCert& cert, const PartyMap* map) {
  if (map) {
    if (auto p = map->find(cert)) return {*p, {}};
    return {{}, fmt::format("certificate (CN '{}') is not in the parties file", cert.cn)};
  }
  if (is_party_code(cert.cn)) return {cert.cn, {}};
  return {{},
          fmt::format("certificate CN '{}' is not a party code (4-digit gemeentecode or 8-digit "
                      "AGB code)",
                      cert.cn)};
}

}  // namespace istd::server
