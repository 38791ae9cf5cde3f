#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>

#include "core/xml/platform.hpp"

namespace {

// ctest runs each test source file (--source-file=*<path>), and people run single cases by name
// (-tc=<name>). A filter that matches nothing (a renamed file, a mistyped name) would run nothing
// and pass: a run that was asked for tests and ran none fails instead.
int g_started = 0;
bool g_query = false;

struct CountCases : public doctest::IReporter {
  explicit CountCases(const doctest::ContextOptions&) {}
  void report_query(const doctest::QueryData&) override { g_query = true; }
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats&) override {}
  void test_case_start(const doctest::TestCaseData&) override { ++g_started; }
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_end(const doctest::CurrentTestCaseStats&) override {}
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData&) override {}
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}
};
DOCTEST_REGISTER_LISTENER("istd-count-cases", 2, CountCases);

}  // namespace

int main(int argc, char** argv) {
  istd::xml::Platform xerces;  // one Xerces guard for the whole test run
  doctest::Context ctx;
  ctx.applyCommandLine(argc, argv);
  const int rc = ctx.run();
  if (rc == 0 && !g_query && !ctx.shouldExit() && g_started == 0) {
    std::fprintf(stderr, "no test case matched the filters: nothing was run\n");
    return 1;
  }
  return rc;
}
