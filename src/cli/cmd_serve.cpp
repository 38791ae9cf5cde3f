// istd serve: validation and ingest over HTTPS with mutual TLS (src/server/, docs/serve.md).
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>

#include <fmt/format.h>

#include "cli/engine_option.hpp"
#include "cli/clock.hpp"
#include "cli/command.hpp"
#include "cli/ledger_option.hpp"
#include "cli/commands.hpp"
#include "cli/inputs.hpp"
#include "core/errors.hpp"
#include "core/ingest/ingest.hpp"
#include "core/validator.hpp"
#include "core/xml/schema_bundle.hpp"
#include "server/config.hpp"
#include "server/ledger_intake.hpp"
#include "server/server.hpp"

namespace istd::cli {
namespace {

class CommandServe : public Command {
 public:
  void setup(CLI::App& app) override {
    app.description(
        "Serve validation and ingest over HTTPS with mutual TLS, for a hub connector, portal or "
        "provider software.\n"
        "Endpoints: POST /v1/validate (any authenticated party: validate's JSON, or the rapport "
        "XML with Accept: application/xml), POST /v1/messages (ingest with the rules of `istd "
        "ingest`; the message's Afzender must be the caller's party), GET /v1/messages"
        "[?since=ID] (messages and retours delivered to the caller), GET /healthz, GET "
        "/metrics (Prometheus). A client certificate's subject CN is its party code (AGB or "
        "gemeentecode) unless --parties maps certificates to parties. See docs/serve.md.\n"
        "SIGTERM or SIGINT stops accepting, lets requests in flight finish (drain deadline) "
        "and exits 0.\n\n"
        "Exit status: 0 stopped by a signal, 2 usage or configuration error, 3 runtime "
        "failure.");
    app.footer(
        "Example:\n"
        "  istd serve --listen 0.0.0.0:8443 --cert server.pem --key server.key \\\n"
        "             --client-ca clients-ca.pem --db ledger.db --out uit/");
    app.add_option("--listen", listen_,
                   "Address and port to listen on, HOST:PORT (an IP address; port 0 picks a "
                   "free one, printed at start)")
        ->required();
    app.add_option("--cert", cert_, "The server's certificate chain (PEM)")
        ->required()
        ->check(CLI::ExistingFile);
    app.add_option("--key", key_, "The server's private key (PEM)")
        ->required()
        ->check(CLI::ExistingFile);
    app.add_option("--client-ca", client_ca_,
                   "CA certificates (PEM) that client certificates must chain to; connections "
                   "without such a certificate are refused at the TLS handshake")
        ->required()
        ->check(CLI::ExistingFile);
    add_ledger_option(app, db_, false);
    app.add_option("--parties", parties_,
                   "Map of client certificates to parties: lines 'sha256:<fingerprint> "
                   "<party>' or 'cn:<common name> <party>'. Without it the CN is the party code")
        ->check(CLI::ExistingFile);
    app.add_option("--config", config_,
                   "JSON file with limits: body_limit (default 25M), header_limit (16K), "
                   "handshake_/header_/read_/idle_/write_timeout_ms, max_connections (512), "
                   "drain_deadline_ms (10000), list_limit (100), io_threads (1), workers (0 = "
                   "one per core)")
        ->check(CLI::ExistingFile);
    app.add_option("--out", out_,
                   "Output tree for ingested messages and retours, as `istd ingest --out`; "
                   "without it nothing is written besides the ledger");
    app.add_option("--side", side_,
                   "Where istd runs: gemeente (own 301s are recorded, 305/307 get 306/308) or "
                   "aanbieder (a received 301 gets a 302)")
        ->check(CLI::IsMember({"gemeente", "aanbieder"}))
        ->capture_default_str();
    app.add_option("--today", today_,
                   "Fixed date of receipt, YYYY-MM-DD, for testing (TR135, DagtekeningRetour). "
                   "Default: $ISTD_TODAY, else the current date in Europe/Amsterdam, each "
                   "message")
        ->envname("ISTD_TODAY");
    app.add_option("--schemas", schemas_,
                   "Directory with the XSD bundle. Default: the bundled iWmo 3.2 and iJw 3.2 "
                   "schemas")
        ->check(CLI::ExistingDirectory);
    add_engine_option(app, engine_);
  }

  int run() override {
    server::ServerConfig cfg;
    server::parse_listen(listen_, cfg);
    cfg.cert = cert_;
    cfg.key = key_;
    cfg.client_ca = client_ca_;
    cfg.parties = parties_;
    if (!config_.empty()) server::load_config_file(config_, cfg);
    cfg.log = [](std::string_view line) {
      std::string s = fmt::format("istd serve: {}\n", line);
      std::fwrite(s.data(), 1, s.size(), stderr);
    };

    ValidateOptions vopt;
    vopt.max_message_bytes = cfg.limits.body_limit;
    auto bundle = std::make_shared<const SchemaBundle>(SchemaBundle::load(
        schemas_.empty() ? SchemaBundle::default_dir() : std::filesystem::path(schemas_)));
    vopt.engine = engine_named(engine_);
    prepare_engine(bundle, vopt, "serve");

    ingest::Options iopt;
    iopt.side = side_ == "aanbieder" ? ingest::Side::aanbieder : ingest::Side::gemeente;
    iopt.out_dir = out_;
    std::function<model::Date()> clock;
    // --today (or $ISTD_TODAY, read by CLI11) fixes the date; otherwise it follows the clock.
    iopt.today = resolve_today(today_);
    if (today_.empty()) clock = amsterdam_today;
    auto intake = std::make_shared<server::LedgerIntake>(db_, bundle, iopt, clock);

    server::Server srv(cfg, bundle, vopt, intake);
    srv.stop_on_signals();
    srv.start();
    std::string line = fmt::format("istd serve: listening on https://{}:{}\n",
                                   cfg.host.find(':') == std::string::npos
                                       ? cfg.host
                                       : fmt::format("[{}]", cfg.host),
                                   srv.port());
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fflush(stdout);
    srv.wait();
    return kOk;
  }

 private:
  std::string listen_, cert_, key_, client_ca_, db_, parties_, config_, out_;
  std::string engine_;
  std::string side_ = "gemeente", today_, schemas_;
};

}  // namespace

std::unique_ptr<Command> make_serve() { return std::make_unique<CommandServe>(); }

}  // namespace istd::cli
