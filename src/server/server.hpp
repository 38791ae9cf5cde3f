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
#include <string>
#include <string_view>

#include "core/validator.hpp"
#include "server/config.hpp"
#include "server/intake.hpp"
#include "server/metrics.hpp"
#include "server/parties.hpp"

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

  /// One connection's HTTP, TLS aside (the fuzz target's entry point): `input` is every byte
  /// the client sends, then it closes its side; the answer is every byte the server wrote
  /// back. The real request loop runs on an in-memory stream: the header and body limits,
  /// the 413 and its drain, routing, the handler, the worker pool, the intake and the
  /// metrics; `who` stands for the verified client certificate. The time limits do not apply
  /// (every read ends at the end of `input`). Needs no start() and blocks until the connection
  /// ends; use it from one thread at a time.
  std::string exchange(std::string_view input, const Identity& who);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace istd::server
