#!/usr/bin/env bash
# Builds istd and runs every test: the normal build, then the same tests under
# AddressSanitizer + UndefinedBehaviorSanitizer. Installs what it needs first (Debian 12).
#
#   bash tools/test.sh            # everything
#   ISTD_TEST_QUICK=1 bash ...    # normal build only (no sanitizer pass)
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

echo "== build (RelWithDebInfo, warnings as errors)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DISTD_WERROR=ON -DISTD_TEST_HOOKS=ON >/dev/null
cmake --build build -j"$JOBS"
echo "== tests"
ctest --test-dir build -j"$JOBS" --output-on-failure --timeout 600

if [[ -z "${ISTD_TEST_QUICK:-}" ]]; then
  echo "== build (ASan + UBSan)"
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DISTD_SANITIZE=address,undefined \
        -DISTD_WERROR=ON -DISTD_TEST_HOOKS=ON >/dev/null
  cmake --build build-asan -j"$JOBS"
  echo "== tests under ASan + UBSan"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan -j"$JOBS" --output-on-failure --timeout 900 -LE 'slow|bench'
fi
echo "== all tests passed"
