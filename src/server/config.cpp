#include "server/config.hpp"

#include <charconv>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/errors.hpp"

namespace istd::server {
namespace {

/// "25M", "512K", "1G" or a plain byte count.
std::size_t size_value(const nlohmann::json& v, const std::string& key) {
  if (v.is_number_unsigned()) return v.get<std::size_t>();
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    std::size_t mult = 1;
    if (!s.empty()) {
      switch (s.back()) {
        case 'K': case 'k': mult = 1024u; break;
        case 'M': case 'm': mult = 1024u * 1024u; break;
        case 'G': case 'g': mult = 1024u * 1024u * 1024u; break;
        default: break;
      }
      if (mult != 1) s.pop_back();
    }
    std::size_t n = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec == std::errc() && p == s.data() + s.size() && !s.empty()) return n * mult;
  }
  throw ConfigError(fmt::format("config: {} must be a byte count such as 25M, got {}", key,
                                v.dump()));
}

std::size_t count_value(const nlohmann::json& v, const std::string& key, std::size_t min) {
  if (v.is_number_unsigned() && v.get<std::size_t>() >= min) return v.get<std::size_t>();
  throw ConfigError(
      fmt::format("config: {} must be an integer >= {}, got {}", key, min, v.dump()));
}

}  // namespace

void parse_listen(std::string_view listen, ServerConfig& cfg) {
  const auto colon = listen.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == listen.size())
    throw ConfigError(fmt::format("--listen: expected HOST:PORT, got '{}'", listen));
  std::string_view host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  const std::string_view port = listen.substr(colon + 1);
  unsigned p = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
  if (ec != std::errc() || end != port.data() + port.size() || p > 65535)
    throw ConfigError(fmt::format("--listen: bad port '{}'", port));
  cfg.host = std::string(host);
  cfg.port = static_cast<unsigned short>(p);
}

void load_config_file(const std::filesystem::path& file, ServerConfig& cfg) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ConfigError(fmt::format("cannot read config file {}", file.string()));
  std::ostringstream ss;
  ss << in.rdbuf();
  nlohmann::json j = nlohmann::json::parse(ss.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object())
    throw ConfigError(fmt::format("config file {} is not a JSON object", file.string()));
  Limits& l = cfg.limits;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    const auto& v = it.value();
    auto ms = [&](Millis& m) { m = Millis(static_cast<long>(count_value(v, k, 1))); };
    if (k == "body_limit") l.body_limit = size_value(v, k);
    else if (k == "header_limit") l.header_limit = size_value(v, k);
    else if (k == "handshake_timeout_ms") ms(l.handshake_timeout);
    else if (k == "header_timeout_ms") ms(l.header_timeout);
    else if (k == "read_timeout_ms") ms(l.read_timeout);
    else if (k == "idle_timeout_ms") ms(l.idle_timeout);
    else if (k == "write_timeout_ms") ms(l.write_timeout);
    else if (k == "drain_deadline_ms") ms(l.drain_deadline);
    else if (k == "max_connections") l.max_connections = count_value(v, k, 1);
    else if (k == "list_limit") l.list_limit = count_value(v, k, 1);
    else if (k == "io_threads") cfg.io_threads = static_cast<unsigned>(count_value(v, k, 1));
    else if (k == "workers") cfg.workers = static_cast<unsigned>(count_value(v, k, 0));
    else
      throw ConfigError(fmt::format("config file {}: unknown key '{}'", file.string(), k));
  }
}

}  // namespace istd::server
