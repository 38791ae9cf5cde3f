#include "server/metrics.hpp"

#include <iterator>

#include <fmt/format.h>

namespace istd::server {

std::string_view to_string(Endpoint e) {
  switch (e) {
    case Endpoint::validate: return "/v1/validate";
    case Endpoint::messages_post: return "POST /v1/messages";
    case Endpoint::messages_get: return "GET /v1/messages";
    case Endpoint::healthz: return "/healthz";
    case Endpoint::metrics: return "/metrics";
    default: return "other";
  }
}

void Metrics::request(Endpoint e, unsigned status, double seconds) {
  auto& h = latency_[static_cast<std::size_t>(e)];
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) {
      ++h.buckets[i];
      break;
    }
  ++h.count;
  h.sum_us += static_cast<std::uint64_t>(seconds * 1e6);
  std::lock_guard lock(mu_);
  ++requests_[{e, status}];
}

void Metrics::verdict(std::string_view v) {
  std::lock_guard lock(mu_);
  auto it = verdicts_.find(v);
  if (it == verdicts_.end()) it = verdicts_.emplace(std::string(v), 0).first;
  ++it->second;
}

std::uint64_t Metrics::requests(Endpoint e, unsigned status) const {
  std::lock_guard lock(mu_);
  auto it = requests_.find({e, status});
  return it == requests_.end() ? 0 : it->second;
}

std::string Metrics::render() const {
  std::string s;
  auto out = std::back_inserter(s);
  fmt::format_to(out,
                 "# HELP istd_http_requests_total HTTP requests answered, by endpoint and "
                 "status.\n# TYPE istd_http_requests_total counter\n");
  {
    std::lock_guard lock(mu_);
    for (const auto& [k, n] : requests_)
      fmt::format_to(out, "istd_http_requests_total{{endpoint=\"{}\",code=\"{}\"}} {}\n",
                     to_string(k.first), k.second, n);
    fmt::format_to(out,
                   "# HELP istd_ingest_verdicts_total Messages taken in by POST /v1/messages, "
                   "by verdict.\n# TYPE istd_ingest_verdicts_total counter\n");
    for (const auto& [v, n] : verdicts_)
      fmt::format_to(out, "istd_ingest_verdicts_total{{verdict=\"{}\"}} {}\n", v, n);
  }
  fmt::format_to(out,
                 "# HELP istd_http_request_duration_seconds Time from complete request to "
                 "response ready.\n# TYPE istd_http_request_duration_seconds histogram\n");
  for (std::size_t e = 0; e < latency_.size(); ++e) {
    const auto& h = latency_[e];
    const auto name = to_string(static_cast<Endpoint>(e));
    std::uint64_t cum = 0;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      cum += h.buckets[i].load();
      fmt::format_to(out,
                     "istd_http_request_duration_seconds_bucket{{endpoint=\"{}\",le=\"{}\"}} "
                     "{}\n",
                     name, kBuckets[i], cum);
    }
    fmt::format_to(out,
                   "istd_http_request_duration_seconds_bucket{{endpoint=\"{}\",le=\"+Inf\"}} {}\n"
                   "istd_http_request_duration_seconds_sum{{endpoint=\"{}\"}} {:.6f}\n"
                   "istd_http_request_duration_seconds_count{{endpoint=\"{}\"}} {}\n",
                   name, h.count.load(), name, static_cast<double>(h.sum_us.load()) / 1e6, name,
                   h.count.load());
  }
  fmt::format_to(out,
                 "# HELP istd_connections_active Open client connections.\n"
                 "# TYPE istd_connections_active gauge\nistd_connections_active {}\n"
                 "# HELP istd_connections_total Connections accepted.\n"
                 "# TYPE istd_connections_total counter\nistd_connections_total {}\n"
                 "# HELP istd_connections_refused_total Connections closed at once because "
                 "max_connections were open.\n"
                 "# TYPE istd_connections_refused_total counter\n"
                 "istd_connections_refused_total {}\n"
                 "# HELP istd_tls_handshake_failures_total Failed or timed-out TLS handshakes "
                 "(incl. missing or untrusted client certificates).\n"
                 "# TYPE istd_tls_handshake_failures_total counter\n"
                 "istd_tls_handshake_failures_total {}\n"
                 "# HELP istd_timeouts_total Connections cut off by a header, read, write or "
                 "handshake timeout.\n"
                 "# TYPE istd_timeouts_total counter\nistd_timeouts_total {}\n",
                 connections_active_.load(), connections_total_.load(),
                 connections_refused_.load(), handshake_failures_.load(), timeouts_.load());
  return s;
}

}  // namespace istd::server
