#!/usr/bin/env bash
# Fuzz campaign: builds the libFuzzer targets (clang, ASan + UBSan, build-fuzz/) and fuzzes each
# for SECONDS of wall time on JOBS processes, starting from its kept corpus
# (tests/fuzz/<target>/corpus). Afterwards the corpus is minimised back into the repository
# (libFuzzer -merge=1: only inputs that add coverage), crash inputs are copied to
# tests/fuzz/<target>/regressions/ (the normal test run replays them), and one line per target
# is appended to tests/fuzz/CAMPAIGN.md: date, CPU seconds, executions, coverage (edges and
# features), corpus size, crashes.
#
# usage: tools/fuzz.sh [--seconds S] [--jobs J] [TARGET...]     (default: 600 s, 1 job, all)
#        tools/fuzz.sh --smoke                                    (each target 20 s, as CI)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SECONDS_PER=600
JOBS=1
TARGETS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_PER=$2; shift 2 ;;
    --jobs) JOBS=$2; shift 2 ;;
    --smoke) SECONDS_PER=20; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) TARGETS+=("$1"); shift ;;
  esac
done
ALL=(validate readers ingest http engines)
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=("${ALL[@]}")

if ! command -v clang++ >/dev/null; then
  echo "fuzz.sh: clang++ is needed (tools/install-deps.sh installs it)" >&2
  exit 2
fi
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DISTD_FUZZ=ON \
  -DISTD_SANITIZE=address,undefined -DISTD_WERROR=ON >/dev/null
bins=()
for t in "${TARGETS[@]}"; do bins+=("fuzz_$t"); done
cmake --build build-fuzz -j"${ISTD_JOBS:-2}" --target "${bins[@]}"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ISTD_SCHEMAS="$ROOT/schemas"
LOG="$ROOT/tests/fuzz/CAMPAIGN.md"
status=0
for t in "${TARGETS[@]}"; do
  kept="$ROOT/tests/fuzz/$t/corpus"
  work=$(mktemp -d "/tmp/istd-fuzz-$t.XXXXXX")
  mkdir -p "$work/corpus" "$work/artifacts" "$kept"
  cp -r "$kept/." "$work/corpus/"
  echo "== fuzz_$t: ${SECONDS_PER}s x $JOBS job(s) from $(ls "$kept" | wc -l) kept inputs"
  start=$(date +%s)
  cpu0=$(awk '{print $14+$15+$16+$17}' /proc/$$/stat)
  set +e
  "build-fuzz/tests/fuzz_$t" -max_total_time="$SECONDS_PER" -timeout=20 -rss_limit_mb=3072 \
    -dict="$ROOT/tests/fuzz/$t.dict" -print_final_stats=1 -jobs="$JOBS" -workers="$JOBS" \
    -artifact_prefix="$work/artifacts/" "$work/corpus" >"$work/log" 2>&1
  rc=$?
  set -e
  wall=$(( $(date +%s) - start ))
  # Children's CPU time (user + system) of this shell, in clock ticks.
  cpu1=$(awk '{print $14+$15+$16+$17}' /proc/$$/stat)
  ticks=$(getconf CLK_TCK)
  cpu=$(( (cpu1 - cpu0) / ticks ))
  # With -jobs the figures are in fuzz-N.log files.
  logs=("$work/log")
  compgen -G "fuzz-*.log" >/dev/null && logs+=(fuzz-*.log)
  execs=$(grep -h "stat::number_of_executed_units" "${logs[@]}" 2>/dev/null \
          | awk '{s+=$2} END {print s+0}')
  cov=$(grep -h "^#[0-9]*.*cov:" "${logs[@]}" 2>/dev/null | tail -1 \
        | sed -E 's/.*cov: ([0-9]+) ft: ([0-9]+).*/\1 \2/')
  edges=${cov% *}; features=${cov#* }
  # Crashes, leaks, timeouts and out-of-memory inputs are defects; slow-unit-* inputs (slower
  # than 10 s, e.g. the first, cold run) are only reported.
  crashes=$(find "$work/artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' \
            -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  slow=$(find "$work/artifacts" -type f -name 'slow-unit-*' | wc -l)
  [ "$slow" -gt 0 ] && echo "fuzz_$t: $slow slow input(s) (over 10 s), not kept"
  if [ "$crashes" -gt 0 ]; then
    mkdir -p "$ROOT/tests/fuzz/$t/regressions"
    find "$work/artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
         -o -name 'oom-*' \) -exec cp {} "$ROOT/tests/fuzz/$t/regressions/" \;
    echo "fuzz_$t: $crashes crash input(s) kept in tests/fuzz/$t/regressions/ (see $work/log)"
    status=1
  fi
  # Minimise: the kept corpus becomes the smallest set with the same coverage.
  mkdir -p "$work/merged"
  "build-fuzz/tests/fuzz_$t" -merge=1 -timeout=20 -rss_limit_mb=3072 "$work/merged" \
    "$work/corpus" >"$work/merge.log" 2>&1 || true
  if [ "$(ls "$work/merged" | wc -l)" -gt 0 ]; then
    rm -rf "$kept"; mkdir -p "$kept"; cp "$work/merged/"* "$kept/"
  fi
  size=$(ls "$kept" | wc -l)
  [ -f "$LOG" ] || printf '# Fuzz campaign log\n\nOne line per run of tools/fuzz.sh (appended by the script).\n\n| Date | Target | Wall s | CPU s | Executions | Edges | Features | Corpus | Crashes | Exit |\n|---|---|---|---|---|---|---|---|---|---|\n' >"$LOG"
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$(date -u +%Y-%m-%dT%H:%MZ)" \
    "$t" "$wall" "$cpu" "${execs:-?}" "${edges:-?}" "${features:-?}" "$size" "$crashes" "$rc" >>"$LOG"
  rm -f fuzz-*.log
  echo "fuzz_$t: exit $rc, ${execs:-?} executions, cov ${edges:-?} ft ${features:-?}, corpus $size"
  rm -rf "$work"
done
exit $status
