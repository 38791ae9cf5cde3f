#!/usr/bin/env bash
# The sanitizer stage of the tests in one build: clang with AddressSanitizer +
# UndefinedBehaviorSanitizer and the libFuzzer targets (build-asan/, Debug, warnings as errors,
# test hooks on), then every test but the slow ones and the benchmarks, the fuzz smoke tests
# (fuzz_smoke_*, ISTD_FUZZ_SMOKE_SECONDS each) included. One build serves the sanitizer run of
# the suite and the fuzz smoke, so CI needs no third build for the fuzzers.
#
#   bash tools/test_sanitizers.sh     # after tools/install-deps.sh (clang, libclang-rt-14-dev)
#
# ISTD_JOBS (default 2) sets the build and test parallelism; extra arguments go to ctest
# (e.g. -R fuzz_). Exits non-zero when the build or a test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

if ! command -v clang++ >/dev/null; then
  echo "test_sanitizers: clang++ is needed (tools/install-deps.sh installs it)" >&2
  exit 2
fi
# The official reference schemas and examples (a test oracle, never copied into the project).
if [[ -z "${ISTD_REFERENCE_DIR:-}" && -d "$ROOT/../shared/reference" ]]; then
  export ISTD_REFERENCE_DIR="$ROOT/../shared/reference"
fi
if [[ -z "${ISTD_REFERENCE_DIR:-}" ]]; then
  echo "test_sanitizers: ISTD_REFERENCE_DIR is not set and ../shared/reference does not exist;" \
       "the conformance tests will fail (they never skip)" >&2
fi

JOBS=${ISTD_JOBS:-2}

echo "== build (clang, ASan + UBSan, libFuzzer targets)"
# A build directory configured with another compiler cannot be switched: start afresh.
if [[ -f build-asan/CMakeCache.txt ]] &&
   ! grep -q '^CMAKE_CXX_COMPILER:.*clang++$' build-asan/CMakeCache.txt; then
  rm -rf build-asan
fi
CC=clang CXX=clang++ cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug \
  -DISTD_SANITIZE=address,undefined -DISTD_FUZZ=ON -DISTD_WERROR=ON -DISTD_TEST_HOOKS=ON >/dev/null
cmake --build build-asan -j"$JOBS"
echo "== tests under ASan + UBSan, fuzz smoke included"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan -j"$JOBS" --output-on-failure --timeout 900 -LE 'slow|bench' "$@"
echo "== sanitizer tests passed"
