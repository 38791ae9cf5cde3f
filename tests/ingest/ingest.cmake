# istd ingest crash test: kill the process at every durability point (and with real SIGKILLs),
# rerun, and require the ledger and output tree of an uninterrupted run (kill_test.py).
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND AND ISTD_TEST_HOOKS)
  add_test(NAME ingest_kill_test
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/kill_test.py
            --istd $<TARGET_FILE:istd>
            --schemas ${PROJECT_SOURCE_DIR}/schemas
            --source ${PROJECT_SOURCE_DIR})
  set_tests_properties(ingest_kill_test PROPERTIES LABELS "slow" TIMEOUT 600 RUN_SERIAL TRUE)
endif()
