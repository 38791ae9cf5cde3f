# Hostile input in one batch: clear findings, no crash, the batch goes on, RSS < 256 MB.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME hostile_input_batch
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/run_hostile.py
          --istd $<TARGET_FILE:istd>
          --schemas ${PROJECT_SOURCE_DIR}/schemas
          --generator ${CMAKE_CURRENT_LIST_DIR}/make_hostile.py)
set_tests_properties(hostile_input_batch PROPERTIES LABELS "slow" TIMEOUT 900)
