# The ledger on PostgreSQL (label "postgresql"). The fixture `pg_cluster` starts a throwaway
# server (tools/pg_cluster.sh: initdb into a temporary directory, as user nobody under root,
# Unix socket only) before the tests that need it and removes it after them.
set(ISTD_PG_STATE ${CMAKE_BINARY_DIR}/pg-cluster)
add_test(NAME pg_cluster_start
  COMMAND ${PROJECT_SOURCE_DIR}/tools/pg_cluster.sh start ${ISTD_PG_STATE} --no-fsync)
set_tests_properties(pg_cluster_start PROPERTIES FIXTURES_SETUP pg_cluster
  LABELS "postgresql" TIMEOUT 120)
add_test(NAME pg_cluster_stop
  COMMAND ${PROJECT_SOURCE_DIR}/tools/pg_cluster.sh stop ${ISTD_PG_STATE})
set_tests_properties(pg_cluster_stop PROPERTIES FIXTURES_CLEANUP pg_cluster
  LABELS "postgresql" TIMEOUT 120)

# The same CLI runs on SQLite and on PostgreSQL give identical outputs; two ingests at once on
# one PostgreSQL ledger store every message once. Label oracle, like the XSD comparisons: its
# verdict does not depend on how istd was built, and the sanitizer pass runs the same ledger code
# in the PostgreSQL runs of the unit tests (pg/...), so it leaves this one out.
add_test(NAME pg_ledger_differential
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/pg_ledger_test.py
          $<TARGET_FILE:istd> ${PROJECT_SOURCE_DIR} ${ISTD_PG_STATE})
set_tests_properties(pg_ledger_differential PROPERTIES FIXTURES_REQUIRED pg_cluster
  ENVIRONMENT "ISTD_SCHEMAS=${PROJECT_SOURCE_DIR}/schemas"
  LABELS "postgresql;oracle" TIMEOUT 600 COST 40)

# The ledger's, ingest's and reconcile's unit tests again, on PostgreSQL: the same doctest cases, with every ledger the
# tests open made in a schema of its own on the throwaway server (tests/unit/test_ledger.hpp).
# Cases about SQLite itself (its file, WAL and pragmas) carry "(SQLite)" in their names and are
# left out here.
foreach(f unit/ledger/ledger_test.cpp unit/ledger/reader_test.cpp
          unit/ingest/startstop_test.cpp unit/ingest/jeugd_test.cpp
          unit/ingest/requests_test.cpp unit/ingest/ingest_test.cpp
          unit/ingest/domains_test.cpp unit/ingest/settings_test.cpp
          unit/reconcile/reconcile_test.cpp)
  get_filename_component(stem ${f} NAME_WE)
  get_filename_component(dir ${f} DIRECTORY)
  get_filename_component(area ${dir} NAME)
  add_test(NAME pg/${area}/${stem}
           COMMAND istd_core_tests --source-file=*${f} "--test-case-exclude=*(SQLite)*"
                   --no-intro=true)
  # Like every doctest binary, they run in the sanitizer pass of tools/test.sh (in the normal
  # pass only with ISTD_TEST_QUICK=1).
  set_tests_properties(pg/${area}/${stem} PROPERTIES FIXTURES_REQUIRED pg_cluster
    ENVIRONMENT "ISTD_SCHEMAS=${PROJECT_SOURCE_DIR}/schemas;ISTD_TEST_PG_STATE=${ISTD_PG_STATE}"
    LABELS "unit;postgresql" TIMEOUT 300 COST 20)
endforeach()

# Two istd serve instances on one PostgreSQL ledger under concurrent posting of the same
# messages: each stored once, each listed once.
add_test(NAME pg_serve_two_instances
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tests/server/serve_two_instances_test.py
          $<TARGET_FILE:istd> ${PROJECT_SOURCE_DIR} ${ISTD_PG_STATE})
set_tests_properties(pg_serve_two_instances PROPERTIES FIXTURES_REQUIRED pg_cluster
  ENVIRONMENT "ISTD_SCHEMAS=${PROJECT_SOURCE_DIR}/schemas"
  LABELS "postgresql;server" TIMEOUT 600 COST 40)
