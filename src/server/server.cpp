#include "server/server.hpp"

#include <atomic>
#include <chrono>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/errors.hpp"
#include "core/report/rapport.hpp"
#include "core/report/report.hpp"
#include "core/util/read_file.hpp"
#include "server/parties.hpp"
#include "server/tls.hpp"

namespace istd::server {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
using Stream = beast::ssl_stream<beast::tcp_stream>;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

namespace {

constexpr auto use_nothrow = net::as_tuple(net::use_awaitable);

// -- Validators ----------------------------------------------------------------------------

/// Validators are not thread-safe and expensive to build (each compiles the grammar): the
/// workers lease one at a time; at most one per worker thread is ever built.
class ValidatorPool {
 public:
  ValidatorPool(std::shared_ptr<const SchemaBundle> schemas, ValidateOptions opt)
      : schemas_(std::move(schemas)), opt_(opt) {}

  class Lease {
   public:
    Lease(ValidatorPool& p, std::unique_ptr<Validator> v) : pool_(p), v_(std::move(v)) {}
    ~Lease() {
      std::lock_guard lock(pool_.mu_);
      pool_.free_.push_back(std::move(v_));
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Validator& operator*() { return *v_; }
    Validator* operator->() { return v_.get(); }

   private:
    ValidatorPool& pool_;
    std::unique_ptr<Validator> v_;
  };

  Lease take() {
    {
      std::lock_guard lock(mu_);
      if (!free_.empty()) {
        auto v = std::move(free_.back());
        free_.pop_back();
        return Lease(*this, std::move(v));
      }
    }
    return Lease(*this, std::make_unique<Validator>(schemas_, opt_));
  }

  void clear() {
    std::lock_guard lock(mu_);
    free_.clear();
  }

 private:
  std::shared_ptr<const SchemaBundle> schemas_;
  ValidateOptions opt_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Validator>> free_;
};

// -- Small HTTP helpers --------------------------------------------------------------------

Response make_response(http::status status, unsigned version, std::string body,
                       std::string_view content_type) {
  Response res{status, version};
  res.set(http::field::server, "istd");
  res.set(http::field::content_type, content_type);
  res.set(http::field::cache_control, "no-store");
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

std::string dump(const nlohmann::ordered_json& j) {
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

Response json_response(http::status status, unsigned version, const nlohmann::ordered_json& j) {
  return make_response(status, version, dump(j), "application/json");
}

Response error_response(http::status status, unsigned version, std::string_view text) {
  nlohmann::ordered_json j;
  j["error"] = text;
  j["status"] = static_cast<unsigned>(status);
  return json_response(status, version, j);
}

/// 413: the body is over `limit`; says the limit in words and as a number ("limit").
Response too_large_response(std::size_t limit) {
  nlohmann::ordered_json j;
  j["error"] = fmt::format(
      "the request body is larger than the limit of {} ({} bytes); it was not read and nothing "
      "was stored",
      util::size_text(limit), limit);
  j["status"] = 413;
  j["limit"] = limit;
  Response res = json_response(http::status::payload_too_large, 11, j);
  res.keep_alive(false);
  return res;
}

/// What is left of a request body refused with 413 before it was read, to be read and dropped
/// after the answer.
struct Unread {
  /// The body has a Content-Length: this many bytes (some may already be in the buffer).
  std::optional<std::uint64_t> length;
  /// The body is chunked and the parser stopped at the chunk header that took it over the limit
  /// (the CRLF ending the chunk before it, if any, is still unread): up to its last chunk.
  bool chunked = false;
};

/// A body that keeps nothing: the parser that reads the rest of a refused chunked body only
/// needs its framing.
struct DiscardBody {
  struct value_type {};
  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(http::header<isRequest, Fields>&, value_type&) {}
    void init(const boost::optional<std::uint64_t>&, beast::error_code& ec) { ec = {}; }
    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, beast::error_code& ec) {
      ec = {};
      return net::buffer_size(buffers);
    }
    void finish(beast::error_code& ec) { ec = {}; }
  };
};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Percent-decoding of one query component ('+' is a space); nullopt when malformed.
std::optional<std::string> url_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

/// "YYYY-MM-DDTHH:MM:SSZ" (the ledger's received_at format).
bool is_utc_timestamp(std::string_view s) {
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:ddZ";
  if (s.size() != kShape.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (kShape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != kShape[i]) return false;
  }
  return true;
}

bool all_digits(std::string_view s) {
  return !s.empty() && s.size() <= 18 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool wants_xml(const Request& req) {
  const auto accept = req[http::field::accept];
  return accept.find("application/xml") != beast::string_view::npos ||
         accept.find("text/xml") != beast::string_view::npos;
}

/// Expected network conditions: the peer went away, a timeout we set, our own cancellation.
bool is_quiet(const beast::error_code& ec) {
  return ec == net::error::eof || ec == net::error::operation_aborted ||
         ec == net::error::connection_reset || ec == net::error::broken_pipe ||
         ec == net::error::bad_descriptor || ec == ssl::error::stream_truncated ||
         ec == beast::error::timeout || ec == http::error::end_of_stream ||
         ec == http::error::partial_message;
}

/// Runs `f` on `ex` and resumes the calling coroutine on its own executor with the result
/// (exceptions propagate).
template <class Executor, class F>
auto run_on(Executor ex, F f) -> net::awaitable<std::invoke_result_t<F&>> {
  using R = std::invoke_result_t<F&>;
  co_return co_await net::co_spawn(
      ex, [f = std::move(f)]() mutable -> net::awaitable<R> { co_return f(); },
      net::use_awaitable);
}

/// Where a connection's request loop sets the time limit of its next read or write: the TCP
/// layer's timer for a client connection; nothing for the in-memory stream of
/// Server::exchange, whose reads end at the end of its input.
using Deadline = std::function<void(Clock::duration)>;

/// One client connection. The stream is used only on the connection's strand.
struct Conn {
  Conn(tcp::socket&& s, ssl::context& ctx) : stream(std::move(s), ctx) {}
  Stream stream;
  std::atomic<bool> busy{false};  ///< a request is being read, handled or answered
};

}  // namespace

// -------------------------------------------------------------------------------------------

struct Server::Impl {
  ServerConfig cfg;
  std::shared_ptr<const SchemaBundle> schemas;
  ValidateOptions vopt;
  std::shared_ptr<Intake> intake;
  std::optional<PartyMap> parties;
  ssl::context ssl_ctx{ssl::context::tls_server};
  net::io_context ioc;
  net::strand<net::io_context::executor_type> ctl{net::make_strand(ioc)};
  tcp::acceptor acceptor{ctl};
  net::steady_timer drain_timer{ctl};
  std::optional<net::signal_set> signals;
  std::unique_ptr<net::thread_pool> cpu;
  std::unique_ptr<net::thread_pool> ledger;  // one thread: the intake's
  ValidatorPool validators;
  Metrics metrics;
  std::vector<std::thread> threads;
  std::atomic<bool> stopping{false};
  std::atomic<bool> started{false};
  bool waited = false;
  std::mutex conns_mu;
  std::set<std::shared_ptr<Conn>> conns;  // guarded by conns_mu
  // Posted messages waiting for the ledger thread (group commit, take_in_queued).
  struct Queued {
    Submission sub;
    IntakeResult result;
    std::exception_ptr error;
    bool done = false;  // set and read on the ledger thread, read by the poster after it
  };
  // Posts a group takes at most: a group's posts wait for its commit (and on PostgreSQL for the
  // other instances' groups), so a smaller group answers sooner; 16 keeps the commits few.
  static constexpr std::size_t kMaxGroup = 16;
  std::mutex queue_mu;
  std::deque<Queued*> intake_queue;  // guarded by queue_mu; each owned by its poster
  unsigned short bound_port = 0;

  Impl(ServerConfig c, std::shared_ptr<const SchemaBundle> s, ValidateOptions v,
       std::shared_ptr<Intake> i)
      : cfg(std::move(c)), schemas(std::move(s)), vopt(v), intake(std::move(i)),
        validators(schemas, vopt) {}

  void log(std::string_view line) const {
    if (cfg.log) cfg.log(line);
  }

  // -- Life cycle ----------------------------------------------------------------------------

  void start() {
    if (cfg.cert.empty() || cfg.key.empty() || cfg.client_ca.empty())
      throw ConfigError("serve: --cert, --key and --client-ca are required");
    configure_server_tls(ssl_ctx, cfg.cert, cfg.key, cfg.client_ca);
    if (!cfg.parties.empty()) parties = PartyMap::load(cfg.parties);
    { auto probe = validators.take(); }  // compiles the schemas once: errors show now

    beast::error_code ec;
    const auto addr = net::ip::make_address(cfg.host, ec);
    if (ec) throw ConfigError(fmt::format("--listen: '{}' is not an IP address", cfg.host));
    const tcp::endpoint ep(addr, cfg.port);
    acceptor.open(ep.protocol(), ec);
    if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(ep, ec);
    if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (ec)
      throw ConfigError(
          fmt::format("cannot listen on {}:{}: {}", cfg.host, cfg.port, ec.message()));
    bound_port = acceptor.local_endpoint().port();

    const unsigned workers = make_pools();
    net::co_spawn(ctl, accept_loop(), [this](std::exception_ptr e) { report("accept", e); });
    started = true;
    for (unsigned i = 0; i < std::max(1u, cfg.io_threads); ++i)
      threads.emplace_back([this] { ioc.run(); });
    log(fmt::format("listening on https://{}:{} ({} I/O thread(s), {} worker(s))", cfg.host,
                    bound_port, std::max(1u, cfg.io_threads), workers));
  }

  /// The worker pool and the ledger thread (once); returns the number of workers.
  unsigned make_pools() {
    const unsigned workers =
        cfg.workers ? cfg.workers : std::max(1u, std::thread::hardware_concurrency());
    if (!cpu) cpu = std::make_unique<net::thread_pool>(workers);
    if (!ledger) ledger = std::make_unique<net::thread_pool>(1);
    return workers;
  }

  void report(std::string_view what, std::exception_ptr e) const {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      log(fmt::format("{}: {}", what, ex.what()));
    }
  }

  void shutdown() {
    if (!started) return;
    net::post(ctl, [this] { begin_drain(); });
  }

  /// On ctl.
  void begin_drain() {
    if (stopping.exchange(true)) return;
    log("draining");
    beast::error_code ec;
    acceptor.close(ec);
    if (signals) signals->cancel(ec);
    close_connections(true);
    drain_timer.expires_after(cfg.limits.drain_deadline);
    drain_timer.async_wait([this](beast::error_code tec) {
      if (tec) return;  // every connection ended in time
      log("drain deadline reached: closing the remaining connections");
      close_connections(false);
    });
    maybe_drained();
  }

  /// Closes the sockets of idle connections (or of all), each on its own strand.
  void close_connections(bool idle_only) {
    std::lock_guard lock(conns_mu);
    for (const auto& c : conns) {
      net::post(c->stream.get_executor(), [c, idle_only] {
        if (idle_only && c->busy) return;
        beast::get_lowest_layer(c->stream).close();
      });
    }
  }

  /// On ctl: ends the drain once every connection is gone.
  void maybe_drained() {
    if (!stopping) return;
    std::lock_guard lock(conns_mu);
    if (conns.empty()) drain_timer.cancel();
  }

  void wait() {
    if (waited || !started) return;
    waited = true;
    for (auto& t : threads) t.join();
    threads.clear();
    cpu->join();
    ledger->join();
    validators.clear();
    if (intake) intake->close();
  }

  // -- Accepting -----------------------------------------------------------------------------

  net::awaitable<void> accept_loop() {
    while (!stopping) {
      auto [ec, socket] = co_await acceptor.async_accept(net::make_strand(ioc), use_nothrow);
      if (ec) {
        if (stopping || ec == net::error::operation_aborted) break;
        log(fmt::format("accept: {}", ec.message()));
        // e.g. out of file descriptors: back off a little instead of spinning.
        net::steady_timer t(ctl, std::chrono::milliseconds(50));
        co_await t.async_wait(use_nothrow);
        continue;
      }
      if (static_cast<std::size_t>(metrics.active_connections()) >= cfg.limits.max_connections) {
        metrics.connection_refused();
        beast::error_code ignored;
        socket.close(ignored);
        continue;
      }
      auto conn = std::make_shared<Conn>(std::move(socket), ssl_ctx);
      metrics.connection_opened();
      {
        std::lock_guard lock(conns_mu);
        conns.insert(conn);
      }
      net::co_spawn(conn->stream.get_executor(), session(conn),
                    [this, conn](std::exception_ptr e) {
                      report("session", e);
                      {
                        std::lock_guard lock(conns_mu);
                        conns.erase(conn);
                      }
                      metrics.connection_closed();
                      net::post(ctl, [this] { maybe_drained(); });
                    });
    }
  }

  // -- One connection ------------------------------------------------------------------------

  net::awaitable<void> session(std::shared_ptr<Conn> c) {
    Stream& stream = c->stream;
    beast::tcp_stream& tcp_layer = beast::get_lowest_layer(stream);
    const Limits& lim = cfg.limits;

    tcp_layer.expires_after(lim.handshake_timeout);
    if (auto [ec] = co_await stream.async_handshake(ssl::stream_base::server, use_nothrow); ec) {
      metrics.handshake_failed();
      if (ec == beast::error::timeout) metrics.timed_out();
      co_return;
    }
    const Identity who =
        identify(peer_certificate(stream.native_handle()), parties ? &*parties : nullptr);

    beast::flat_buffer buffer;
    const Deadline deadline = [&tcp_layer](Clock::duration d) { tcp_layer.expires_after(d); };
    co_await requests(stream, buffer, who, c->busy, deadline);
    // close_notify, bounded; errors here are expected (peer gone, socket closed by a timeout).
    tcp_layer.expires_after(std::min<Millis>(lim.write_timeout, Millis(1000)));
    co_await stream.async_shutdown(use_nothrow);
    tcp_layer.close();
  }

  /// The requests of one connection, one at a time, until the peer closes, a read fails or
  /// times out, or an answer closes the connection: read the header under the header limit,
  /// refuse an over-size body (413) or read it under the body limit, handle, answer. `stream`
  /// is the TLS stream of a client connection (session) or an in-memory one (exchange);
  /// `deadline` sets the time limit of each read and write; `busy` is set while a request is
  /// being read, handled or answered.
  template <class AsyncStream>
  net::awaitable<void> requests(AsyncStream& stream, beast::flat_buffer& buffer,
                                const Identity& who, std::atomic<bool>& busy,
                                const Deadline& deadline) {
    const Limits& lim = cfg.limits;
    for (;;) {
      if (stopping) break;
      if (buffer.size() == 0) {
        // Idle: wait for the first byte of the next request.
        deadline(lim.idle_timeout);
        auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), use_nothrow);
        if (ec) break;
        buffer.commit(n);
      }
      busy = true;
      http::request_parser<http::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(
          std::min<std::size_t>(lim.header_limit, std::numeric_limits<std::uint32_t>::max())));
      // No body limit while the header is read: a Content-Length over it is refused below, once
      // the header is complete (the parser's own check fails the header read, and its
      // Content-Length may not be asked for then). The limit is set before any of the body is
      // read, for chunked bodies.
      parser.body_limit(boost::none);
      deadline(lim.header_timeout);
      auto [ec, n] = co_await http::async_read_header(stream, buffer, parser, use_nothrow);
      // Over the limit: answered 413 without being read as a message; what the client still
      // sends of the body is read and dropped after the answer.
      std::optional<Unread> unread;
      if (!ec) {
        if (const auto length = parser.content_length(); length && *length > lim.body_limit) {
          unread = Unread{*length, false};  // no 100 Continue: the client need not send it
        } else {
          if (parser.get()[http::field::expect] == "100-continue") {
            http::response<http::empty_body> cont{http::status::continue_,
                                                  parser.get().version()};
            deadline(lim.write_timeout);
            std::tie(ec, n) = co_await http::async_write(stream, cont, use_nothrow);
          }
          if (!ec) {
            parser.body_limit(lim.body_limit);
            deadline(lim.read_timeout);
            std::tie(ec, n) = co_await http::async_read(stream, buffer, parser, use_nothrow);
          }
          // A chunked body that passed the limit (the only body_limit error left: a request's
          // body has a Content-Length, checked above, or is chunked). Anything else is not
          // drained: the connection is closed after the 413.
          if (ec == http::error::body_limit)
            unread = Unread{std::nullopt, parser.is_header_done() && parser.chunked()};
        }
      }
      const auto t0 = Clock::now();
      Endpoint endpoint = Endpoint::other;
      Response res;
      if (unread) {
        res = too_large_response(lim.body_limit);
      } else if (!ec) {
        Request req = parser.release();
        res = co_await handle(std::move(req), who, endpoint);
      } else if (ec == http::error::header_limit) {
        res = error_response(http::status::request_header_fields_too_large, 11,
                             "request header too large");
        res.keep_alive(false);
      } else if (is_quiet(ec) || ec.category() != http::make_error_code(http::error::bad_method)
                                                      .category()) {
        if (ec == beast::error::timeout) metrics.timed_out();
        break;  // the peer went away or was too slow: cut off without an answer
      } else {
        res = error_response(http::status::bad_request, 11,
                             fmt::format("malformed HTTP request: {}", ec.message()));
        res.keep_alive(false);
      }
      if (stopping) res.keep_alive(false);
      deadline(lim.write_timeout);
      auto [wec, wn] = co_await http::async_write(stream, res, use_nothrow);
      metrics.request(endpoint, res.result_int(),
                      std::chrono::duration<double>(Clock::now() - t0).count());
      busy = false;
      if (wec) {
        if (wec == beast::error::timeout) metrics.timed_out();
        break;
      }
      if (unread) co_await discard_body(stream, buffer, *unread, deadline);
      if (!res.keep_alive()) break;
    }
  }

  /// After a 413 sent before the body was read: reads and drops what the client still sends
  /// of it (most clients send the whole body before they read the answer), so that closing the
  /// connection does not reset it under a client that has not read the 413 yet. Up to the
  /// declared Content-Length, or a chunked body to its last chunk (its framing parsed), at most
  /// kDrainFactor times the body limit, within the read timeout; a client that stops sending
  /// for two seconds or closes ends it too. Anything else is not read: the connection closes.
  template <class AsyncStream>
  net::awaitable<void> discard_body(AsyncStream& stream, beast::flat_buffer& buffer,
                                    const Unread& unread, const Deadline& deadline) {
    const Limits& lim = cfg.limits;
    const std::uint64_t most = kDrainFactor * static_cast<std::uint64_t>(lim.body_limit);
    if (!unread.length && !unread.chunked) co_return;
    if (unread.length && *unread.length > most) co_return;  // not worth reading: closed at once
    // Chunked: a parser primed with a header of its own, at a chunk header like the refused one.
    std::optional<http::request_parser<DiscardBody>> chunks;
    if (unread.chunked) {
      static constexpr std::string_view kHead =
          "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
      chunks.emplace();
      chunks->body_limit(boost::none);
      chunks->eager(true);
      beast::error_code pec;
      chunks->put(net::buffer(kHead.data(), kHead.size()), pec);
      if (pec || !chunks->is_header_done()) co_return;
      // The refused parser found the whole chunk-size line, so it is in the buffer; a CRLF
      // before it (no chunk-size line starts with one) ends the chunk before, not yet parsed.
      const auto data = buffer.data();
      if (data.size() >= 2 && static_cast<const char*>(data.data())[0] == '\r' &&
          static_cast<const char*>(data.data())[1] == '\n')
        buffer.consume(2);
    }
    // Content-Length: the bytes left; chunked: how much more may be read.
    std::uint64_t left = unread.length ? *unread.length : most;
    const auto until = Clock::now() + lim.read_timeout;
    const Millis pause = std::min(lim.read_timeout, Millis(2000));
    while (Clock::now() < until) {
      if (buffer.size() > 0) {
        if (chunks) {
          beast::error_code pec;
          const std::size_t used = chunks->put(buffer.data(), pec);
          buffer.consume(used);
          left -= std::min<std::uint64_t>(used, left);
          if (chunks->is_done()) break;                     // the last chunk is in
          if (pec && pec != http::error::need_more) break;  // not a chunked body
        } else {
          const std::size_t had =
              static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), left));
          buffer.consume(had);
          left -= had;
        }
      }
      if (left == 0) break;
      deadline(std::min<Clock::duration>(pause, until - Clock::now()));
      auto [ec, n] = co_await stream.async_read_some(
          buffer.prepare(static_cast<std::size_t>(std::min<std::uint64_t>(left, 65536))),
          use_nothrow);
      if (ec) break;  // the client closed, stopped sending, or the time is up
      buffer.commit(n);
    }
    buffer.consume(buffer.size());
  }

  static constexpr std::uint64_t kDrainFactor = 4;

  /// Server::exchange: the request loop of session() on an in-memory stream holding `input`
  /// and then the client's end of stream, on an io_context of its own run by the caller.
  std::string exchange(std::string_view input, const Identity& who) {
    make_pools();
    net::io_context io;
    beast::test::stream ours(io), client(io);
    ours.connect(client);
    ours.append(input);
    ours.close_remote();  // after `input`, our reads see the end of the stream
    std::exception_ptr failed;
    net::co_spawn(
        io,
        [&]() -> net::awaitable<void> {
          beast::flat_buffer buffer;
          std::atomic<bool> busy{false};
          const Deadline deadline = [](Clock::duration) {};
          co_await requests(ours, buffer, who, busy, deadline);
        },
        [&failed](std::exception_ptr e) { failed = e; });
    io.run();
    if (failed) std::rethrow_exception(failed);
    return client.str();
  }

  // -- Requests ------------------------------------------------------------------------------

  net::awaitable<Response> handle(Request req, const Identity& who, Endpoint& endpoint) {
    const unsigned v = req.version();
    const std::string_view target(req.target().data(), req.target().size());
    const auto q = target.find('?');
    const std::string_view path = target.substr(0, q);
    const std::string_view query = q == std::string_view::npos ? "" : target.substr(q + 1);
    const bool keep = req.keep_alive();
    auto finish = [keep](Response r) {
      r.keep_alive(keep && r.keep_alive());
      return r;
    };
    auto method_not_allowed = [&](std::string_view allow) {
      Response r = error_response(http::status::method_not_allowed, v, "method not allowed");
      r.set(http::field::allow, allow);
      return finish(std::move(r));
    };
    try {
      if (path == "/healthz") {
        endpoint = Endpoint::healthz;
        if (req.method() != http::verb::get) co_return method_not_allowed("GET");
        nlohmann::ordered_json j;
        j["status"] = stopping ? "draining" : "ok";
        co_return finish(json_response(stopping ? http::status::service_unavailable
                                                : http::status::ok,
                                       v, j));
      }
      if (path == "/metrics") {
        endpoint = Endpoint::metrics;
        if (req.method() != http::verb::get) co_return method_not_allowed("GET");
        co_return finish(make_response(http::status::ok, v, metrics.render(),
                                       "text/plain; version=0.0.4; charset=utf-8"));
      }
      if (path != "/v1/validate" && path != "/v1/messages")
        co_return finish(error_response(http::status::not_found, v, "no such endpoint"));
      if (who.party.empty()) co_return finish(error_response(http::status::forbidden, v, who.error));

      if (path == "/v1/validate") {
        endpoint = Endpoint::validate;
        if (req.method() != http::verb::post) co_return method_not_allowed("POST");
        const bool xml = wants_xml(req);
        co_return finish(co_await run_on(cpu->get_executor(), [this, &req, xml, v] {
          auto val = validators.take();
          ValidationResult r = val->validate(req.body(), "request");
          if (xml)
            return make_response(http::status::ok, v, report::to_rapport(r),
                                 "application/xml; charset=utf-8");
          return json_response(http::status::ok, v, report::to_json(r));
        }));
      }
      if (req.method() == http::verb::post) {
        endpoint = Endpoint::messages_post;
        co_return finish(co_await post_message(req, who));
      }
      if (req.method() == http::verb::get) {
        endpoint = Endpoint::messages_get;
        co_return finish(co_await list_messages(query, who, v));
      }
      co_return method_not_allowed("GET, POST");
    } catch (const StorageFullError& e) {
      // The service goes on: the same request succeeds once space is freed, without a restart.
      // The message itself was either not stored or stored whole (a file of an earlier message
      // failed after this one's commit); a retry then answers it as a duplicate.
      log(fmt::format("{} {}: {}", std::string_view(req.method_string().data(),
                                                    req.method_string().size()),
                      path, e.what()));
      co_return finish(error_response(
          http::status::insufficient_storage, v,
          "the server's disk is full: the message may not have been stored. Send it again once "
          "the server's administrator has freed space; if it was stored, the answer then says "
          "duplicate"));
    } catch (const std::exception& e) {
      log(fmt::format("{} {}: {}", std::string_view(req.method_string().data(),
                                                    req.method_string().size()),
                      path, e.what()));
      co_return finish(error_response(http::status::internal_server_error, v,
                                      "internal error (see the server log)"));
    }
  }

  /// On the ledger thread: takes in the posted messages queued so far (at most kMaxGroup), in
  /// one call of the intake, and leaves each its result. Every post has a handler of its own
  /// on the ledger thread; the first to run takes in those queued behind it too, and theirs
  /// then find their message done. All or nothing: when the intake throws, none of the group
  /// was stored and every message of it gets the error.
  void take_in_queued() {
    std::vector<Queued*> group;
    {
      std::lock_guard lk(queue_mu);
      while (!intake_queue.empty() && group.size() < kMaxGroup) {
        group.push_back(intake_queue.front());
        intake_queue.pop_front();
      }
    }
    if (group.empty()) return;
    std::vector<Submission> subs;
    subs.reserve(group.size());
    for (auto& q : group) subs.push_back(std::move(q->sub));
    try {
      auto results = intake->submit_all(subs);
      for (std::size_t i = 0; i < group.size(); ++i) group[i]->result = std::move(results[i]);
    } catch (...) {
      for (auto& q : group) q->error = std::current_exception();
    }
    for (auto& q : group) q->done = true;
  }

  /// `req` stays the caller's (handle() reads it again when this throws).
  net::awaitable<Response> post_message(const Request& req, const Identity& who) {
    const unsigned v = req.version();
    // Parse and validate on a worker; nothing is stored unless it is XSD-valid and the
    // caller's own message.
    struct Checked {
      std::optional<Response> refusal;
      Submission sub;
    };
    Checked checked = co_await run_on(cpu->get_executor(), [this, &req, &who, v] {
      Checked ch;
      auto val = validators.take();
      ValidationResult& result = ch.sub.result;
      result = val->validate(req.body(), "request");
      if (!result.xsd_valid || !result.message) {
        nlohmann::ordered_json j;
        j["error"] = "not a valid iWmo 3.2 or iJw 3.2 message (XML/XSD); nothing stored";
        j["status"] = 422;
        j["validation"] = report::to_json(result);
        ch.refusal = json_response(http::status::unprocessable_entity, v, j);
        return ch;
      }
      const std::string& afzender = result.message->header.afzender.value;
      if (afzender != who.party) {
        ch.refusal = error_response(
            http::status::forbidden, v,
            fmt::format("the message's Afzender {} is not the caller's party {}; nothing stored",
                        afzender, who.party));
        return ch;
      }
      ch.sub.input = ingest::prepare(req.body());  // hash and pack here, off the ledger thread
      return ch;
    });
    if (checked.refusal) co_return std::move(*checked.refusal);
    if (!intake) co_return error_response(http::status::service_unavailable, v, "no ledger");

    // The ledger thread takes the messages in arrival order; those that queued up while it was
    // busy are committed together (group commit, take_in_queued).
    // `queued` lives in this frame until answered; the queue and the ledger thread's handler
    // hold its address. (Not a shared_ptr captured by the lambda: built with GCC 12, that
    // corrupted memory — a co_await operand's temporary with a non-trivial destructor.)
    Queued queued;
    queued.sub = std::move(checked.sub);  // its bytes are req's body, alive until answered
    {
      std::lock_guard lk(queue_mu);
      intake_queue.push_back(&queued);
    }
    co_await run_on(ledger->get_executor(), [this, q = &queued] {
      while (!q->done) take_in_queued();  // more than kMaxGroup ahead: several groups
      return true;
    });
    if (queued.error) std::rethrow_exception(queued.error);
    IntakeResult r = std::move(queued.result);
    metrics.verdict(r.duplicate ? std::string_view("duplicate") : ledger::to_string(r.verdict));
    co_return co_await run_on(cpu->get_executor(), [&r, v] {
      nlohmann::ordered_json j = ingest::outcome_json(r);
      j["validation"] = report::to_json(r.result);
      if (r.retour.empty())
        j["retour"] = nullptr;
      else
        j["retour"] = r.retour_xml;
      return json_response(http::status::accepted, v, j);
    });
  }

  net::awaitable<Response> list_messages(std::string_view query, const Identity& who,
                                         unsigned v) {
    Since since;
    std::size_t limit = cfg.limits.list_limit;
    while (!query.empty()) {
      const auto amp = query.find('&');
      const std::string_view pair = query.substr(0, amp);
      query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
      if (pair.empty()) continue;
      const auto eq = pair.find('=');
      const std::string_view key = pair.substr(0, eq);
      const auto value =
          url_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
      if (!value) co_return error_response(http::status::bad_request, v, "malformed query");
      if (key == "since") {
        if (all_digits(*value)) since.after_id = std::stoll(*value);
        else if (is_utc_timestamp(*value)) since.from_time = *value;
        else
          co_return error_response(http::status::bad_request, v,
                                   "since: expected a message id (the previous answer's next) "
                                   "or a UTC time YYYY-MM-DDTHH:MM:SSZ");
      } else if (key == "limit") {
        if (!all_digits(*value) || std::stoll(*value) < 1)
          co_return error_response(http::status::bad_request, v, "limit: expected 1 or more");
        limit = std::min<std::size_t>(limit, static_cast<std::size_t>(std::stoll(*value)));
      } else {
        co_return error_response(http::status::bad_request, v,
                                 fmt::format("unknown query parameter '{}'", key));
      }
    }
    if (!intake) co_return error_response(http::status::service_unavailable, v, "no ledger");
    auto list = co_await run_on(ledger->get_executor(), [this, &who, &since, limit] {
      return intake->list_for(who.party, since, limit);
    });
    co_return co_await run_on(cpu->get_executor(), [&] {
      nlohmann::ordered_json j;
      j["party"] = who.party;
      auto arr = nlohmann::ordered_json::array();
      for (const auto& m : list) {
        nlohmann::ordered_json e;
        e["id"] = m.id;
        e["role"] = m.role;
        e["type"] = m.type;
        e["afzender"] = m.afzender;
        e["ontvanger"] = m.ontvanger;
        e["identificatie"] = m.identificatie;
        e["dagtekening"] = m.dagtekening;
        e["verdict"] = m.verdict;
        e["received_at"] = m.received_at;
        if (m.reply_to) e["reply_to"] = *m.reply_to;
        else e["reply_to"] = nullptr;
        e["xml"] = m.bytes;
        arr.push_back(std::move(e));
      }
      j["messages"] = std::move(arr);
      j["next"] = list.empty() ? since.after_id : list.back().id;
      j["more"] = list.size() == limit;
      return json_response(http::status::ok, v, j);
    });
  }
};

// -------------------------------------------------------------------------------------------

Server::Server(ServerConfig cfg, std::shared_ptr<const SchemaBundle> schemas,
               ValidateOptions vopt, std::shared_ptr<Intake> intake)
    : impl_(std::make_unique<Impl>(std::move(cfg), std::move(schemas), vopt, std::move(intake))) {}

Server::~Server() {
  shutdown();
  wait();
}

void Server::start() { impl_->start(); }
unsigned short Server::port() const { return impl_->bound_port; }

void Server::stop_on_signals() {
  impl_->signals.emplace(impl_->ctl, SIGINT, SIGTERM);
  impl_->signals->async_wait([this](beast::error_code ec, int sig) {
    if (ec) return;
    impl_->log(fmt::format("signal {}: shutting down", sig));
    impl_->begin_drain();
  });
}

std::string Server::exchange(std::string_view input, const Identity& who) {
  return impl_->exchange(input, who);
}

void Server::shutdown() { impl_->shutdown(); }
void Server::wait() { impl_->wait(); }
const Metrics& Server::metrics() const { return impl_->metrics; }

}  // namespace istd::server
