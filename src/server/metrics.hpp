// Prometheus text exposition of the server's counters: requests by endpoint and status,
// request latency histograms per endpoint, ingest verdicts, connections. Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace istd::server {

enum class Endpoint { validate, messages_post, messages_get, healthz, metrics, other, count_ };
std::string_view to_string(Endpoint e);

class Metrics {
 public:
  /// Upper bounds (seconds) of the latency buckets.
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5,   10.0};

  void request(Endpoint e, unsigned status, double seconds);
  void verdict(std::string_view v);
  void connection_opened() { ++connections_total_; ++connections_active_; }
  void connection_closed() { --connections_active_; }
  void connection_refused() { ++connections_refused_; }
  void handshake_failed() { ++handshake_failures_; }
  void timed_out() { ++timeouts_; }

  std::int64_t active_connections() const { return connections_active_.load(); }
  std::uint64_t handshake_failures() const { return handshake_failures_.load(); }
  std::uint64_t refused_connections() const { return connections_refused_.load(); }
  std::uint64_t timeouts() const { return timeouts_.load(); }
  std::uint64_t requests(Endpoint e, unsigned status) const;

  /// The text exposition format (version 0.0.4).
  std::string render() const;

 private:
  struct Histogram {
    std::array<std::atomic<std::uint64_t>, kBuckets.size()> buckets{};
    std::atomic<std::uint64_t> count{0};
    std::atomic<std::uint64_t> sum_us{0};
  };
  std::array<Histogram, static_cast<std::size_t>(Endpoint::count_)> latency_;
  mutable std::mutex mu_;
  std::map<std::pair<Endpoint, unsigned>, std::uint64_t> requests_;  // guarded by mu_
  std::map<std::string, std::uint64_t, std::less<>> verdicts_;       // guarded by mu_
  std::atomic<std::uint64_t> connections_total_{0}, connections_refused_{0},
      handshake_failures_{0}, timeouts_{0};
  std::atomic<std::int64_t> connections_active_{0};
};

}  // namespace istd::server
