// Helpers of the server tests: a test PKI made at test time with the `openssl` CLI (nothing
// private is committed), an in-memory Intake, a server on 127.0.0.1 port 0 and a TLS client
// whose every operation runs as a coroutine on the client's own io_context under a deadline.
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "core/validator.hpp"
#include "core/xml/schema_bundle.hpp"
#include "server/intake.hpp"
#include "server/server.hpp"
#include "test_util.hpp"

namespace istd::test {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

/// A temp directory removed at destruction.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    static int counter = 0;
    path = std::filesystem::temp_directory_path() /
           fmt::format("istd-server-test-{}-{}", ::getpid(), counter++);
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

/// Test CA "istd-test-ca", server certificate for 127.0.0.1, client certificates by CN, and a
/// second CA ("other-ca") whose certificates the server must refuse. Made once per process.
class TestPki {
 public:
  static const TestPki& get() {
    static TestPki pki;
    return pki;
  }
  std::filesystem::path ca() const { return dir_.path / "ca.pem"; }
  std::filesystem::path server_cert() const { return dir_.path / "server.pem"; }
  std::filesystem::path server_key() const { return dir_.path / "server.key"; }
  std::filesystem::path cert(const std::string& name) const { return dir_.path / (name + ".pem"); }
  std::filesystem::path key(const std::string& name) const { return dir_.path / (name + ".key"); }
  const std::filesystem::path& dir() const { return dir_.path; }

 private:
  TestPki() {
    make_ca("ca", "istd-test-ca");
    make_ca("other-ca", "other-ca");
    leaf("server", "localhost", "ca",
         "-addext subjectAltName=IP:127.0.0.1,DNS:localhost -addext "
         "extendedKeyUsage=serverAuth");
    for (const char* cn : {"65656055", "12345678", "0363", "0599", "not-a-party"})
      leaf(cn, cn, "ca", "-addext extendedKeyUsage=clientAuth");
    leaf("other-65656055", "65656055", "other-ca", "-addext extendedKeyUsage=clientAuth");
  }
  void run(const std::string& args) {
    const std::string cmd = fmt::format("cd '{}' && openssl {} >/dev/null 2>&1", dir_.path.string(), args);
    REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, cmd);
  }
  void make_ca(const std::string& name, const std::string& cn) {
    run(fmt::format(
        "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout {0}.key "
        "-out {0}.pem -subj /CN={1} -days 2 -addext basicConstraints=critical,CA:TRUE -addext "
        "keyUsage=critical,keyCertSign,cRLSign",
        name, cn));
  }
  void leaf(const std::string& name, const std::string& cn, const std::string& ca,
            const std::string& ext) {
    run(fmt::format(
        "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout {0}.key "
        "-out {0}.pem -subj /CN={1} -days 2 -CA {2}.pem -CAkey {2}.key -addext "
        "basicConstraints=CA:FALSE {3}",
        name, cn, ca, ext));
  }
  TempDir dir_;
};

/// The shared schema bundle of the tests.
inline std::shared_ptr<const SchemaBundle> bundle() {
  static auto b = std::make_shared<const SchemaBundle>(SchemaBundle::load(schema_dir()));
  return b;
}

/// An in-memory Intake: stores every non-duplicate message, delivers it to its Ontvanger.
/// Optionally slow (to test draining).
class FakeIntake : public server::Intake {
 public:
  server::IntakeResult submit(std::string_view bytes, ValidationResult result) override {
    if (delay.count()) std::this_thread::sleep_for(delay);
    std::lock_guard lock(mu);
    server::IntakeResult r;
    for (const auto& m : stored)
      if (m.bytes == bytes) {
        r.message_id = m.id;
        r.duplicate = true;
        r.verdict = ledger::Verdict::accepted;
        r.result = std::move(result);
        return r;
      }
    server::StoredMessage m;
    m.id = static_cast<std::int64_t>(stored.size()) + 1;
    m.role = "input";
    m.afzender = result.message->header.afzender.value;
    m.ontvanger = result.message->header.ontvanger.value;
    m.identificatie = result.message->header.identificatie.value;
    m.verdict = "accepted";
    m.bytes = std::string(bytes);
    stored.push_back(m);
    r.message_id = m.id;
    r.accepted = true;
    r.verdict = ledger::Verdict::accepted;
    r.result = std::move(result);
    return r;
  }
  std::vector<server::StoredMessage> list_for(const std::string& party, const server::Since& since,
                                              std::size_t limit) override {
    std::lock_guard lock(mu);
    std::vector<server::StoredMessage> out;
    for (const auto& m : stored)
      if (m.ontvanger == party && m.id > since.after_id && out.size() < limit) out.push_back(m);
    return out;
  }
  std::size_t count() {
    std::lock_guard lock(mu);
    return stored.size();
  }
  std::chrono::milliseconds delay{0};
  std::mutex mu;
  std::vector<server::StoredMessage> stored;
};

/// Short limits so timeout tests take well under a second each.
inline server::ServerConfig test_config() {
  const auto& pki = TestPki::get();
  server::ServerConfig cfg;
  cfg.host = "127.0.0.1";
  cfg.port = 0;
  cfg.cert = pki.server_cert();
  cfg.key = pki.server_key();
  cfg.client_ca = pki.ca();
  cfg.workers = 2;
  cfg.limits.handshake_timeout = 2000ms;
  cfg.limits.header_timeout = 400ms;
  cfg.limits.read_timeout = 2000ms;
  cfg.limits.idle_timeout = 2000ms;
  cfg.limits.write_timeout = 2000ms;
  cfg.limits.drain_deadline = 2000ms;
  return cfg;
}

/// A running server (started in the constructor, drained in the destructor).
struct TestServer {
  explicit TestServer(std::shared_ptr<server::Intake> intake,
                      server::ServerConfig cfg = test_config())
      : srv(std::move(cfg), bundle(), ValidateOptions{}, std::move(intake)) {
    srv.start();
  }
  server::Server srv;
  unsigned short port() const { return srv.port(); }
};

using Response = http::response<http::string_body>;
constexpr auto nothrow = net::as_tuple(net::use_awaitable);

/// Runs `a` on `ioc` for at most `limit`; fails the test when it did not finish.
template <class T>
T run_for(net::io_context& ioc, net::awaitable<T> a, std::chrono::milliseconds limit = 5000ms) {
  std::optional<T> out;
  std::exception_ptr err;
  net::co_spawn(ioc, std::move(a), [&](std::exception_ptr e, T v) {
    err = e;
    if (!e) out = std::move(v);
  });
  ioc.restart();
  ioc.run_for(limit);
  if (err) std::rethrow_exception(err);
  REQUIRE_MESSAGE(out.has_value(), "client operation did not finish in time");
  return std::move(*out);
}

/// A client TLS context trusting the test CA, with the certificate `cert_name` (empty: none).
/// `max_tls_version` set: a legacy client that offers every version from TLS 1.0 up to that one.
/// OpenSSL 3 allows TLS 1.0 and 1.1 only at security level 0, so such a client runs at level 0
/// (at the default level it could not offer them at all, and a refusal would prove nothing
/// about the server).
inline ssl::context client_context(const std::string& cert_name, int max_tls_version = 0) {
  const auto& pki = TestPki::get();
  ssl::context ctx(ssl::context::tls_client);
  ctx.load_verify_file(pki.ca().string());
  ctx.set_verify_mode(ssl::verify_peer);
  if (!cert_name.empty()) {
    ctx.use_certificate_chain_file(pki.cert(cert_name).string());
    ctx.use_private_key_file(pki.key(cert_name).string(), ssl::context::pem);
  }
  if (max_tls_version) {
    SSL_CTX* native = ctx.native_handle();
    SSL_CTX_set_security_level(native, 0);
    REQUIRE(SSL_CTX_set_min_proto_version(native, TLS1_VERSION) == 1);
    REQUIRE(SSL_CTX_set_max_proto_version(native, max_tls_version) == 1);
    REQUIRE(SSL_CTX_set_cipher_list(native, "DEFAULT:@SECLEVEL=0") == 1);
  }
  return ctx;
}

/// A TLS client on its own io_context. `cert_name` empty: no client certificate;
/// `max_tls_version`: see client_context.
class TestClient {
 public:
  TestClient(unsigned short port, const std::string& cert_name,
             int max_tls_version = 0)
      : port_(port), ctx_(client_context(cert_name, max_tls_version)) {
    stream_.emplace(ioc_, ctx_);
  }

  /// TCP connect + TLS handshake; the error (none = success).
  beast::error_code connect() {
    return run_for(ioc_, [this]() -> net::awaitable<beast::error_code> {
      auto& tcp_layer = beast::get_lowest_layer(*stream_);
      tcp_layer.expires_after(3s);
      auto [ec] = co_await tcp_layer.async_connect(
          tcp::endpoint(net::ip::make_address("127.0.0.1"), port_), nothrow);
      if (ec) co_return ec;
      auto [hec] = co_await stream_->async_handshake(ssl::stream_base::client, nothrow);
      co_return hec;
    }());
  }

  /// How long one request() or raw() may take (the socket's deadline too); 5 s by default.
  void time_limit(std::chrono::milliseconds limit) { limit_ = limit; }

  /// Sends a request and reads the answer; ec set when there was none.
  std::pair<beast::error_code, Response> request(http::verb verb, const std::string& target,
                                                 std::string body = {},
                                                 std::map<std::string, std::string> headers = {}) {
    return run_for(ioc_, request_async(verb, target, std::move(body), std::move(headers)),
                   limit_);
  }

  net::awaitable<std::pair<beast::error_code, Response>> request_async(
      http::verb verb, std::string target, std::string body,
      std::map<std::string, std::string> headers) {
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, "127.0.0.1");
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = std::move(body);
    req.prepare_payload();
    auto& tcp_layer = beast::get_lowest_layer(*stream_);
    tcp_layer.expires_after(limit_);
    auto [wec, wn] = co_await http::async_write(*stream_, req, nothrow);
    if (wec) co_return std::pair{wec, Response{}};
    co_return co_await read_async();
  }

  net::awaitable<std::pair<beast::error_code, Response>> read_async() {
    Response res;
    http::response_parser<http::string_body> p;
    p.body_limit(64u * 1024u * 1024u);
    auto [ec, n] = co_await http::async_read(*stream_, buffer_, p, nothrow);
    if (!ec) res = p.release();
    co_return std::pair{ec, std::move(res)};
  }

  /// Writes raw bytes and reads one response.
  std::pair<beast::error_code, Response> raw(std::string bytes) {
    return run_for(ioc_, [this, b = std::move(bytes)]() -> net::awaitable<
                                                         std::pair<beast::error_code, Response>> {
      beast::get_lowest_layer(*stream_).expires_after(limit_);
      auto [wec, wn] = co_await net::async_write(*stream_, net::buffer(b), nothrow);
      if (wec) co_return std::pair{wec, Response{}};
      co_return co_await read_async();
    }(), limit_);
  }

  net::io_context& ioc() { return ioc_; }
  beast::ssl_stream<beast::tcp_stream>& stream() { return *stream_; }

 private:
  unsigned short port_;
  net::io_context ioc_;
  ssl::context ctx_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> stream_;
  beast::flat_buffer buffer_;
  std::chrono::milliseconds limit_{5000};
};

inline std::string wmo305() { return read_file(test_data("rules/wmo305.xml")); }

/// A hand-made iJw 3.2 message of fixtures/messages-ijw.
inline std::string ijw_message(const std::string& name) {
  return read_file(fixture("messages-ijw/" + name));
}

/// A message of the sample month (fixtures/sample): one provider (65656055), one gemeente
/// (0363), Wmo clients and a Jeugd client C4 whose JW301 reuses ToewijzingNummer 300201 of C1's
/// WMO301.
inline std::string sample_message(const std::string& name) {
  return read_file(fixture("sample/" + name));
}

/// `x` with its one occurrence of `from` replaced by `to` (fails the test unless it has one).
inline std::string replaced(std::string x, const std::string& from, const std::string& to) {
  const auto at = x.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  REQUIRE_MESSAGE(x.find(from, at + 1) == std::string::npos, from);
  return x.replace(at, from.size(), to);
}

}  // namespace istd::test
