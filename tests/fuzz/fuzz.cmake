# Fuzz targets (tests/fuzz/fuzz_<name>.cpp). Each is built twice:
# * always, as fuzz_<name>_replay: the target with a small main (replay_main.cpp) that runs every
#   kept input once. The tests fuzz_replay_<name>_<0..3> replay tests/fuzz/<name>/corpus (the seeds and
#   what campaigns found, minimised) and tests/fuzz/<name>/regressions (inputs that once broke
#   istd), in the normal run and under the sanitizers;
# * with -DISTD_FUZZ=ON (clang; tools/fuzz.sh), as fuzz_<name>: a libFuzzer binary. The test
#   fuzz_smoke_<name> (label fuzz) fuzzes it briefly from a copy of its corpus.
set(ISTD_FUZZ_TARGETS validate readers ingest http engines)
set(_fuzz_dir ${CMAKE_CURRENT_LIST_DIR})
foreach(name ${ISTD_FUZZ_TARGETS})
  foreach(kind replay fuzz)
    if(kind STREQUAL "fuzz" AND NOT ISTD_FUZZ)
      continue()
    endif()
    if(kind STREQUAL "replay")
      set(tgt fuzz_${name}_replay)
      add_executable(${tgt} ${_fuzz_dir}/fuzz_${name}.cpp ${_fuzz_dir}/replay_main.cpp)
    else()
      set(tgt fuzz_${name})
      add_executable(${tgt} ${_fuzz_dir}/fuzz_${name}.cpp)
      target_link_options(${tgt} PRIVATE -fsanitize=fuzzer)
    endif()
    target_link_libraries(${tgt} PRIVATE istd::core istd::server XercesC::XercesC)
    target_compile_definitions(${tgt} PRIVATE
      ISTD_FUZZ_SCHEMAS="${PROJECT_SOURCE_DIR}/schemas")
    istd_target_warnings(${tgt})
  endforeach()
  set(_inputs ${_fuzz_dir}/${name}/corpus)
  if(EXISTS ${_fuzz_dir}/${name}/regressions)
    list(APPEND _inputs ${_fuzz_dir}/${name}/regressions)
  endif()
  # Four shards, so that the slow replays (ingest and http under ASan) run beside other tests.
  foreach(k RANGE 3)
    add_test(NAME fuzz_replay_${name}_${k} COMMAND fuzz_${name}_replay --shard=${k}/4 ${_inputs})
    set_tests_properties(fuzz_replay_${name}_${k} PROPERTIES LABELS fuzz-replay TIMEOUT 600
                                                             COST 40)
  endforeach()
  if(ISTD_FUZZ)
    # A short run from a scratch copy of the corpus (the kept corpus changes only through
    # tools/fuzz.sh, minimised).
    set(_scratch ${CMAKE_CURRENT_BINARY_DIR}/fuzz-smoke/${name})
    add_test(NAME fuzz_smoke_${name}
      COMMAND sh -c "rm -rf '${_scratch}' && mkdir -p '${_scratch}' && cp -r '${_fuzz_dir}/${name}/corpus/.' '${_scratch}/' && exec '$<TARGET_FILE:fuzz_${name}>' -max_total_time=${ISTD_FUZZ_SMOKE_SECONDS} -timeout=20 -rss_limit_mb=3072 -dict='${_fuzz_dir}/${name}.dict' -print_final_stats=1 '${_scratch}'")
    set_tests_properties(fuzz_smoke_${name} PROPERTIES LABELS fuzz TIMEOUT 600)
  endif()
endforeach()
