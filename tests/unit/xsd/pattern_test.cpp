// The XML Schema regular expression matcher: every pattern of the iWmo/iJw schemas, the
// supported syntax, what is refused, hostile patterns and values, and differential checks
// against Xerces-C's own regular expressions (the oracle) on tables of values.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "core/xsd/pattern.hpp"
#include "core/xsd/unsupported.hpp"
#include "xsd/xerces_oracle.hpp"

using istd::xsd::Pattern;
using istd::xsd::Unsupported;
using istd::xsd::test::xerces_regex_matches;

namespace {

/// Values that probe the usual patterns' edges.
const std::vector<std::string> kProbes = {
    "", " ", "  ", "\t", "\n", "\r", "x", " x", "x ", " x ", "a b", "abc", "ABC", "aZ", "Z",
    ":", "+", "-", "3", "491", "0", "00", "01", "1", "10", "123", "1234", "12345678",
    "123456789", "1234567890", "12345678a", "0.0.0", "1.2.3", "01.2.3", "1.2", "1.2.3.4",
    "10.20.30", "1..3", "a.b.c", "2027-06-31", "12:30:00", "12:30:00Z", "12:30:00+01:00",
    "2027-01-01Z", "\xC3\xA9", "\xC3\x80", "\xE1\xBB\xB3", "\xE1\xBB\xB4", "Jos\xC3\xA9",
    "\xC3\xBF", "\xF0\x9F\x98\x80", "a\xF0\x9F\x98\x80", "\xE2\x80\x83", "\xC2\xA0", "a\tb",
    "a\nb", "\n\n", " \n x", "x\r", "\xD9\xA0", "\xEF\xBC\x91", "-5", "5-", "^", "$", "|",
    "\\", "[", "]", "{", "}", "(", ")", ".", "*", "?"};

void differential(const std::string& regex) {
  Pattern p(regex);
  for (const auto& v : kProbes) {
    CAPTURE(regex);
    CAPTURE(v);
    CHECK(p.matches(v) == xerces_regex_matches(regex, v));
  }
}

}  // namespace

TEST_CASE("pattern: the schemas' patterns agree with Xerces") {
  for (const char* r :
       {".*\\S.*", "\\s*\\S[\\s\\S]*", "[a-zA-Z0-9]+",
        "[a-zA-Z\xC3\x80-\xE1\xBB\xB3]+", "[^Z:]*", "[^Z+-]+", "[0-9]{9}", "[0-9]{8}",
        "[0-9]{4}", "[0-9]*", "(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)", "3", "2",
        "491", "[\\-+]?[0-9]+"})
    differential(r);
}

TEST_CASE("pattern: syntax agrees with Xerces") {
  for (const char* r :
       {"a|b|", "(a|)", "()", "a?", "a{0}", "a{2,}", "a{1,3}", "(ab){2}", "(a|bc)*d?",
        "[a-]", "[-a]", "[+-]", "[^a-z]*", "\\d+", "\\D*", "\\S+", "\\s", ".", "..", ".+",
        "\\n|\\r|\\t", "\\\\", "\\|", "\\.", "\\-", "\\^", "\\?", "\\*", "\\+", "\\{\\}",
        "\\(\\)", "\\[\\]", "[\\[\\]]", "[\\^]", "^", "$", "a$", "[\\s\\S]", "[^\\s]+",
        "[\\d-]+", "[a-c\\d]+", "x{0,2}y{1}", "(((a)))", "[\xC3\xA9]", "\xC3\xA9+",
        "\xF0\x9F\x98\x80", ".\xF0\x9F\x98\x80", "[^a]", "[^a]{2}"})
    differential(r);
}

TEST_CASE("pattern: whole-value matches") {
  Pattern p("[0-9]{9}");
  CHECK(p.matches("123456789"));
  CHECK_FALSE(p.matches("12345678"));
  CHECK_FALSE(p.matches("1234567890"));
  CHECK_FALSE(p.matches("x123456789"));
  Pattern dot(".*\\S.*");
  CHECK(dot.matches("a"));
  CHECK_FALSE(dot.matches(" \t\n"));
  CHECK_FALSE(dot.matches(""));
  CHECK_FALSE(dot.matches("a\nb"));  // '.' does not match a newline: no S on either line alone
  Pattern version("(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)");
  CHECK(version.matches("3.2.0"));
  CHECK(version.matches("10.0.123"));
  CHECK_FALSE(version.matches("03.2.0"));
  CHECK_FALSE(version.matches("3.2"));
  Pattern name("[a-zA-Z\xC3\x80-\xE1\xBB\xB3]+");
  CHECK(name.matches("Jos\xC3\xA9"));
  CHECK(name.matches("\xE1\xBB\xB3"));
  CHECK_FALSE(name.matches("\xE1\xBB\xB4"));
  CHECK_FALSE(name.matches("Jan-Piet"));
  CHECK(Pattern("").matches(""));
  CHECK_FALSE(Pattern("").matches("a"));
}

TEST_CASE("pattern: invalid UTF-8 never matches") {
  Pattern any(".*");
  Pattern neg("[^Z:]*");
  for (std::string v : {std::string("\xC3"), std::string("a\x80"), std::string("\xC0\xAF"),
                        std::string("\xED\xA0\x80"), std::string("\xF4\x90\x80\x80"),
                        std::string("\xFF"), std::string("\xE1\xBB"), std::string("\xF0\x9F\x98")}) {
    CAPTURE(v);
    CHECK_FALSE(any.matches(v));
    CHECK_FALSE(neg.matches(v));
  }
  CHECK(any.matches(std::string("a\0b", 3)));
}

TEST_CASE("pattern: unsupported constructs are refused, naming the pattern") {
  for (const char* r : {"[a-z-[aeiou]]", "\\p{Lu}", "\\P{L}", "\\w", "\\W", "\\i", "\\c",
                        "\\1", "(a", "a)", "[a", "*a", "a**", "a{2,1}", "[]", "a{", "\\",
                        "[z-a]", "[0-9]{1,100000}", "(\\d{1,100}){1,100}"}) {
    CAPTURE(r);
    try {
      Pattern p(r);
      FAIL("compiled: ", r);
    } catch (const Unsupported& e) {
      CHECK(std::string(e.what()).find(std::string("'") + r + "'") != std::string::npos);
    }
  }
}

TEST_CASE("pattern: hostile patterns and values stay linear") {
  const auto start = std::chrono::steady_clock::now();
  const std::string as(10000, 'a');
  CHECK_FALSE(Pattern("(a*)*b").matches(as));
  CHECK(Pattern("(a*)*").matches(as));
  CHECK_FALSE(Pattern("(a|aa)+b").matches(as));
  CHECK_FALSE(Pattern("(a|a?)+b").matches(as));
  CHECK(Pattern("(.*a){20}").matches(as));
  CHECK_FALSE(Pattern("(.*a){20}b").matches(as));
  CHECK_FALSE(Pattern(".*\\S.*").matches(std::string(100000, ' ')));
  CHECK(Pattern("\\s*\\S[\\s\\S]*").matches(std::string(100000, ' ') + "x"));
  CHECK(Pattern("[0-9]{1,1000}").matches(std::string(1000, '7')));
  CHECK_FALSE(Pattern("[0-9]{1,1000}").matches(std::string(1001, '7')));
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  CHECK(ms < 2000);
}
