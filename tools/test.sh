#!/usr/bin/env bash
# Builds istd and runs every test, each where it checks most: the tests of the istd binary on
# a normal build (build-test/), then the unit tests, fuzz replays and again the tests of the
# binary under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/), then the threaded
# tests under ThreadSanitizer (build-tsan/). Installs what it needs first (Debian 12). Prints
# how long each stage took (docs/testing.md).
#
#   bash tools/test.sh            # everything
#   ISTD_TEST_QUICK=1 bash ...    # normal build only, every test in it (no sanitizer passes)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

bash tools/install-deps.sh

# The official reference schemas and examples (a test oracle, never copied into the project).
if [[ -z "${ISTD_REFERENCE_DIR:-}" && -d "$ROOT/../shared/reference" ]]; then
  export ISTD_REFERENCE_DIR="$ROOT/../shared/reference"
fi
if [[ -n "${ISTD_REFERENCE_DIR:-}" ]]; then
  ISTD_REFERENCE_DIR=$(cd "$ISTD_REFERENCE_DIR" && pwd)
  export ISTD_REFERENCE_DIR
  echo "test: reference bundle at $ISTD_REFERENCE_DIR"
else
  echo "test: ISTD_REFERENCE_DIR is not set and ../shared/reference does not exist;" \
       "the conformance tests will fail (they never skip)" >&2
fi

JOBS=${ISTD_JOBS:-2}

source tools/build_dir.sh  # generator DIR
T_START=$(date +%s)

# Per-stage wall times, printed at the end (and as each stage ends) so CI time is visible.
TIMES=()
stage_start() {
  STAGE_NAME=$1
  STAGE_T0=$(date +%s)
  echo "== $STAGE_NAME"
}
stage_end() {
  local t=$(( $(date +%s) - STAGE_T0 ))
  TIMES+=("$(printf '%-34s %5d s' "$STAGE_NAME" "$t")")
  echo "== $STAGE_NAME: ${t} s"
}

# The normal pass: GCC, -O1, no debug information (it nearly doubles GCC's time; the sanitizer
# passes keep -g for their stack traces), in build-test/. -O1 takes a quarter less compile time
# than -O2 and checks the same behaviour; build/, the demo's and the benchmarks' build, keeps -O2
# (tools/demo.sh) and is left alone here.
# With the sanitizer passes, the normal pass builds only the istd binary and runs the tests of
# that binary: the doctest binaries (label unit) and the fuzz replays (label fuzz-replay) are
# built and run in the ASan + UBSan pass, where they check more; running them here as well
# cost about a fifth of a CI run. ISTD_TEST_QUICK=1 (no sanitizer passes) builds and runs all.
if [[ -z "${ISTD_TEST_QUICK:-}" ]]; then
  NORMAL_TARGETS=(--target istd)
  NORMAL_SKIP='unit|fuzz-replay'
else
  NORMAL_TARGETS=()
  NORMAL_SKIP=''
fi
stage_start "build (GCC -O1, warnings as errors)"
cmake $(generator build-test) -S . -B build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -DNDEBUG" -DISTD_WERROR=ON -DISTD_TEST_HOOKS=ON >/dev/null
cmake --build build-test -j"$JOBS" "${NORMAL_TARGETS[@]}"
stage_end
# The next pass's build runs beside a pass's tests, at the lowest CPU priority: the tests leave
# a core idle much of the time (browsers, servers and databases waiting), and a build at nice 19
# takes what they leave. Its output goes to a log, shown when it fails.
BG_PID=""
BG_LOG=""
# A failing stage ends the script: what runs beside it ends with it.
trap 'if [[ -n "$BG_PID" ]]; then pkill -TERM -P "$BG_PID" 2>/dev/null || true; fi' EXIT
background() {  # LOG COMMAND... ; runs the command beside the next steps, sets BG_PID
  BG_LOG=$1
  shift
  ( "$@" > "$BG_LOG" 2>&1 ) &
  BG_PID=$!
}
wait_background() {  # WHAT ; waits for it, shows its log and ends the script if it failed
  if ! wait "$BG_PID"; then
    BG_PID=""
    cat "$BG_LOG"
    echo "test: $1 failed" >&2
    exit 1
  fi
  BG_PID=""
}
background_build() {  # DIR TARGET...
  local dir=$1
  shift
  background "$dir/background-build.log" nice -n 19 cmake --build "$dir" -j"$JOBS" "$@"
}
wait_background_build() {  # DIR
  wait_background "the build in $1"
}
configure_sanitizer_builds() {
  # A build directory configured with another compiler keeps it: start those afresh.
  for d in build-asan build-tsan; do
    if [[ -f $d/CMakeCache.txt ]] && ! grep -q '^CMAKE_CXX_COMPILER:.*clang' $d/CMakeCache.txt; then
      rm -rf "$d"
    fi
  done
  # The sanitizer passes build with clang: a second compiler's warnings, and about twice as fast
  # as GCC on the Asio/Beast code under instrumentation. Line tables are all a sanitizer's stack
  # trace needs (file and line of every frame); full debug information costs a fifth more
  # compile time. Both link with lld (LLVM's linker: a fraction of GNU ld's time on instrumented
  # binaries). TSan at -O0: half the compile time of -O1, for tests that take half as long
  # again (about 20 s more, run while the service tests run beside them).
  CC=clang CXX=clang++ cmake $(generator build-asan) -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug \
        -DCMAKE_CXX_FLAGS_DEBUG=-gline-tables-only -DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=lld \
        -DISTD_SANITIZE=address,undefined -DISTD_WERROR=ON -DISTD_TEST_HOOKS=ON >/dev/null
  CC=clang CXX=clang++ cmake $(generator build-tsan) -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O0 -gline-tables-only" \
        -DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=lld \
        -DISTD_SANITIZE=thread -DISTD_WERROR=ON -DISTD_TEST_HOOKS=ON >/dev/null
}

if [[ -z "${ISTD_TEST_QUICK:-}" ]]; then
  configure_sanitizer_builds
  background_build build-asan
fi
stage_start "tests (ASan + UBSan build beside them)"
ctest --test-dir build-test -j"$JOBS" --output-on-failure --timeout 600 ${NORMAL_SKIP:+-LE "$NORMAL_SKIP"}
stage_end

if [[ -z "${ISTD_TEST_QUICK:-}" ]]; then
  stage_start "build (ASan + UBSan, clang), the rest"
  wait_background_build build-asan
  stage_end
  # Only what the TSan tests run is built: the threaded cases of the core tests
  # (istd_threaded_tests, tests/CMakeLists.txt) and the service tests.
  background_build build-tsan --target istd_threaded_tests istd_server_tests
  # Every test but the browser tests, the slow end-to-end runs and the benchmark corpora (the
  # normal pass runs those on the optimised binary) and the comparisons with the official XSDs
  # and of the two ledgers (label oracle: tests/conformance/conformance.cmake,
  # tests/ledger/postgresql.cmake).
  stage_start "tests under ASan + UBSan (TSan build beside them)"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan -j"$JOBS" --output-on-failure --timeout 900 \
          -LE 'slow|bench|browser|oracle'
  stage_end

  # ThreadSanitizer on the threaded parts only: the ingest pipeline (validation workers, ledger
  # thread, file thread and its helper), the parallel map and background sink under it, the
  # progress line counted from workers, and the service (workers, shutdown, draining).
  stage_start "build (TSan, clang), the rest"
  wait_background_build build-tsan
  stage_end
  stage_start "tests under TSan"
  export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$ROOT/tools/tsan.supp"
  export ISTD_SCHEMAS="$ROOT/schemas"
  # The service tests run beside the others (each binary keeps about one core busy).
  background build-tsan/server-tests.log build-tsan/tests/istd_server_tests
  build-tsan/tests/istd_threaded_tests --test-suite=ingest
  # The same threaded areas outside that suite (ingest tests registered after it included).
  # "the WAL stays bounded" is left out: it compares WAL sizes that depend on how fast the
  # ledger thread runs against the file thread's checkpoints, which TSan's slowdown changes.
  build-tsan/tests/istd_threaded_tests --test-suite-exclude=ingest \
    --test-case='ingest:*,parallel:*,background sink:*,progress:*' \
    --test-case-exclude='ingest: the WAL stays bounded*'
  wait_background "the service tests under TSan"
  tail -n 4 build-tsan/server-tests.log
  unset TSAN_OPTIONS ISTD_SCHEMAS
  stage_end
fi
echo "== stage times"
printf '%s\n' "${TIMES[@]}"
printf '%-34s %5d s\n' "in all" $(( $(date +%s) - T_START ))
echo "== all tests passed"
