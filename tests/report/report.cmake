# report.html and the ingest batch report, opened in headless Chromium (Debian `chromium`) from
# file:// with the network off, and checked by tidy (tests/report/check_report.py).
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME report_checker_selftest
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/selftest.py)
add_test(NAME report_sample_month_chromium
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/run_report_test.py
          $<TARGET_FILE:istd> ${PROJECT_SOURCE_DIR} ${CMAKE_BINARY_DIR})
# A generated month of 5,000 clients (20 providers, 50,000 claim lines): a report with many
# households and groups cut at --report-rows. (Its load time is a benchmark figure, measured with
# check_report.py --timing: BENCHMARKS.md.)
add_test(NAME report_large_month_chromium
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/run_report_test.py
          $<TARGET_FILE:istd> ${PROJECT_SOURCE_DIR} ${CMAKE_BINARY_DIR} --large 5000)
set_tests_properties(report_checker_selftest report_sample_month_chromium
                     report_large_month_chromium PROPERTIES
  ENVIRONMENT "ISTD_SCHEMAS=${PROJECT_SOURCE_DIR}/schemas" TIMEOUT 600 LABELS "report;browser"
  COST 60)
# The sanitizer pass leaves the browser tests out (label browser): the checker's self-test does
# not run istd, and the report istd writes there is the one cli_sample_month_golden makes under
# the sanitizers too; the large month only repeats what the normal build checked.
set_tests_properties(report_large_month_chromium PROPERTIES LABELS "report;browser;slow")
