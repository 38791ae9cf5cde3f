// Load client for `istd serve` (tools/bench_serve.sh runs it; BENCHMARKS.md has the figures).
// N TLS connections (mutual TLS) to 127.0.0.1 only, each a coroutine sending one request at a
// time (keep-alive); stops after --requests requests or --max-seconds, whichever comes first.
// Prints throughput, latency percentiles and errors per endpoint and in total; exits 1 when
// any request failed.
//
//   istd_bench_serve --port P[,P2,...] --ca CA --cert CERT --key KEY (--file MSG.xml | --dir DIR)
//                    [--connections 64] [--requests 100000] [--max-seconds 120]
//                    [--path /v1/validate] [--mix PCT] [--cycle] [--posted-list FILE]
//                    [--progress SECONDS] [--threads 1]
//
// --port    one port or a comma-separated list: connection i goes to port i mod n.
// --file    the one body of every request (as before).
// --dir     the *.xml files of DIR, in sorted path order. Requests to /v1/messages take the
//           files in turn, each file once overall (every ingest is a new message); when all
//           are used the run ends, or starts over with --cycle (then re-posts are duplicates).
//           Requests to any other path (/v1/validate) take the files in turn, cycling.
// --mix P   P % of the requests go to /v1/messages, the rest to /v1/validate (interleaved
//           evenly: request i is an ingest when floor((i+1)P/100) > floor(iP/100)); without
//           --mix every request goes to --path.
// --posted-list FILE  writes the paths of the files posted to /v1/messages (one a line; a
//           file posted twice under --cycle is listed twice).
// --progress S  every S seconds a line with the answers per second per endpoint in that
//           interval (shows a rate that changes as the ledger grows).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
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

constexpr std::string_view kMessages = "/v1/messages";
constexpr std::size_t kKeepErrors = 4;  // first few errors kept per endpoint

struct Options {
  std::vector<unsigned short> ports;
  std::string ca, cert, key, file, dir, path = "/v1/validate", posted_list;
  unsigned connections = 64;
  std::uint64_t requests = 100000;
  double max_seconds = 120;
  double mix = -1;  // % to /v1/messages; < 0: every request to `path`
  double progress = 0;
  bool cycle = false;
  unsigned threads = 1;
};

struct Endpoint {
  std::string path;
  bool ingest = false;  // /v1/messages with --dir: each file once
  // Merged at the end of each connection (under Shared::mu), except the error fields.
  std::vector<std::uint32_t> latencies_us;
  std::uint64_t duplicates = 0;
  std::map<std::string, std::uint64_t> verdicts;
  std::atomic<std::uint64_t> non_2xx{0}, failed{0};  // failed: no answer (connection broke)
  std::atomic<std::uint64_t> answered{0};            // for --progress
  std::vector<std::string> first_errors;             // guarded by Shared::mu
};

struct Body {
  std::string name, bytes;
};

struct Shared {
  Options opt;
  std::vector<Body> bodies;
  std::vector<std::unique_ptr<Endpoint>> endpoints;
  Clock::time_point deadline;
  std::atomic<std::uint64_t> next{0}, next_ingest{0}, next_other{0};
  std::atomic<bool> used_up{false};
  std::atomic<std::uint64_t> errors{0}, reconnects{0};
  std::atomic<unsigned> active{0};  // connections not finished
  std::atomic<Clock::rep> end{0};   // when the last connection finished
  std::optional<net::strand<net::io_context::executor_type>> progress_strand;
  net::steady_timer* progress_timer = nullptr;  // on progress_strand
  std::mutex mu;
  std::string first_error;           // guarded by mu (connect/handshake/exception)
  std::vector<std::size_t> posted;   // guarded by mu: body indices posted to /v1/messages
};

void note_error(Shared& s, const std::string& what) {
  ++s.errors;
  std::lock_guard lock(s.mu);
  if (s.first_error.empty()) s.first_error = what;
}

void note_endpoint_error(Shared& s, Endpoint& ep, const std::string& what) {
  ++s.errors;
  std::lock_guard lock(s.mu);
  if (ep.first_errors.size() < kKeepErrors) ep.first_errors.push_back(what);
}

template <typename... A>
std::string fmt(const char* f, A... a) {
  char buf[256];
  std::snprintf(buf, sizeof buf, f, a...);
  return buf;
}

struct Pick {
  std::size_t endpoint = 0, body = 0;
};

/// The next request of the run, or nothing when the run is over.
std::optional<Pick> pick(Shared& s) {
  if (s.used_up.load() || Clock::now() >= s.deadline) return std::nullopt;
  const std::uint64_t i = s.next.fetch_add(1);
  if (i >= s.opt.requests) return std::nullopt;
  Pick p;
  if (s.opt.mix >= 0) {
    const double pct = s.opt.mix / 100.0;
    p.endpoint = std::floor(static_cast<double>(i + 1) * pct) >
                         std::floor(static_cast<double>(i) * pct)
                     ? 1
                     : 0;
  }
  const std::size_t n = s.bodies.size();
  if (n == 1) return p;
  if (s.endpoints[p.endpoint]->ingest) {
    std::uint64_t k = s.next_ingest.fetch_add(1);
    if (k >= n) {
      if (!s.opt.cycle) {
        s.used_up = true;
        return std::nullopt;
      }
      k %= n;
    }
    p.body = static_cast<std::size_t>(k);
  } else {
    p.body = static_cast<std::size_t>(s.next_other.fetch_add(1) % n);
  }
  return p;
}

std::string clip(std::string_view text, std::size_t n = 300) {
  std::string out(text.substr(0, n));
  for (char& c : out)
    if (c == '\n' || c == '\r') c = ' ';
  if (text.size() > n) out += "...";
  return out;
}

/// "verdict":"accepted" -> accepted (the answer of POST /v1/messages), or empty.
std::string verdict_of(std::string_view body) {
  constexpr std::string_view key = "\"verdict\":\"";
  const auto at = body.find(key);
  if (at == std::string_view::npos) return {};
  const auto from = at + key.size();
  const auto to = body.find('"', from);
  return to == std::string_view::npos ? std::string() : std::string(body.substr(from, to - from));
}

net::awaitable<void> connection(Shared& s, ssl::context& ctx, unsigned short port) {
  auto ex = co_await net::this_coro::executor;
  const std::size_t neps = s.endpoints.size();
  std::vector<std::vector<std::uint32_t>> lat(neps);
  std::vector<std::uint64_t> dups(neps, 0);
  std::vector<std::map<std::string, std::uint64_t>> verdicts(neps);
  std::vector<std::size_t> posted;
  for (auto& l : lat) l.reserve(s.opt.requests / s.opt.connections + 16);
  int reconnects_left = 10;  // bounded
  while (reconnects_left-- > 0) {
    beast::ssl_stream<beast::tcp_stream> stream(ex, ctx);
    auto& tcp_layer = beast::get_lowest_layer(stream);
    tcp_layer.expires_after(std::chrono::seconds(10));
    auto [cec] = co_await tcp_layer.async_connect(
        tcp::endpoint(net::ip::make_address("127.0.0.1"), port), nothrow);
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
      const auto p = pick(s);
      if (!p) break;
      Endpoint& ep = *s.endpoints[p->endpoint];
      const Body& body = s.bodies[p->body];
      if (ep.ingest) posted.push_back(p->body);
      http::request<http::string_body> req{http::verb::post, ep.path, 11};
      req.set(http::field::host, "127.0.0.1");
      req.set(http::field::content_type, "application/xml");
      req.body() = body.bytes;
      req.prepare_payload();
      const auto t0 = Clock::now();
      tcp_layer.expires_after(std::chrono::seconds(30));
      auto [wec, wn] = co_await http::async_write(stream, req, nothrow);
      http::response<http::string_body> res;
      beast::error_code rec = wec;
      if (!wec) std::tie(rec, wn) = co_await http::async_read(stream, buffer, res, nothrow);
      if (rec) {
        ++ep.failed;
        note_endpoint_error(s, ep, "no answer (" + body.name + "): " + rec.message());
        broken = true;
        break;
      }
      lat[p->endpoint].push_back(static_cast<std::uint32_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count()));
      ++ep.answered;
      if (res.result_int() / 100 != 2) {
        ++ep.non_2xx;
        note_endpoint_error(s, ep,
                            "status " + std::to_string(res.result_int()) + " (" + body.name +
                                "): " + clip(res.body()));
      } else if (ep.path == kMessages) {
        if (res.body().find("\"duplicate\":true") != std::string::npos) ++dups[p->endpoint];
        ++verdicts[p->endpoint][verdict_of(res.body())];
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
  if (--s.active == 0) {
    s.end = Clock::now().time_since_epoch().count();
    if (s.progress_strand)
      net::post(*s.progress_strand, [&s] {
        if (s.progress_timer) s.progress_timer->cancel();
      });
  }
  std::lock_guard lock(s.mu);
  for (std::size_t e = 0; e < neps; ++e) {
    auto& ep = *s.endpoints[e];
    ep.latencies_us.insert(ep.latencies_us.end(), lat[e].begin(), lat[e].end());
    ep.duplicates += dups[e];
    for (const auto& [v, n] : verdicts[e]) ep.verdicts[v] += n;
  }
  s.posted.insert(s.posted.end(), posted.begin(), posted.end());
}

net::awaitable<void> progress(Shared& s, Clock::time_point t0) {
  net::steady_timer timer(co_await net::this_coro::executor);
  s.progress_timer = &timer;
  std::vector<std::uint64_t> last(s.endpoints.size(), 0);
  auto at = t0;
  while (s.active.load() > 0) {
    at += std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s.opt.progress));
    timer.expires_at(at);
    auto [ec] = co_await timer.async_wait(nothrow);
    if (ec || s.active.load() == 0) break;
    const double t = std::chrono::duration<double>(Clock::now() - t0).count();
    std::string line;
    for (std::size_t e = 0; e < s.endpoints.size(); ++e) {
      const std::uint64_t n = s.endpoints[e]->answered.load();
      line += fmt(" %s %llu (%.0f/s)", s.endpoints[e]->path.c_str(),
                  static_cast<unsigned long long>(n), static_cast<double>(n - last[e]) / s.opt.progress);
      last[e] = n;
    }
    std::printf("progress %6.1f s:%s\n", t, line.c_str());
    std::fflush(stdout);
  }
  s.progress_timer = nullptr;
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

std::vector<Body> read_dir(const std::string& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".xml") files.push_back(e.path());
  if (ec || files.empty()) {
    std::fprintf(stderr, "bench_serve: no *.xml files in %s%s%s\n", dir.c_str(),
                 ec ? ": " : "", ec ? ec.message().c_str() : "");
    std::exit(2);
  }
  std::sort(files.begin(), files.end());
  std::vector<Body> out;
  out.reserve(files.size());
  for (const auto& f : files) out.push_back({f.string(), read_all(f.string())});
  return out;
}

[[noreturn]] void usage() {
  std::fprintf(stderr,
               "usage: bench_serve --port P[,P...] --ca CA --cert CERT --key KEY "
               "(--file MSG | --dir DIR) [--connections 64] [--requests 100000] "
               "[--max-seconds 120] [--path /v1/validate] [--mix PCT] [--cycle] "
               "[--posted-list FILE] [--progress S] [--threads 1]\n");
  std::exit(2);
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
    if (a == "--port") {
      std::stringstream ss(value());
      for (std::string p; std::getline(ss, p, ',');) {
        const unsigned long n = std::stoul(p);
        if (n == 0 || n > 65535) usage();
        o.ports.push_back(static_cast<unsigned short>(n));
      }
    } else if (a == "--ca") o.ca = value();
    else if (a == "--cert") o.cert = value();
    else if (a == "--key") o.key = value();
    else if (a == "--file") o.file = value();
    else if (a == "--dir") o.dir = value();
    else if (a == "--path") o.path = value();
    else if (a == "--mix") o.mix = std::stod(value());
    else if (a == "--cycle") o.cycle = true;
    else if (a == "--posted-list") o.posted_list = value();
    else if (a == "--progress") o.progress = std::stod(value());
    else if (a == "--connections") o.connections = static_cast<unsigned>(std::stoul(value()));
    else if (a == "--requests") o.requests = std::stoull(value());
    else if (a == "--max-seconds") o.max_seconds = std::stod(value());
    else if (a == "--threads") o.threads = static_cast<unsigned>(std::stoul(value()));
    else {
      std::fprintf(stderr, "bench_serve: unknown argument %s\n", a.c_str());
      std::exit(2);
    }
  }
  if (o.ports.empty() || o.ca.empty() || o.cert.empty() || o.key.empty() ||
      o.file.empty() == o.dir.empty() || o.connections == 0 || o.connections > 4096 ||
      o.threads == 0 || o.threads > 64 || o.mix > 100 || o.progress < 0)
    usage();
  return o;
}

void print_row(const char* name, std::vector<std::uint32_t>& l, double secs, std::uint64_t non_2xx,
               std::uint64_t failed) {
  std::sort(l.begin(), l.end());
  auto pct = [&](double p) -> double {
    if (l.empty()) return 0;
    const auto idx = static_cast<std::size_t>(p / 100.0 * static_cast<double>(l.size() - 1));
    return l[idx] / 1000.0;
  };
  std::printf("%-13s %8zu %8.0f %8.2f %8.2f %8.2f %8.2f %8.2f %8llu %7llu\n", name, l.size(),
              static_cast<double>(l.size()) / secs, pct(50), pct(90), pct(99), pct(99.9),
              l.empty() ? 0.0 : l.back() / 1000.0, static_cast<unsigned long long>(non_2xx),
              static_cast<unsigned long long>(failed));
}

}  // namespace

int main(int argc, char** argv) {
  Shared s;
  s.opt = parse(argc, argv);
  if (!s.opt.file.empty()) s.bodies.push_back({s.opt.file, read_all(s.opt.file)});
  else s.bodies = read_dir(s.opt.dir);
  const bool many = s.bodies.size() > 1 || !s.opt.dir.empty();
  auto add_endpoint = [&](std::string path) {
    auto ep = std::make_unique<Endpoint>();
    ep->ingest = many && path == kMessages;
    ep->path = std::move(path);
    s.endpoints.push_back(std::move(ep));
  };
  if (s.opt.mix >= 0) {
    add_endpoint("/v1/validate");
    add_endpoint(std::string(kMessages));
  } else {
    add_endpoint(s.opt.path);
  }
  ssl::context ctx(ssl::context::tls_client);
  ctx.load_verify_file(s.opt.ca);
  ctx.set_verify_mode(ssl::verify_peer);
  ctx.use_certificate_chain_file(s.opt.cert);
  ctx.use_private_key_file(s.opt.key, ssl::context::pem);

  net::io_context ioc(static_cast<int>(s.opt.threads));
  const auto t0 = Clock::now();
  s.deadline = t0 + std::chrono::duration_cast<Clock::duration>(
                        std::chrono::duration<double>(s.opt.max_seconds));
  s.active = s.opt.connections;
  for (unsigned i = 0; i < s.opt.connections; ++i)
    net::co_spawn(net::make_strand(ioc), connection(s, ctx, s.opt.ports[i % s.opt.ports.size()]),
                  [&s](std::exception_ptr e) {
                    if (!e) return;
                    try {
                      std::rethrow_exception(e);
                    } catch (const std::exception& ex) {
                      note_error(s, std::string("exception: ") + ex.what());
                    }
                  });
  if (s.opt.progress > 0) {
    s.progress_strand.emplace(net::make_strand(ioc));
    net::co_spawn(*s.progress_strand, progress(s, t0), net::detached);
  }
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < s.opt.threads; ++i) threads.emplace_back([&] { ioc.run(); });
  ioc.run();
  for (auto& t : threads) t.join();
  const auto end = s.end.load() ? Clock::time_point(Clock::duration(s.end.load())) : Clock::now();
  const double secs = std::chrono::duration<double>(end - t0).count();

  std::string ports;
  for (auto p : s.opt.ports) ports += (ports.empty() ? "" : ",") + std::to_string(p);
  std::size_t bytes = 0;
  for (const auto& b : s.bodies) bytes += b.bytes.size();
  std::printf("bench_serve: %u connections to port%s %s; ", s.opt.connections,
              s.opt.ports.size() > 1 ? "s" : "", ports.c_str());
  if (s.opt.dir.empty())
    std::printf("body %zu bytes (%s)\n", bytes, s.opt.file.c_str());
  else
    std::printf("%zu files (%zu bytes, mean %zu) of %s%s\n", s.bodies.size(), bytes,
                bytes / s.bodies.size(), s.opt.dir.c_str(), s.opt.cycle ? ", cycling" : "");
  if (s.opt.mix >= 0) std::printf("mix: %.1f %% to /v1/messages\n", s.opt.mix);

  std::vector<std::uint32_t> all;
  std::uint64_t non_2xx = 0, failed = 0;
  for (const auto& ep : s.endpoints) {
    all.insert(all.end(), ep->latencies_us.begin(), ep->latencies_us.end());
    non_2xx += ep->non_2xx;
    failed += ep->failed;
  }
  std::printf("%-13s %8s %8s %8s %8s %8s %8s %8s %8s %7s\n", "endpoint", "answered", "req/s",
              "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "non-2xx", "failed");
  for (const auto& ep : s.endpoints)
    print_row(ep->path.c_str(), ep->latencies_us, secs, ep->non_2xx, ep->failed);
  if (s.endpoints.size() > 1) print_row("total", all, secs, non_2xx, failed);
  // The lines of the earlier single-endpoint report (the total).
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) -> double {
    if (all.empty()) return 0;
    return all[static_cast<std::size_t>(p / 100.0 * static_cast<double>(all.size() - 1))] / 1000.0;
  };
  std::printf("requests: %zu answered in %.2f s = %.0f req/s\n", all.size(), secs,
              static_cast<double>(all.size()) / secs);
  std::printf("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f\n", pct(50),
              pct(90), pct(99), pct(99.9), all.empty() ? 0.0 : all.back() / 1000.0);
  for (const auto& ep : s.endpoints) {
    if (ep->path == kMessages) {
      std::printf("%s: %llu new, %llu duplicate; verdicts:", ep->path.c_str(),
                  static_cast<unsigned long long>(ep->latencies_us.size() - ep->non_2xx -
                                                  ep->duplicates),
                  static_cast<unsigned long long>(ep->duplicates));
      for (const auto& [v, n] : ep->verdicts)
        std::printf(" %s=%llu", v.empty() ? "?" : v.c_str(), static_cast<unsigned long long>(n));
      std::printf("\n");
    }
    for (const auto& e : ep->first_errors) std::printf("%s error: %s\n", ep->path.c_str(), e.c_str());
  }
  if (s.used_up) std::printf("the files for /v1/messages were used up (each posted once)\n");
  std::printf("errors: %llu (non-2xx %llu, no answer %llu, reconnects %llu)%s%s\n",
              static_cast<unsigned long long>(s.errors.load()),
              static_cast<unsigned long long>(non_2xx), static_cast<unsigned long long>(failed),
              static_cast<unsigned long long>(s.reconnects.load()),
              s.first_error.empty() ? "" : "; first connection error: ", s.first_error.c_str());
  if (!s.opt.posted_list.empty()) {
    std::ofstream out(s.opt.posted_list, std::ios::trunc);
    for (auto i : s.posted) out << s.bodies[i].name << '\n';
    if (!out) {
      std::fprintf(stderr, "bench_serve: cannot write %s\n", s.opt.posted_list.c_str());
      return 1;
    }
  }
  return s.errors.load() == 0 && !all.empty() ? 0 : 1;
}
