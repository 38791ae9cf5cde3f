# Runs `ISTD ARGS` (a --help) and checks that the text stands on its own for a Wmo
# administrator: it ends with examples and points only at files of the project (docs/...) or at
# rule codes of the standard, never at documents users do not have.
execute_process(COMMAND ${ISTD} ${ARGS}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "exit code ${rc}\nstdout:\n${out}\nstderr:\n${err}")
endif()
foreach(bad "DOMAIN" "§" "shared/" "STYLE.md" "USERS.md" "PEERS.md")
  string(FIND "${out}" "${bad}" pos)
  if(NOT pos EQUAL -1)
    message(FATAL_ERROR "the help refers to '${bad}', a document users do not have:\n${out}")
  endif()
endforeach()
if(out MATCHES "[Ii]ssue #?[0-9]")
  message(FATAL_ERROR "the help mentions an issue number:\n${out}")
endif()
string(FIND "${out}" "Example" pos)
if(pos EQUAL -1)
  message(FATAL_ERROR "the help has no examples:\n${out}")
endif()
