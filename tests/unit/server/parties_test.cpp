#include <doctest/doctest.h>

#include "core/errors.hpp"
#include "server/config.hpp"
#include "server/parties.hpp"

using namespace istd;
using namespace istd::server;

TEST_SUITE("server") {

TEST_CASE("parties: the CN is the party when it is a party code and there is no map") {
  CHECK(identify({"65656055", "ab"}, nullptr).party == "65656055");
  CHECK(identify({"0363", "ab"}, nullptr).party == "0363");
  const Identity bad = identify({"www.example.org", "ab"}, nullptr);
  CHECK(bad.party.empty());
  CHECK(bad.error ==
        "certificate CN 'www.example.org' is not a party code (4-digit gemeentecode or 8-digit "
        "AGB code)");
}

TEST_CASE("parties: a parties file maps fingerprints and CNs - a fingerprint wins") {
  const std::string fp(64, 'a');
  const PartyMap m = PartyMap::parse(
      "# VECOZO system certificates\n"
      "sha256:" + std::string(32, 'A') + ":" + std::string(32, 'a') + " 65656055\n"
      "cn:Zorg BV systeemcertificaat 12345678   # comment\n"
      "\n"
      "cn:Gemeente Amsterdam 0363\n",
      "parties.txt");
  CHECK(m.size() == 3);
  CHECK(identify({"Zorg BV systeemcertificaat", "00"}, &m).party == "12345678");
  CHECK(identify({"Gemeente Amsterdam", fp}, &m).party == "65656055");
  CHECK(identify({"Gemeente Amsterdam", "00"}, &m).party == "0363");
  // With a map, an unlisted certificate has no party, even when its CN looks like one.
  CHECK(identify({"65656055", "00"}, &m).error ==
        "certificate (CN '65656055') is not in the parties file");
}

TEST_CASE("parties: bad lines are configuration errors with file:line") {
  CHECK_THROWS_WITH_AS(PartyMap::parse("cn:x 123\n", "p.txt"),
                       "p.txt:1: party '123' is not a gemeentecode (4 digits) or AGB code (8 "
                       "digits)",
                       ConfigError);
  CHECK_THROWS_WITH_AS(PartyMap::parse("\nsha256:abc 0363\n", "p.txt"),
                       "p.txt:2: a sha256 fingerprint has 64 hex digits", ConfigError);
  CHECK_THROWS_WITH_AS(PartyMap::parse("subject:x 0363\n", "p.txt"),
                       "p.txt:1: unknown selector 'subject:x' (expected sha256:... or cn:...)",
                       ConfigError);
  CHECK_THROWS_WITH_AS(PartyMap::parse("cn:a 0363\ncn:a 0599\n", "p.txt"),
                       "p.txt:2: cn listed twice", ConfigError);
  CHECK_THROWS_WITH_AS(PartyMap::parse("0363\n", "p.txt"),
                       "p.txt:1: expected '<selector> <party>'", ConfigError);
}

TEST_CASE("config: --listen takes HOST:PORT, IPv6 in brackets") {
  ServerConfig c;
  parse_listen("127.0.0.1:8443", c);
  CHECK(c.host == "127.0.0.1");
  CHECK(c.port == 8443);
  parse_listen("[::1]:0", c);
  CHECK(c.host == "::1");
  CHECK(c.port == 0);
  CHECK_THROWS_WITH_AS(parse_listen("127.0.0.1", c), "--listen: expected HOST:PORT, got '127.0.0.1'",
                       ConfigError);
  CHECK_THROWS_WITH_AS(parse_listen("127.0.0.1:70000", c), "--listen: bad port '70000'",
                       ConfigError);
}

}  // TEST_SUITE
