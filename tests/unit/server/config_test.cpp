#include <doctest/doctest.h>

#include <fstream>

#include "core/errors.hpp"
#include "server/config.hpp"
#include "server_test_util.hpp"

using namespace istd;
using namespace istd::server;

TEST_SUITE("server") {

TEST_CASE("config: a JSON config file sets limits - unknown keys are refused") {
  test::TempDir dir;
  const auto file = dir.path / "serve.json";
  {
    std::ofstream(file) << R"({"body_limit": "1M", "header_limit": 8192, "idle_timeout_ms": 500,
                               "max_connections": 64, "workers": 2, "io_threads": 1})";
  }
  ServerConfig c;
  load_config_file(file, c);
  CHECK(c.limits.body_limit == 1024u * 1024u);
  CHECK(c.limits.header_limit == 8192u);
  CHECK(c.limits.idle_timeout == std::chrono::milliseconds(500));
  CHECK(c.limits.max_connections == 64u);
  CHECK(c.workers == 2u);
  { std::ofstream(file) << R"({"body_limt": "1M"})"; }
  CHECK_THROWS_WITH_AS(load_config_file(file, c),
                       (fmt::format("config file {}: unknown key 'body_limt'", file.string()))
                           .c_str(),
                       ConfigError);
  { std::ofstream(file) << R"({"read_timeout_ms": -1})"; }
  CHECK_THROWS_WITH_AS(load_config_file(file, c),
                       "config: read_timeout_ms must be an integer >= 1, got -1", ConfigError);
}

TEST_CASE("config: unusable TLS files are configuration errors at start") {
  auto cfg = test::test_config();
  cfg.key = test::TestPki::get().key("0363");  // does not match the server certificate
  Server srv(cfg, test::bundle(), ValidateOptions{}, nullptr);
  CHECK_THROWS_AS(srv.start(), ConfigError);
}

}  // TEST_SUITE
