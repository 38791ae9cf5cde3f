#include <doctest/doctest.h>

#include "core/model.hpp"

using namespace istd::model;

TEST_SUITE("model") {
  TEST_CASE("model: dates parse, compare and count") {
    auto d = parse_date("2025-03-10");
    REQUIRE(d);
    CHECK(d->year == 2025);
    CHECK(d->weekday() == 0);  // a Monday
    CHECK(parse_date("2025-02-29") == std::nullopt);
    CHECK(parse_date("2024-02-29").has_value());
    CHECK(parse_date("2025-13-01") == std::nullopt);
    CHECK(parse_date("2025-1-01") == std::nullopt);
    CHECK(Date{2025, 1, 31}.add_days(1) == Date{2025, 2, 1});
    CHECK(Date{2024, 12, 31}.add_days(1) == Date{2025, 1, 1});
    CHECK(Date{2025, 1, 31}.add_months(1) == Date{2025, 2, 28});
    CHECK(Date{2025, 3, 31}.add_months(-60) == Date{2020, 3, 31});
    CHECK(Date::from_days(Date{2000, 2, 29}.days()) == Date{2000, 2, 29});
    CHECK(Date{1970, 1, 1}.days() == 0);
    CHECK(Date{2025, 6, 1}.to_string() == "2025-06-01");
    CHECK(Date{2025, 6, 1}.weekday() == 6);  // a Sunday
  }

  TEST_CASE("model: integers compare by value, canonical form drops sign and zeros") {
    CHECK(parse_int("007") == 7);
    CHECK(parse_int("+5") == 5);
    CHECK(parse_int("-12") == -12);
    CHECK(parse_int("1.5") == std::nullopt);
    CHECK(parse_int("") == std::nullopt);
    CHECK(canonical_int("058000") == std::string("58000"));
    CHECK(canonical_int("000") == std::string("0"));
    CHECK(canonical_int("-0") == std::string("0"));
  }

  TEST_CASE("model: BSN 11-proof as CS002 computes it") {
    CHECK(bsn_eleven_proof("999900006"));
    CHECK(bsn_eleven_proof("999900018"));
    CHECK_FALSE(bsn_eleven_proof("999900007"));
    CHECK(bsn_eleven_proof("000000000"));  // the official check passes it (sum 0)
    CHECK_FALSE(bsn_eleven_proof("12345678"));
    CHECK(mask_bsn("999900006") == "******006");
  }

  TEST_CASE("model: message types from namespaces") {
    CHECK(type_from_namespace("http://www.istandaarden.nl/iwmo/3_2/wmo305/schema") ==
          MessageType::WMO305);
    CHECK(type_from_namespace("http://www.istandaarden.nl/ijw/3_2/jw305/schema") ==
          MessageType::JW305);
    CHECK(type_from_namespace("http://www.istandaarden.nl/ijw/3_2/wmo305/schema") ==
          MessageType::unknown);
    CHECK(type_from_namespace("http://www.istandaarden.nl/iwmo/3_2/jw305/schema") ==
          MessageType::unknown);
    CHECK(type_from_namespace("http://www.istandaarden.nl/ijw/3_3/jw305/schema") ==
          MessageType::unknown);
    CHECK(type_from_namespace("http://www.istandaarden.nl/ijw/3_2/jw3050/schema") ==
          MessageType::unknown);
    // The base and the suffix overlap or meet: nothing between them (a fuzz find; under ASan
    // the overlap read past the name).
    const std::string overlap = "http://www.istandaarden.nl/schema";
    CHECK(type_from_namespace(overlap) == MessageType::unknown);
    CHECK(type_from_namespace("http://www.istandaarden.nl//schema") == MessageType::unknown);
    // BerichtCodes of iJw have no fixed offset to those of iWmo.
    for (auto [t, code] : std::vector<std::pair<MessageType, std::string_view>>{
             {MessageType::JW301, "436"}, {MessageType::JW305, "438"}, {MessageType::JW315, "446"},
             {MessageType::JW317, "486"}, {MessageType::JW319, "488"}, {MessageType::JW320, "489"},
             {MessageType::JW323, "490"}, {MessageType::JW325, "491"}}) {
      CHECK(bericht_code(t) == code);
      CHECK(standard_of(t) == Standard::ijw);
      CHECK(type_from_namespace(namespace_of(t)) == t);
      CHECK(type_of(Standard::ijw, number(t)) == t);
    }
    CHECK(namespace_of(MessageType::JW319) == "http://www.istandaarden.nl/ijw/3_2/jw319/schema");
    CHECK(to_string(MessageType::JW307) == "JW307");
    CHECK(number(MessageType::WMO307) == 307);
    CHECK(type_of(Standard::iwmo, 305) == MessageType::WMO305);
    CHECK(type_of(Standard::ijw, 303) == MessageType::unknown);
    CHECK(standard_from_key("JW") == Standard::ijw);
    CHECK(standard_from_key("wmo") == Standard::iwmo);
    CHECK_FALSE(standard_from_key("wlz"));
    CHECK(type_from_namespace("http://www.istandaarden.nl/iwmo/3_1/wmo305/schema") ==
          MessageType::unknown);
    CHECK(bericht_code(MessageType::WMO325) == "485");
    CHECK(namespace_of(MessageType::WMO301) == "http://www.istandaarden.nl/iwmo/3_2/wmo301/schema");
    CHECK(is_supported(MessageType::WMO308));
    CHECK(is_supported(MessageType::WMO315));
    CHECK(is_supported(MessageType::WMO320));
    CHECK_FALSE(is_supported(MessageType::unknown));
  }

  TEST_CASE("model: paths index only same-named siblings") {
    Message m;
    m.nodes.push_back(Node{"Bericht", kNoNode, 1, false, 1, 1});
    m.nodes.push_back(Node{"Client", 0, 1, false, 2, 1});
    m.nodes.push_back(Node{"StartProducten", 1, 1, false, 3, 1});
    m.nodes.push_back(Node{"StartProduct", 2, 2, true, 4, 1});
    m.nodes.push_back(Node{"Begindatum", 3, 1, false, 5, 1});
    CHECK(m.path(4) == "/Bericht/Client/StartProducten/StartProduct[2]/Begindatum");
    CHECK(m.path(kNoNode) == "");
  }
}
