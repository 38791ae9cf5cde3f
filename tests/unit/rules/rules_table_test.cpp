// The rule table: it covers every rule of DOMAIN.md §3 for the message types istd handles.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "core/rules/rules.hpp"
#include "rules_fixture.hpp"

using namespace istd;
using istd::model::MessageType;

namespace {

/// Destroys the shared rule-test Validator when the run ends, while Xerces is still initialised.
struct ReleaseValidator : public doctest::IReporter {
  explicit ReleaseValidator(const doctest::ContextOptions&) {}
  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats&) override {
    istd::test::rules::validator_slot().reset();
  }
  void test_case_start(const doctest::TestCaseData&) override {}
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_end(const doctest::CurrentTestCaseStats&) override {}
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData&) override {}
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}
};
DOCTEST_REGISTER_LISTENER("istd-rules-release-validator", 1, ReleaseValidator);

}  // namespace

TEST_SUITE("rules") {
  TEST_CASE("rules: the table lists the 58 rules of trcdcs.xsl 2.10.5") {
    // DOMAIN.md §3.1, the XSLT's check list.
    const std::set<std::string> xslt = {
        "CD005", "CD007", "CD009", "CD025", "CD034", "CD041", "CD043", "CD060", "CD066", "CD067",
        "CD068", "CD075", "CD076", "CD077", "CD078", "CD079", "CD080", "CD085", "CD086", "CD087",
        "CD095", "CD096", "CS002", "CS003", "CS050", "CS058", "CS089", "CS100", "CS139", "CS325",
        "CS335", "CS336", "CS337", "CS338", "CS339", "CS340", "CS343", "TR002", "TR006", "TR018",
        "TR061", "TR101", "TR134", "TR137", "TR302", "TR315", "TR316", "TR319", "TR335", "TR342",
        "TR352", "TR353", "TR358", "TR380", "TR383", "TR386", "TR410", "TR416"};
    const std::set<std::string> ijw_only = {"CS318", "TR377", "TR409"};
    std::set<std::string> codes;
    std::set<std::string> wmo, jw;
    for (const auto& r : rules::rule_table()) {
      CHECK(codes.insert(std::string(r.code)).second);  // no duplicates
      CHECK(r.retourcode == "0001");
      CHECK(!r.title.empty());
      CHECK(static_cast<bool>(r.check));  // every rule is checked on at least one message type
      CHECK(r.types != 0);
      if (r.standards & rules::kIwmo) wmo.insert(std::string(r.code));
      if (r.standards & rules::kIjw) jw.insert(std::string(r.code));
    }
    // iWmo 3.2: 58 rules; iJw 3.2: the same 58 and three of its own, 61.
    CHECK(rules::rule_table().size() == 61);
    CHECK(wmo == xslt);
    std::set<std::string> jw_expected = xslt;
    jw_expected.insert(ijw_only.begin(), ijw_only.end());
    CHECK(jw == jw_expected);
  }

  TEST_CASE("rules: rule message types follow DOMAIN.md §3.2") {
    auto types = [](std::string_view code) {
      const auto* r = rules::find_rule(code);
      REQUIRE(r);
      return r->message_types();
    };
    using V = std::vector<MessageType>;
    // A rule of both standards is checked on the message of the same number in each.
    auto wmo = [&](std::string_view code) {
      V out;
      for (auto t : types(code))
        if (model::standard_of(t) == model::Standard::iwmo) out.push_back(t);
      V jw;
      for (auto t : types(code))
        if (model::standard_of(t) == model::Standard::ijw) jw.push_back(t);
      const auto* r = rules::find_rule(code);
      if (r->standards & rules::kIjw) {
        REQUIRE(jw.size() == out.size());
        for (std::size_t i = 0; i < jw.size(); ++i) CHECK(model::number(jw[i]) == model::number(out[i]));
      } else {
        CHECK(jw.empty());
      }
      return out;
    };
    CHECK(wmo("CS002") == V{MessageType::WMO301, MessageType::WMO305, MessageType::WMO307,
                              MessageType::WMO315, MessageType::WMO317, MessageType::WMO323,
                              MessageType::WMO325});
    CHECK(wmo("CS058") == V{MessageType::WMO305, MessageType::WMO307});
    CHECK(wmo("TR018") == V{MessageType::WMO307});
    CHECK(wmo("TR342") == V{MessageType::WMO325});
    CHECK(wmo("CD060") == V{MessageType::WMO323, MessageType::WMO325});
    CHECK(wmo("TR302") == V{MessageType::WMO301});
    CHECK(wmo("TR386") == V{MessageType::WMO315});
    CHECK(wmo("TR410") == V{MessageType::WMO317});
    CHECK(wmo("CD041") == V{MessageType::WMO301, MessageType::WMO315, MessageType::WMO317});
    CHECK(wmo("CD085") == V{MessageType::WMO319});
    CHECK(wmo("CS343") == V{MessageType::WMO315});
    CHECK(wmo("TR134") == V{MessageType::WMO301, MessageType::WMO305, MessageType::WMO307,
                              MessageType::WMO315, MessageType::WMO323, MessageType::WMO325});
    CHECK(wmo("CS050") == V{MessageType::WMO301});
    CHECK(types("CS318") == V{MessageType::JW301});
    CHECK(types("TR377") == V{MessageType::JW319});
    CHECK(types("TR409") == V{MessageType::JW319});
    // Retour messages are not checked by the XSLT.
    for (const auto& r : rules::rule_table()) {
      CHECK_FALSE(r.applies_to(MessageType::WMO302));
      CHECK_FALSE(r.applies_to(MessageType::WMO306));
      CHECK_FALSE(r.applies_to(MessageType::WMO308));
      CHECK_FALSE(r.applies_to(MessageType::WMO316));
      CHECK_FALSE(r.applies_to(MessageType::WMO318));
      CHECK_FALSE(r.applies_to(MessageType::WMO320));
      for (int n : {302, 306, 308, 316, 318, 320})
        CHECK_FALSE(r.applies_to(model::type_of(model::Standard::ijw, n)));
    }
    CHECK(rules::find_rule("XX999") == nullptr);
  }
}
