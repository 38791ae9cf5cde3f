#!/usr/bin/env bash
# Validate and ingest throughput per standard: iWmo 3.2, iJw 3.2 and a mixed batch with request
# traffic, measured side by side in one invocation, optionally against an earlier istd binary
# (the reference: "did adding a standard slow the other one down?").
#
# Usage:
#   tools/bench_standards.sh [--istd PATH] [--baseline PATH] [--messages N] [--repeat R]
#                            [--jobs J] [--checks xsd|all] [--only validate|ingest]
#                            [--work DIR] [--keep]
#
#   --istd PATH       istd binary under test (default: build/src/istd)
#   --baseline PATH   an earlier istd binary; it is measured on the iWmo corpora only (a binary
#                     from before iJw knows no JW messages). Without it only --istd is measured.
#   --messages N      messages per corpus (default 20000)
#   --repeat R        rounds (default 5); every round runs every cell once, in a rotated order,
#                     so that a slow minute of the machine hits all cells alike
#   --jobs J          istd -j J (default 2)
#   --checks C        istd validate --checks C (default all: XSD and the message-level rules)
#   --only OP         measure only the validate or only the ingest cells
#   --work DIR        where corpora, ledgers and output trees go (default: a new dir under /tmp;
#                     everything is deleted at the end, never between runs: see bench_ingest.sh
#                     on ext4 and recently deleted inodes)
#   --keep            keep the work dir
#
# Corpora (tools/gen_corpus.py, fixed seed, N messages each):
#   validate  iWmo   --kind validate                      (the corpus of tools/bench_validate.sh)
#             iJw    --kind validate --standard jw        (the same mix of 301/305/307/323)
#             mixed  --kind validate --standard mixed --requests   (half iWmo, half iJw, with
#                    315/317/319 requests and answers)
#   ingest    iWmo   --kind history                       (the corpus of tools/bench_ingest.sh)
#             iJw    --kind history --standard jw
#             mixed  --kind history --standard mixed --requests    (half the histories begin
#                    with a 315, some answered "in onderzoek" by a 319, honoured by the 301)
#
# Each cell: `istd validate -j J --checks C --format json CORPUS`, or `istd ingest --db L --out O
# -j J --format json CORPUS` into a new ledger and output dir (ISTD_TODAY=2026-01-01). Exit 0/1
# (some message invalid or refused) is normal; anything else stops the bench.
# Reported per cell: best and median msg/s over the rounds, and ratios: this binary against the
# baseline on iWmo, and iJw and mixed against iWmo of this binary: best against best, median
# against median, and the median of the per-round ratios (each round's two runs are taken
# within seconds of each other, so a slow minute of the machine cancels out of that one).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ISTD=$REPO/build/src/istd
BASE=""
MESSAGES=20000
REPEAT=5
JOBS=2
CHECKS=all
WORK=""
KEEP=0
ONLY=""

die() { echo "bench_standards: $*" >&2; exit 2; }
need_arg() { [[ $# -ge 2 && -n "$2" ]] || die "option $1 needs a value"; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --istd) need_arg "$@"; ISTD=$2; shift 2 ;;
    --baseline) need_arg "$@"; BASE=$2; shift 2 ;;
    --messages) need_arg "$@"; MESSAGES=$2; shift 2 ;;
    --repeat) need_arg "$@"; REPEAT=$2; shift 2 ;;
    --jobs|-j) need_arg "$@"; JOBS=$2; shift 2 ;;
    --checks) need_arg "$@"; CHECKS=$2; shift 2 ;;
    --work) need_arg "$@"; WORK=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --only) need_arg "$@"; ONLY=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option: $1 (see --help)" ;;
  esac
done
[[ $MESSAGES =~ ^[1-9][0-9]*$ ]] || die "--messages must be a positive integer"
[[ $REPEAT =~ ^[1-9][0-9]*$ ]] || die "--repeat must be a positive integer"
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || die "--jobs must be a positive integer"
[[ $CHECKS == xsd || $CHECKS == all ]] || die "--checks must be xsd or all"
[[ -x $ISTD ]] || die "no istd binary at $ISTD (build first, or --istd)"
[[ -z $BASE || -x $BASE ]] || die "--baseline: not an executable: $BASE"
[[ -z $ONLY || $ONLY == validate || $ONLY == ingest ]] || die "--only must be validate or ingest"

if [[ -z $WORK ]]; then WORK=$(mktemp -d /tmp/istd-bench-standards.XXXXXX); fi
mkdir -p "$WORK"
if ((KEEP)); then echo "bench_standards: work dir $WORK (kept)"; else trap 'rm -rf "$WORK"' EXIT; fi

gen() {  # $1 = name, rest = gen_corpus arguments
  local name=$1; shift
  python3 "$REPO/tools/gen_corpus.py" --out "$WORK/corpus/$name" --messages "$MESSAGES" --force "$@" |
    sed 's/^/  /'
  find "$WORK/corpus/$name" -name '*.xml' -exec cat {} + > /dev/null  # warm the page cache
}
echo "bench_standards: corpora ($MESSAGES messages each)"
if [[ $ONLY != ingest ]]; then
  gen v-wmo --kind validate
  gen v-jw --kind validate --standard jw
  gen v-mixed --kind validate --standard mixed --requests
fi
if [[ $ONLY != validate ]]; then
  gen i-wmo --kind history
  gen i-jw --kind history --standard jw
  gen i-mixed --kind history --standard mixed --requests
fi

# cells: "<label>|<binary>|<validate|ingest>|<corpus>"
CELLS=()
for op in validate ingest; do
  [[ -n $ONLY && $op != "$ONLY" ]] && continue
  c=${op:0:1}
  [[ -n $BASE ]] && CELLS+=("$op iWmo, baseline|$BASE|$op|$c-wmo")
  CELLS+=("$op iWmo|$ISTD|$op|$c-wmo" "$op iJw|$ISTD|$op|$c-jw" "$op mixed+requests|$ISTD|$op|$c-mixed")
done
N=${#CELLS[@]}
declare -A RATES

CPU=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
echo "bench_standards: machine: nproc=$(nproc) cpu=\"${CPU:-unknown}\"; istd: $ISTD${BASE:+; baseline: $BASE}"
echo "bench_standards: -j $JOBS, validate --checks $CHECKS, $REPEAT rounds, load average $(cut -d' ' -f1-3 /proc/loadavg)"

run_cell() {  # $1 = cell index, $2 = round; prints one line, appends the rate
  local label bin op corpus t0 t1 rc secs rate
  IFS='|' read -r label bin op corpus <<< "${CELLS[$1]}"
  local args=()
  if [[ $op == validate ]]; then
    args=(validate -j "$JOBS" --checks "$CHECKS" --format json "$WORK/corpus/$corpus")
  else
    args=(ingest --db "$WORK/run/$2-$1.db" --out "$WORK/run/$2-$1.out" -j "$JOBS" --format json
          "$WORK/corpus/$corpus")
  fi
  mkdir -p "$WORK/run"
  sync
  t0=$(date +%s.%N)
  set +e
  ISTD_TODAY=2026-01-01 "$bin" "${args[@]}" > /dev/null 2> "$WORK/run/stderr"
  rc=$?
  set -e
  t1=$(date +%s.%N)
  if ((rc != 0 && rc != 1)); then
    echo "bench_standards: $label: istd exited $rc; its stderr ends with:" >&2
    tail -n 20 "$WORK/run/stderr" >&2
    exit 3
  fi
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  rate=$(awk -v n="$MESSAGES" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
  RATES[$1]+="$rate "
  printf '  round %d  %-28s %7.2f s  %6d msg/s  (exit %d)\n' "$2" "$label" "$secs" "$rate" "$rc"
}

for ((r = 1; r <= REPEAT; r++)); do
  for ((k = 0; k < N; k++)); do run_cell $(((k + r - 1) % N)) "$r"; done
done

best() { tr ' ' '\n' <<< "$1" | grep . | sort -g | tail -1; }
median() { tr ' ' '\n' <<< "$1" | grep . | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }
declare -A BEST MED
for ((k = 0; k < N; k++)); do
  IFS='|' read -r label _ <<< "${CELLS[$k]}"
  BEST[$label]=$(best "${RATES[$k]}")
  MED[$label]=$(median "${RATES[$k]}")
done
echo
# median of the per-round ratios of cell $1 to cell $2 (labels)
paired() {
  local a b
  read -r -a a <<< "${RATES[${INDEX[$1]}]}"
  read -r -a b <<< "${RATES[${INDEX[$2]}]}"
  for i in "${!a[@]}"; do awk -v x="${a[$i]}" -v y="${b[$i]}" 'BEGIN { printf "%.4f\n", x / y }'; done |
    sort -g | awk '{ v[NR] = $1 } END { printf "%.3f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
declare -A INDEX
for ((k = 0; k < N; k++)); do IFS='|' read -r label _ <<< "${CELLS[$k]}"; INDEX[$label]=$k; done
echo "| Cell | best msg/s | median msg/s | ratio (best) | ratio (median) | ratio (median of rounds) |"
echo "|---|---|---|---|---|---|"
for ((k = 0; k < N; k++)); do
  IFS='|' read -r label _ op _ <<< "${CELLS[$k]}"
  ref=""
  case $label in
    *baseline) ref="" ;;
    *iWmo) [[ -n $BASE ]] && ref="$op iWmo, baseline" ;;
    *) ref="$op iWmo" ;;
  esac
  if [[ -n $ref ]]; then
    printf '| %s | %s | %s | %s (vs %s) | %s | %s |\n' "$label" "${BEST[$label]}" "${MED[$label]}" \
      "$(ratio "${BEST[$label]}" "${BEST[$ref]}")" "$ref" "$(ratio "${MED[$label]}" "${MED[$ref]}")" \
      "$(paired "$label" "$ref")"
  else
    printf '| %s | %s | %s | | | |\n' "$label" "${BEST[$label]}" "${MED[$label]}"
  fi
done
echo "bench_standards: load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
