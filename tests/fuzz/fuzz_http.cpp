// Fuzz target: bytes -> the HTTP service. The input is the raw byte stream a client sends on one
// connection, TLS aside (Server::exchange): the real request loop with its header and body
// limits (small here, so that the fuzzer reaches them), the 413 and its drain, routing, the
// handler, validation on the worker pool and a fresh ledger per input behind it (LedgerIntake,
// a gemeente's, in a scratch directory), as the provider 65656055. Invariants: no crash and no
// exception out of the server; what the server writes is a sequence of complete HTTP responses
// and nothing after one that closes the connection; every status is one docs/serve.md names
// (no 500); a JSON body parses, an error's names its status; a 2xx answers only a request that
// parses (checked with a parser of its own) and only on an endpoint that answers so.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "core/ingest/ingest.hpp"
#include "fuzz_env.hpp"
#include "server/ledger_intake.hpp"
#include "server/server.hpp"

using namespace istd;
namespace fs = std::filesystem;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

constexpr std::size_t kBodyLimit = 16 * 1024;
constexpr std::size_t kHeaderLimit = 1024;

fs::path work_dir() {
  static const fs::path dir = [] {
    const fs::path base = fs::exists("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    return base / ("istd-fuzz-http-" + std::to_string(::getpid()));
  }();
  return dir;
}

/// The server lives for the whole process (its validator is built once); every input gets a
/// fresh ledger behind it through this.
class FreshIntake final : public server::Intake {
 public:
  server::IntakeResult submit(std::string_view bytes, ValidationResult result) override {
    return current->submit(bytes, std::move(result));
  }
  std::vector<server::StoredMessage> list_for(const std::string& party,
                                              const server::Since& since,
                                              std::size_t limit) override {
    return current->list_for(party, since, limit);
  }
  std::shared_ptr<server::Intake> current;
};

std::shared_ptr<FreshIntake>& intake() {
  static auto i = std::make_shared<FreshIntake>();
  return i;
}

server::Server& the_server() {
  static server::Server* srv = [] {
    server::ServerConfig cfg;
    cfg.limits.body_limit = kBodyLimit;
    cfg.limits.header_limit = kHeaderLimit;
    cfg.limits.list_limit = 2;
    cfg.workers = 1;
    ValidateOptions vopt;
    vopt.max_message_bytes = cfg.limits.body_limit;  // as istd serve does
    // Lives until exit, never destroyed (like the Xerces platform).
    return new server::Server(cfg, fuzz::bundle(), vopt, intake());
  }();
  return *srv;
}

/// The requests of `input` that parse, in order, up to the first that does not (a parser of
/// our own with the server's header limit and no body limit but the input's length: a
/// string_body reserves the Content-Length).
std::vector<http::request<http::string_body>> parsed_requests(std::string_view input) {
  std::vector<http::request<http::string_body>> out;
  while (!input.empty()) {
    http::request_parser<http::string_body> p;
    p.header_limit(static_cast<std::uint32_t>(kHeaderLimit));
    p.body_limit(input.size());
    p.eager(true);
    beast::error_code ec;
    const std::size_t used = p.put(boost::asio::buffer(input.data(), input.size()), ec);
    if (ec || !p.is_done()) break;
    input.remove_prefix(used);
    out.push_back(p.release());
  }
  return out;
}

bool documented(unsigned status) {
  switch (status) {
    case 100: case 200: case 202: case 400: case 403: case 404: case 405: case 413: case 422:
    case 431:
      return true;
    default:
      return false;
  }
}

/// Whether the endpoint of `req` may answer `status` (2xx only).
bool may_succeed(const http::request<http::string_body>& req, unsigned status) {
  const std::string_view target(req.target().data(), req.target().size());
  const std::string_view path = target.substr(0, target.find('?'));
  const auto m = req.method();
  if (status == 202) return m == http::verb::post && path == "/v1/messages";
  if (status == 200)
    return (m == http::verb::get &&
            (path == "/healthz" || path == "/metrics" || path == "/v1/messages")) ||
           (m == http::verb::post && path == "/v1/validate");
  return false;
}

void check_answer(std::string_view input, std::string_view output) {
  const auto requests = parsed_requests(input);
  std::size_t finals = 0;
  bool closed = false;
  while (!output.empty()) {
    if (closed) fuzz::broken("bytes written after a response that closes the connection");
    http::response_parser<http::string_body> p;
    p.body_limit(output.size());
    p.eager(true);
    beast::error_code ec;
    const std::size_t used = p.put(boost::asio::buffer(output.data(), output.size()), ec);
    if (ec || !p.is_done()) fuzz::broken("the server wrote an incomplete or malformed response");
    output.remove_prefix(used);
    const auto& res = p.get();
    const unsigned status = res.result_int();
    if (!documented(status)) {
      std::fprintf(stderr, "status %u\n", status);
      fuzz::broken("a status docs/serve.md does not name");
    }
    if (status == 100) continue;  // interim: the final answer follows
    if (res[http::field::content_type] == "application/json") {
      const auto j = nlohmann::json::parse(res.body(), nullptr, false);
      if (j.is_discarded()) fuzz::broken("a JSON answer that does not parse");
      if (status >= 400 && !(j.is_object() && j.contains("status") && j["status"] == status))
        fuzz::broken("an error answer without its status");
    }
    if (status >= 200 && status < 300) {
      if (finals >= requests.size()) fuzz::broken("a 2xx answer to a request that does not parse");
      if (!may_succeed(requests[finals], status)) fuzz::broken("a 2xx from the wrong endpoint");
    }
    if (finals > requests.size()) fuzz::broken("more answers than requests");
    ++finals;
    closed = !res.keep_alive();
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::init();
  the_server();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 256 * 1024) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const fs::path dir = work_dir();
  fs::remove_all(dir);
  fs::create_directories(dir);
  ingest::Options o;
  o.side = ingest::Side::gemeente;
  o.today = model::Date{2025, 7, 10};
  o.sync_files = false;
  o.background_files = false;
  std::string output;
  try {
    intake()->current = std::make_shared<server::LedgerIntake>(dir / "ledger.db", fuzz::bundle(), o);
    const server::Identity who{"65656055", ""};
    output = the_server().exchange(input, who);
    intake()->current->close();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    fuzz::broken("the server threw");
  }
  intake()->current.reset();
  if (std::getenv("ISTD_FUZZ_VERBOSE"))
    std::fprintf(stderr, "http: %zu bytes in, %zu bytes out:\n%s\n", input.size(), output.size(),
                 output.c_str());
  check_answer(input, output);
  fs::remove_all(dir);
  return 0;
}
