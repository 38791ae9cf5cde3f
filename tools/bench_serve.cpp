// Load client for `istd serve` (tools/bench_serve.sh runs it; BENCHMARKS.md has the figures).
// N TLS connections (mutual TLS) to 127.0.0.1 only, each a coroutine sending one request at a
// time (keep-alive); stops after --requests requests or --max-seconds, whichever comes first.
// Prints throughput, latency percentiles and errors; exits 1 when any request failed.
//
//   istd_bench_serve --port P --ca CA --cert CERT --key KEY --file MSG.xml
//                    [--connections 64] [--requests 100000] [--max-seconds 120]
//                    [--path /v1/validate] [--threads 1]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
constexpr auto nothrow = net::as_tuple(net::use_awaitable);

namespace {

struct Options {
  unsigned short port = 0;
  std::string ca, cert, key, file, path = "/v1/validate";
  unsigned connections = 64;
  std::uint64_t requests = 100000;
  double max_seconds = 120;
  unsigned threads = 1;
};

struct Shared {
  Options opt;
  std::string body;
  Clock::time_point deadline;
  std::atomic<std::uint64_t> next{0};
  std::atomic<std::uint64_t> errors{0}, non_2xx{0}, reconnects{0};
  std::mutex mu;
  std::vector<std::uint32_t> latencies_us;  // guarded by mu (merged at the end of each conn)
  std::string first_error;                  // guarded by mu
};

void note_error(Shared& s, const std::string& what) {
  ++s.errors;
  std::lock_guard lock(s.mu);
  if (s.first_error.empty()) s.first_error = what;
}

net::awaitable<void> connection(Shared& s, ssl::context& ctx) {
  auto ex = co_await net::this_coro::executor;
  std::vector<std::uint32_t> lat;
  lat.reserve(s.opt.requests / s.opt.connections + 16);
  int reconnects_left = 10;  // bounded
  while (reconnects_left-- > 0) {
    beast::ssl_stream<beast::tcp_stream> stream(ex, ctx);
    auto& tcp_layer = beast::get_lowest_layer(stream);
    tcp_layer.expires_after(std::chrono::seconds(10));
    auto [cec] = co_await tcp_layer.async_connect(
        tcp::endpoint(net::ip::make_address("127.0.0.1"), s.opt.port), nothrow);
    if (cec) {
      note_error(s, "connect: " + cec.message());
      continue;
    }
    auto [hec] = co_await stream.async_handshake(ssl::stream_base::client, nothrow);
    if (hec) {
      note_error(s, "handshake: " + hec.message());
      continue;
    }
    beast::flat_buffer buffer;
    bool broken = false;
    for (;;) {
      if (Clock::now() >= s.deadline) break;
      if (s.next.fetch_add(1) >= s.opt.requests) break;
      http::request<http::string_body> req{http::verb::post, s.opt.path, 11};
      req.set(http::field::host, "127.0.0.1");
      req.set(http::field::content_type, "application/xml");
      req.body() = s.body;
      req.prepare_payload();
      const auto t0 = Clock::now();
      tcp_layer.expires_after(std::chrono::seconds(30));
      auto [wec, wn] = co_await http::async_write(stream, req, nothrow);
      http::response<http::string_body> res;
      beast::error_code rec = wec;
      if (!wec) std::tie(rec, wn) = co_await http::async_read(stream, buffer, res, nothrow);
      if (rec) {
        note_error(s, "request: " + rec.message());
        broken = true;
        break;
      }
      lat.push_back(static_cast<std::uint32_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count()));
      if (res.result_int() / 100 != 2) {
        ++s.non_2xx;
        note_error(s, "status " + std::to_string(res.result_int()));
      }
      if (!res.keep_alive()) {
        broken = true;
        break;
      }
    }
    if (!broken) {
      tcp_layer.expires_after(std::chrono::seconds(2));
      co_await stream.async_shutdown(nothrow);
      break;
    }
    ++s.reconnects;
  }
  std::lock_guard lock(s.mu);
  s.latencies_us.insert(s.latencies_us.end(), lat.begin(), lat.end());
}

std::string read_all(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "bench_serve: cannot read %s\n", file.c_str());
    std::exit(2);
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "bench_serve: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--port") o.port = static_cast<unsigned short>(std::stoul(value()));
    else if (a == "--ca") o.ca = value();
    else if (a == "--cert") o.cert = value();
    else if (a == "--key") o.key = value();
    else if (a == "--file") o.file = value();
    else if (a == "--path") o.path = value();
    else if (a == "--connections") o.connections = static_cast<unsigned>(std::stoul(value()));
    else if (a == "--requests") o.requests = std::stoull(value());
    else if (a == "--max-seconds") o.max_seconds = std::stod(value());
    else if (a == "--threads") o.threads = static_cast<unsigned>(std::stoul(value()));
    else {
      std::fprintf(stderr, "bench_serve: unknown argument %s\n", a.c_str());
      std::exit(2);
    }
  }
  if (!o.port || o.ca.empty() || o.cert.empty() || o.key.empty() || o.file.empty() ||
      o.connections == 0 || o.connections > 4096 || o.threads == 0 || o.threads > 64) {
    std::fprintf(stderr,
                 "usage: bench_serve --port P --ca CA --cert CERT --key KEY --file MSG "
                 "[--connections 64] [--requests 100000] [--max-seconds 120] [--path "
                 "/v1/validate] [--threads 1]\n");
    std::exit(2);
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  Shared s;
  s.opt = parse(argc, argv);
  s.body = read_all(s.opt.file);
  ssl::context ctx(ssl::context::tls_client);
  ctx.load_verify_file(s.opt.ca);
  ctx.set_verify_mode(ssl::verify_peer);
  ctx.use_certificate_chain_file(s.opt.cert);
  ctx.use_private_key_file(s.opt.key, ssl::context::pem);

  net::io_context ioc(static_cast<int>(s.opt.threads));
  const auto t0 = Clock::now();
  s.deadline = t0 + std::chrono::duration_cast<Clock::duration>(
                        std::chrono::duration<double>(s.opt.max_seconds));
  for (unsigned i = 0; i < s.opt.connections; ++i)
    net::co_spawn(net::make_strand(ioc), connection(s, ctx), [&s](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        note_error(s, std::string("exception: ") + ex.what());
      }
    });
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < s.opt.threads; ++i) threads.emplace_back([&] { ioc.run(); });
  ioc.run();
  for (auto& t : threads) t.join();
  const double secs = std::chrono::duration<double>(Clock::now() - t0).count();

  auto& l = s.latencies_us;
  std::sort(l.begin(), l.end());
  auto pct = [&](double p) -> double {
    if (l.empty()) return 0;
    const auto idx = static_cast<std::size_t>(p / 100.0 * static_cast<double>(l.size() - 1));
    return l[idx] / 1000.0;
  };
  const std::uint64_t done = l.size();
  std::printf("bench_serve: %u connections, %s, body %zu bytes\n", s.opt.connections,
              s.opt.path.c_str(), s.body.size());
  std::printf("requests: %llu answered in %.2f s = %.0f req/s\n",
              static_cast<unsigned long long>(done), secs, static_cast<double>(done) / secs);
  std::printf("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f\n", pct(50),
              pct(90), pct(99), pct(99.9), l.empty() ? 0.0 : l.back() / 1000.0);
  std::printf("errors: %llu (non-2xx %llu, reconnects %llu)%s%s\n",
              static_cast<unsigned long long>(s.errors.load()),
              static_cast<unsigned long long>(s.non_2xx.load()),
              static_cast<unsigned long long>(s.reconnects.load()),
              s.first_error.empty() ? "" : "; first: ", s.first_error.c_str());
  return s.errors.load() == 0 && done > 0 ? 0 : 1;
}
