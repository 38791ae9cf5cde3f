# istd ingest crash test: kill the process at every durability point (and with real SIGKILLs),
# rerun, and require the ledger and output tree of an uninterrupted run (kill_test.py). Two
# entries: the deterministic faults (ISTD_FAULT_AFTER) do not depend on timing and run beside
# other tests, started early (COST); the SIGKILLs are timed against a clean run and run alone.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND AND ISTD_TEST_HOOKS)
  foreach(part faults sigkill)
    add_test(NAME ingest_kill_test_${part}
      COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/kill_test.py
              --istd $<TARGET_FILE:istd>
              --schemas ${PROJECT_SOURCE_DIR}/schemas
              --source ${PROJECT_SOURCE_DIR}
              --part ${part})
  endforeach()
  set_tests_properties(ingest_kill_test_faults PROPERTIES LABELS "slow" TIMEOUT 600 COST 100)
  set_tests_properties(ingest_kill_test_sigkill PROPERTIES LABELS "slow" TIMEOUT 600
                                                           RUN_SERIAL TRUE)
endif()
