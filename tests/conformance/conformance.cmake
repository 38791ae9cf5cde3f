# Differential conformance test (tests/conformance/): our schemas/iwmo-3.2 against the official
# iWmo 3.2 XSDs (the retours 302/306/308/316/318/320/325 derived from iJw 3.2 at test time), on our
# fixtures, the official examples and the generated variants. Reads the reference files from
# $ISTD_REFERENCE_DIR when the test runs; it FAILS (does not skip) when that variable is unset or
# wrong, and prints why.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME conformance_iwmo
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/run_conformance.py
          --istd $<TARGET_FILE:istd>
          --ours ${PROJECT_SOURCE_DIR}/schemas/iwmo-3.2
          --fixtures ${PROJECT_SOURCE_DIR}/fixtures/messages)
set_tests_properties(conformance_iwmo PROPERTIES LABELS "conformance" TIMEOUT 300)
