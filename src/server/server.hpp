// `istd serve`: an HTTPS (mutual TLS) front of the validator and the ingest engine.
//
// Structure (after Beast's server-flex-awaitable): one accept loop on a control
// strand -> one coroutine per connection on its own strand (handshake, then requests one at a
// time, every read and write under a timeout) -> request handling that moves CPU work
// (parse + validate, JSON/XML rendering) to a worker pool and every ledger call to a single
// ledger thread, so ledger writes are serialized and the I/O threads only do TLS and HTTP.
//
// Endpoints and limits: docs/serve.md.
#pragma once

#include <memory>

#include "core/validator.hpp"
#include "server/config.hpp"
#include "server/intake.hpp"
#include "server/metrics.hpp"

namespace istd {
class SchemaBundle;
}

namespace istd::server {

class Server {
 public:
  /// `intake` is called from one thread only. `vopt` is used for every validation.
  Server(ServerConfig cfg, std::shared_ptr<const SchemaBundle> schemas, ValidateOptions vopt,
         std::shared_ptr<Intake> intake);
  /// Shuts down (with the configured drain deadline) and waits when still running.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Loads the TLS material and parties file, binds, and starts the threads.
  /// @throws ConfigError on unreadable/invalid TLS files, parties file or listen address,
  ///         or when the address cannot be bound.
  void start();
  /// The bound port (after start()).
  unsigned short port() const;
  /// SIGINT and SIGTERM start shutdown(). Call before start().
  void stop_on_signals();
  /// Stops accepting, closes idle connections, lets requests in flight finish until the drain
  /// deadline, then closes the rest. Thread-safe, idempotent, returns at once.
  void shutdown();
  /// Blocks until the server has stopped (after shutdown()), then closes the intake.
  void wait();

  const Metrics& metrics() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace istd::server
