#include "core/util/money.hpp"

#include <doctest/doctest.h>

#include <string>

using istd::util::format_euros;
using istd::util::parse_euros;

TEST_SUITE("money") {
  TEST_CASE("money: every way people write 21 euros means 2100 cents") {
    for (const char* s : {"21,00", "21.00", "21", "21,0", "21.0", "\xE2\x82\xAC 21,00",
                          "\xE2\x82\xAC"
                          "21,00",
                          "EUR 21,00", "21,00 \xE2\x82\xAC", " 21,00 "}) {
      CAPTURE(s);
      CHECK(parse_euros(s) == 2100);
    }
    CHECK(parse_euros("0,50") == 50);
    CHECK(parse_euros("-3,50") == -350);
    CHECK(parse_euros("\xE2\x82\xAC -3,50") == -350);
    CHECK(parse_euros("1.234,56") == 123456);
    CHECK(parse_euros("1,234.56") == 123456);
    CHECK(parse_euros("1.234.567,00") == 123456700);
    CHECK(parse_euros("1.234.567") == 123456700);
    CHECK(parse_euros("0") == 0);
  }

  TEST_CASE("money: malformed amounts and more than two decimals are refused with a reason") {
    for (const char* s :
         {"", "  ", "21,005", "21.0000", "1.234", "21,", ",50", "21,00,00", "21.00.00", "abc",
          "21 00", "1.23.456,00", "12.34,56", "21,00x", "1,234,56", "--3"}) {
      CAPTURE(s);
      std::string why;
      CHECK(parse_euros(s, &why) == std::nullopt);
      CHECK_FALSE(why.empty());
    }
    std::string why;
    CHECK(parse_euros("21,005", &why) == std::nullopt);
    CHECK(why.find("decimals") != std::string::npos);
  }

  TEST_CASE("money: cents are shown as euros with two decimals") {
    CHECK(format_euros(2100) == "21,00");
    CHECK(format_euros(5) == "0,05");
    CHECK(format_euros(-282500) == "-2825,00");
    CHECK(format_euros(-282500, istd::util::kEuroDutch) == "-2.825,00");
    CHECK(format_euros(123456789, istd::util::kEuroEnglish) == "1,234,567.89");
    CHECK(format_euros(100000, istd::util::kEuroDutch) == "1.000,00");
    CHECK(format_euros(INT64_MIN, istd::util::kEuroCsv).size() > 10);
    for (std::int64_t c : {0LL, 1LL, 99LL, 2100LL, -2100LL, 123456789LL})
      CHECK(parse_euros(format_euros(c)) == c);
  }
}
