# CLI tests: every command answers --help with exit 0 and empty stderr; golden tests compare
# stdout exactly and require empty stderr (tests/cli/run_cli_test.cmake).
set(ISTD_COMMANDS validate ingest timeline serve reconcile worklist cak explain)
foreach(cmd ${ISTD_COMMANDS})
  add_test(NAME cli_${cmd}_help
    COMMAND ${CMAKE_COMMAND} -DISTD=$<TARGET_FILE:istd> "-DARGS=${cmd};--help"
            -DEXPECT_RC=0 -DEXPECT_CONTAINS=Usage
            -P ${CMAKE_CURRENT_LIST_DIR}/run_cli_test.cmake)
endforeach()
add_test(NAME cli_no_command_is_usage_error
  COMMAND ${CMAKE_COMMAND} -DISTD=$<TARGET_FILE:istd> "-DARGS=" -DEXPECT_RC=2 -DALLOW_STDERR=1
          -P ${CMAKE_CURRENT_LIST_DIR}/run_cli_test.cmake)
add_test(NAME cli_validate_bad_flag_is_usage_error
  COMMAND ${CMAKE_COMMAND} -DISTD=$<TARGET_FILE:istd> "-DARGS=validate;--format;yaml;x.xml"
          -DEXPECT_RC=2 -DALLOW_STDERR=1 -DEXPECT_STDERR_CONTAINS=--format
          -P ${CMAKE_CURRENT_LIST_DIR}/run_cli_test.cmake)
add_test(NAME cli_ingest_bad_helper_priority_is_usage_error
  COMMAND ${CMAKE_COMMAND} -DISTD=$<TARGET_FILE:istd>
          "-DARGS=ingest;--helper-priority;high;--db;x.db;x.xml"
          -DEXPECT_RC=2 -DALLOW_STDERR=1 -DEXPECT_STDERR_CONTAINS=--helper-priority
          -P ${CMAKE_CURRENT_LIST_DIR}/run_cli_test.cmake)
add_test(NAME cli_validate_bad_schema_dir_is_config_error
  COMMAND ${CMAKE_COMMAND} -DISTD=$<TARGET_FILE:istd>
          "-DARGS=validate;--schemas;${CMAKE_CURRENT_LIST_DIR};${PROJECT_SOURCE_DIR}/fixtures"
          -DEXPECT_RC=2 -DALLOW_STDERR=1 -DEXPECT_STDERR_CONTAINS=schema
          -P ${CMAKE_CURRENT_LIST_DIR}/run_cli_test.cmake)
add_test(NAME cli_validate_golden_sample
  COMMAND ${CMAKE_COMMAND} -DISTD=$<TARGET_FILE:istd>
          "-DARGS=validate;--format;json;fixtures/messages"
          -DWORKDIR=${PROJECT_SOURCE_DIR}
          -DEXPECT_RC=0 -DEXPECT_FILE=${CMAKE_CURRENT_LIST_DIR}/validate/messages.jsonl
          -P ${CMAKE_CURRENT_LIST_DIR}/run_cli_test.cmake)
set_tests_properties(cli_validate_golden_sample PROPERTIES
  ENVIRONMENT "ISTD_SCHEMAS=${PROJECT_SOURCE_DIR}/schemas")
# Output order stays the input order with several workers.
add_test(NAME cli_validate_golden_sample_j2
  COMMAND ${CMAKE_COMMAND} -DISTD=$<TARGET_FILE:istd>
          "-DARGS=validate;-j;2;--format;json;fixtures/messages"
          -DWORKDIR=${PROJECT_SOURCE_DIR}
          -DEXPECT_RC=0 -DEXPECT_FILE=${CMAKE_CURRENT_LIST_DIR}/validate/messages.jsonl
          -P ${CMAKE_CURRENT_LIST_DIR}/run_cli_test.cmake)
set_tests_properties(cli_validate_golden_sample_j2 PROPERTIES
  ENVIRONMENT "ISTD_SCHEMAS=${PROJECT_SOURCE_DIR}/schemas")
# Directories are read recursively in path order, component by component ("a/" before "a-b/"
# before "a.xml" before "ab/"), whatever order the file system lists them in.
add_test(NAME cli_validate_directory_order
  COMMAND ${CMAKE_COMMAND} -DISTD=$<TARGET_FILE:istd>
          "-DARGS=validate;-j;2;--format;json;input_order"
          -DWORKDIR=${CMAKE_CURRENT_LIST_DIR}/../data
          -DEXPECT_RC=1 -DEXPECT_FILE=${CMAKE_CURRENT_LIST_DIR}/validate/input_order.jsonl
          -P ${CMAKE_CURRENT_LIST_DIR}/run_cli_test.cmake)
set_tests_properties(cli_validate_directory_order PROPERTIES
  ENVIRONMENT "ISTD_SCHEMAS=${PROJECT_SOURCE_DIR}/schemas")
# The README's main job: ingest + reconcile of fixtures/sample, every output file against
# tests/cli/sample_month/ and the hand-checked facts of fixtures/sample/README.md.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME cli_sample_month_golden
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/sample_month_test.py
          $<TARGET_FILE:istd> ${PROJECT_SOURCE_DIR})
set_tests_properties(cli_sample_month_golden PROPERTIES
  ENVIRONMENT "ISTD_SCHEMAS=${PROJECT_SOURCE_DIR}/schemas")
# The istd binary runs on jemalloc when it was linked with it (src/CMakeLists.txt): jemalloc
# prints its statistics at exit when asked to.
if(ISTD_JEMALLOC AND ISTD_JEMALLOC_LIBRARY AND NOT ISTD_SANITIZE)
  add_test(NAME cli_istd_runs_on_jemalloc
    COMMAND ${CMAKE_COMMAND} -E env MALLOC_CONF=stats_print:true
            ${CMAKE_COMMAND} -DISTD=$<TARGET_FILE:istd> "-DARGS=--version" -DEXPECT_RC=0
            -DALLOW_STDERR=1 "-DEXPECT_STDERR_CONTAINS=jemalloc statistics"
            -P ${CMAKE_CURRENT_LIST_DIR}/run_cli_test.cmake)
  # ... and asks it for transparent huge pages (src/cli/malloc_conf.cpp).
  add_test(NAME cli_istd_jemalloc_uses_huge_pages
    COMMAND ${CMAKE_COMMAND} -E env MALLOC_CONF=stats_print:true
            ${CMAKE_COMMAND} -DISTD=$<TARGET_FILE:istd> "-DARGS=--version" -DEXPECT_RC=0
            -DALLOW_STDERR=1 "-DEXPECT_STDERR_CONTAINS=opt.thp: \"always\""
            -P ${CMAKE_CURRENT_LIST_DIR}/run_cli_test.cmake)
endif()
# istd reconcile with a malformed amount (or CSV) in its billing, tariffs or policy file: exit 2,
# FILE:LINE on stderr, nothing written to --out; the corrected files are accepted.
add_test(NAME cli_reconcile_bad_amounts
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/reconcile_bad_amounts_test.py
          $<TARGET_FILE:istd>)
set_tests_properties(cli_reconcile_bad_amounts PROPERTIES
  ENVIRONMENT "ISTD_SCHEMAS=${PROJECT_SOURCE_DIR}/schemas")
# Every --help is self-contained: examples at the end, no references to documents outside the
# project (tests/cli/help_text_test.cmake).
add_test(NAME cli_help_self_contained
  COMMAND ${CMAKE_COMMAND} -DISTD=$<TARGET_FILE:istd> "-DARGS=--help"
          -P ${CMAKE_CURRENT_LIST_DIR}/help_text_test.cmake)
foreach(cmd ${ISTD_COMMANDS})
  add_test(NAME cli_${cmd}_help_self_contained
    COMMAND ${CMAKE_COMMAND} -DISTD=$<TARGET_FILE:istd> "-DARGS=${cmd};--help"
            -P ${CMAKE_CURRENT_LIST_DIR}/help_text_test.cmake)
endforeach()
# The progress line of validate, ingest and reconcile (src/cli/progress.hpp): drawn on stderr
# when forced, never with --quiet, never for a short run on a terminal, and stdout unchanged.
add_test(NAME cli_progress
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/progress_test.py
          $<TARGET_FILE:istd> ${PROJECT_SOURCE_DIR})
set_tests_properties(cli_progress PROPERTIES
  ENVIRONMENT "ISTD_SCHEMAS=${PROJECT_SOURCE_DIR}/schemas" COST 15)
# istd cak: a crash between writing an export and recording it neither loses nor repeats a
# line; --export N writes an export again byte for byte.
if(ISTD_TEST_HOOKS)
  add_test(NAME cli_cak_kill
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/cak_kill_test.py
            $<TARGET_FILE:istd> ${PROJECT_SOURCE_DIR})
  set_tests_properties(cli_cak_kill PROPERTIES
    ENVIRONMENT "ISTD_SCHEMAS=${PROJECT_SOURCE_DIR}/schemas")
endif()
# istd ingest loses nothing: two different files over the 25 MB limit are both quarantined byte
# for byte (with a .reason naming limit and size), a copy is a duplicate, a rerun changes
# nothing; standard input over the limit is kept whole; inputs that cannot be read (a dangling
# link, a FIFO, a file deleted mid-run) are named, the run goes on and exits 1.
add_test(NAME cli_ingest_oversize_and_unreadable
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/oversize_inputs_test.py
          $<TARGET_FILE:istd> ${PROJECT_SOURCE_DIR})
set_tests_properties(cli_ingest_oversize_and_unreadable PROPERTIES
  ENVIRONMENT "ISTD_SCHEMAS=${PROJECT_SOURCE_DIR}/schemas" TIMEOUT 600 COST 15)
# The benchmark corpora (tools/gen_corpus.py) of iWmo, iJw and a mixed batch with requests are
# clean traffic: every message valid and accepted; an --invalid-rate corpus is invalid exactly
# where the generator says. Label bench: the sanitizer pass leaves it out (it checks the
# generator's corpora, and under the sanitizers took 26 s of the pass for code the ingest,
# validator and fuzz-replay tests run there too).
add_test(NAME cli_bench_corpora
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/bench_corpus_test.py
          $<TARGET_FILE:istd> ${PROJECT_SOURCE_DIR})
set_tests_properties(cli_bench_corpora PROPERTIES
  ENVIRONMENT "ISTD_SCHEMAS=${PROJECT_SOURCE_DIR}/schemas" COST 30 LABELS bench)
# A full disk under reconcile, cak and worklist (root: a small tmpfs): exit 3 with an error that
# says so, no output cut short, and a rerun once there is space gives the reference outputs.
add_test(NAME cli_full_disk
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/full_disk_test.py
          $<TARGET_FILE:istd> ${PROJECT_SOURCE_DIR})
set_tests_properties(cli_full_disk PROPERTIES SKIP_RETURN_CODE 77
  ENVIRONMENT "ISTD_SCHEMAS=${PROJECT_SOURCE_DIR}/schemas")

# --engine: a bundle the compiled schema engine cannot check (an attribute declaration) is
# checked by Xerces' validator, with one note on standard error for that standard only.
add_test(NAME cli_engine_fallback
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/engine_fallback_test.py
          $<TARGET_FILE:istd> ${PROJECT_SOURCE_DIR})
set_tests_properties(cli_engine_fallback PROPERTIES LABELS cli TIMEOUT 120)
