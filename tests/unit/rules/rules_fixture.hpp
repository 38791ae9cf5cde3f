// Helpers of the level-2 rule tests: the message templates in tests/data/rules/, small string
// substitutions per case, and end-to-end validation (XSD, then the rules) through a Validator.
#pragma once

#include <doctest/doctest.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "../test_util.hpp"
#include "core/validator.hpp"
#include "core/xml/schema_bundle.hpp"

namespace istd::test::rules {

/// Our schema bundle (schemas/, both standards); $ISTD_TEST_SCHEMAS overrides it for local runs.
inline std::filesystem::path rules_schema_dir() {
  const char* e = std::getenv("ISTD_TEST_SCHEMAS");
  return e && *e ? std::filesystem::path(e) : schema_dir();
}

inline std::shared_ptr<const SchemaBundle> bundle() {
  static auto b = std::make_shared<const SchemaBundle>(SchemaBundle::load(rules_schema_dir()));
  return b;
}

/// One validator for the whole run (XSD and rules); the tests are single-threaded. It must be
/// destroyed before main's Xerces guard terminates Xerces: the listener in rules_table_test.cpp
/// resets this slot at the end of the test run.
inline std::unique_ptr<Validator>& validator_slot() {
  static std::unique_ptr<Validator> v;
  return v;
}
inline Validator& validator() {
  auto& v = validator_slot();
  if (!v) v = std::make_unique<Validator>(bundle(), ValidateOptions{});
  return *v;
}

/// A template from tests/data/rules/ ("wmo301.xml", ...).
inline std::string tpl(const std::string& name) { return read_file(test_data("rules/" + name)); }

/// Replaces the first occurrence of `from` at or after the first occurrence of `anchor` (the
/// start when `anchor` is empty); the test fails when either is missing.
inline std::string sub(std::string s, std::string_view from, std::string_view to,
                       std::string_view anchor = {}) {
  std::size_t start = 0;
  if (!anchor.empty()) {
    start = s.find(anchor);
    INFO("anchor: " << anchor);
    REQUIRE(start != std::string::npos);
  }
  const std::size_t at = s.find(from, start);
  INFO("not found: " << from);
  REQUIRE(at != std::string::npos);
  s.replace(at, from.size(), to);
  return s;
}

/// Removes everything from the first `begin` (at or after `anchor`) through the next `end`.
inline std::string cut(std::string s, std::string_view begin, std::string_view end,
                       std::string_view anchor = {}) {
  const std::size_t start = anchor.empty() ? 0 : s.find(anchor);
  REQUIRE(start != std::string::npos);
  const std::size_t b = s.find(begin, start);
  INFO("not found: " << begin);
  REQUIRE(b != std::string::npos);
  const std::size_t e = s.find(end, b);
  REQUIRE(e != std::string::npos);
  s.erase(b, e + end.size() - b);
  return s;
}

/// Validates a case; it must pass the XSD (level-2 rules only run on XSD-valid messages).
inline ValidationResult run(const std::string& xml) {
  ValidationResult r = validator().validate(xml, "case.xml");
  std::string xsd;
  for (const auto& f : r.findings)
    if (f.rule == "XSD" || f.rule == "XML") xsd += f.text + " @ " + f.path() + "\n";
  INFO("XSD findings:\n" << xsd);
  REQUIRE(r.xsd_valid);
  return r;
}

inline std::vector<Finding> findings_of(const ValidationResult& r, std::string_view rule) {
  std::vector<Finding> out;
  for (const auto& f : r.findings)
    if (f.rule == rule) out.push_back(f);
  return out;
}

inline std::string all_rules(const ValidationResult& r) {
  std::string s;
  for (const auto& f : r.findings) s += f.rule + " " + f.path() + ": " + f.text + "\n";
  return s;
}

/// The single error finding of `rule`; checks the retourcode.
inline Finding one(const ValidationResult& r, std::string_view rule) {
  auto fs = findings_of(r, rule);
  INFO("findings:\n" << all_rules(r));
  REQUIRE(fs.size() == 1);
  CHECK(fs[0].retourcode == "0001");
  CHECK(fs[0].severity == Severity::error);
  CHECK(!fs[0].text.empty());
  CHECK(fs[0].line > 0);
  return fs[0];
}

/// True when the result has no finding of `rule`.
inline bool none(const ValidationResult& r, std::string_view rule) {
  const bool ok = findings_of(r, rule).empty();
  if (!ok) MESSAGE("unexpected findings:\n" << all_rules(r));
  return ok;
}

/// The XPath of the i-th `base` element (1-based), optionally of its child `leaf`.
inline std::string at(const char* base, int i, const std::string& leaf = "") {
  return std::string(base) + "[" + std::to_string(i) + "]" + (leaf.empty() ? "" : "/" + leaf);
}
inline std::string at(const char* base, const std::string& leaf) {
  return std::string(base) + "/" + leaf;
}

}  // namespace istd::test::rules
