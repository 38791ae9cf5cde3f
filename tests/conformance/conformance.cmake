# Differential conformance test (tests/conformance/): our schemas/iwmo-3.2 against the official
# iWmo 3.2 XSDs (the retours 302/306/308/316/318/320/325 derived from iJw 3.2 at test time), on our
# fixtures, the official examples and the generated variants. Reads the reference files from
# $ISTD_REFERENCE_DIR when the test runs; it FAILS (does not skip) when that variable is unset or
# wrong, and prints why.
# Label "oracle": the two comparisons with the official XSDs. Their verdicts do not depend on
# how istd was built, and the istd code they run (validation with --checks xsd on every variant)
# conformance_engines runs under the sanitizers too: the sanitizer pass leaves them out.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME conformance_iwmo
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/run_conformance.py
          --istd $<TARGET_FILE:istd>
          --ours ${PROJECT_SOURCE_DIR}/schemas/iwmo-3.2
          --fixtures ${PROJECT_SOURCE_DIR}/fixtures/messages)
set_tests_properties(conformance_iwmo PROPERTIES LABELS "conformance;oracle" TIMEOUT 300)

# iJw 3.2: our schemas/ijw-3.2 against the official iJw 3.2 XSDs ($ISTD_REFERENCE_DIR/ijw-3.2) on
# fixtures/messages-ijw, the official iJw examples and generated variants. Uses xmllint (installed by
# tools/install-deps.sh), not the istd binary. FAILS (does not skip) when ISTD_REFERENCE_DIR is unset.
add_test(NAME conformance_ijw
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/run_conformance_ijw.py
          --ours ${PROJECT_SOURCE_DIR}/schemas/ijw-3.2
          --fixtures ${PROJECT_SOURCE_DIR}/fixtures/messages-ijw)
set_tests_properties(conformance_ijw PROPERTIES LABELS "conformance;oracle" TIMEOUT 300)

# The compiled schema engine against Xerces' validator (tests/conformance/run_engines.py): the same
# valid/invalid verdict on every fixture, conformance variant of both standards, official example
# and hostile file. FAILS (does not skip) when ISTD_REFERENCE_DIR is unset.
# Under the sanitizers a quarter of the generated variants (run_engines.py --variants-every):
# the normal build compares the engines on all of them.
set(_engines_sample)
if(ISTD_SANITIZE)
  set(_engines_sample --variants-every 4)
endif()
add_test(NAME conformance_engines
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/run_engines.py
          --istd $<TARGET_FILE:istd> --source ${PROJECT_SOURCE_DIR} ${_engines_sample})
set_tests_properties(conformance_engines PROPERTIES LABELS "conformance" TIMEOUT 600 COST 45)

