// Configuration of `istd serve`: where it listens, its TLS material and the limits that bound
// every connection (a timeout and a size limit on every read).
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace istd::server {

using Millis = std::chrono::milliseconds;

struct Limits {
  /// Largest request body (the hubs' envelope limit); larger: 413.
  std::size_t body_limit = 25u * 1024u * 1024u;
  /// Largest request header block; larger: 431.
  std::size_t header_limit = 16u * 1024u;
  Millis handshake_timeout{10'000};  ///< TCP accept to finished TLS handshake
  Millis header_timeout{10'000};     ///< first byte of a request to its complete header
  Millis read_timeout{60'000};       ///< complete header to complete body
  Millis idle_timeout{30'000};       ///< between requests on a kept-alive connection
  Millis write_timeout{60'000};      ///< writing one response
  std::size_t max_connections = 512;  ///< more are accepted and closed at once
  Millis drain_deadline{10'000};      ///< SIGTERM: time left to in-flight requests
  std::size_t list_limit = 100;       ///< most messages one GET /v1/messages returns
};

struct ServerConfig {
  std::string host = "127.0.0.1";
  unsigned short port = 0;  ///< 0: any free port (tests); Server::port() tells which
  std::filesystem::path cert, key, client_ca;
  std::filesystem::path parties;  ///< optional certificate -> party map (parties.hpp)
  Limits limits;
  unsigned io_threads = 1;  ///< threads running the network (TLS, HTTP)
  unsigned workers = 0;     ///< validation threads; 0 = one per core
  /// Diagnostics (one line each, no newline). Empty: silent.
  std::function<void(std::string_view)> log;
};

/// Splits "HOST:PORT" ("127.0.0.1:8443", "[::1]:8443", "localhost:0").
/// @throws ConfigError on a malformed value.
void parse_listen(std::string_view listen, ServerConfig& cfg);

/// Reads a JSON config file into `cfg` (keys in docs/serve.md: body_limit, header_limit,
/// *_timeout_ms, max_connections, drain_deadline_ms, list_limit, io_threads, workers).
/// Unknown keys are refused so typos do not pass silently.
/// @throws ConfigError when the file cannot be read, is not JSON or has a bad key or value.
void load_config_file(const std::filesystem::path& file, ServerConfig& cfg);

}  // namespace istd::server
