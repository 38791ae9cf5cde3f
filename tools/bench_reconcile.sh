#!/usr/bin/env bash
# Scale benchmark of `istd reconcile`: generate a synthetic large-municipality month
# (tools/gen_municipality.py) at 1x and 2x, reconcile it on 2 cores, report wall time and peak
# RSS (GNU time). Usage: tools/bench_reconcile.sh [build dir] [clients] [prestaties]
#
# Environment: BENCH_DIR (default /tmp/istd-bench-reconcile); BENCH_RUNS runs per scale (default
# 2; report the best time, RSS does not vary); BENCH_REUSE=1 keeps a month generated earlier with
# the same sizes (DIR/xN/pristine.db). Every run reconciles a fresh copy of the generated ledger
# (reconcile records its verdicts, so a second run on the same file would be a rerun).
# On a shared machine wrap it in `flock /tmp/istd-bench.lock`.
set -euo pipefail
BUILD=${1:-build}
CLIENTS=${2:-50000}
PRESTATIES=${3:-500000}
ISTD=$BUILD/src/istd
WORK=${BENCH_DIR:-/tmp/istd-bench-reconcile}
RUNS=${BENCH_RUNS:-2}
for scale in 1 2; do
  dir=$WORK/x$scale
  stamp="$((CLIENTS * scale)) $((200 * scale)) $((PRESTATIES * scale))"
  if [[ "${BENCH_REUSE:-0}" != 1 || ! -f "$dir/pristine.db" || "$(cat "$dir/sizes" 2>/dev/null)" != "$stamp" ]]; then
    python3 tools/gen_municipality.py --istd "$ISTD" --out "$dir" \
      --clients $((CLIENTS * scale)) --providers $((200 * scale)) \
      --prestaties $((PRESTATIES * scale)) --month 2025-06
    cp "$dir/ledger.db" "$dir/pristine.db"
    echo "$stamp" >"$dir/sizes"
  fi
  for run in $(seq "$RUNS"); do
    cp "$dir/pristine.db" "$dir/ledger.db"
    rm -rf "$dir/out"
    /usr/bin/time -f "x$scale run $run: %e s wall, %M KB peak RSS" taskset -c 0,1 \
      "$ISTD" reconcile --db "$dir/ledger.db" --month 2025-06 --billing "$dir/billing.csv" \
      --out "$dir/out" --today 2025-07-03 >"$dir/stdout.txt" || test $? -eq 1
  done
  head -3 "$dir/stdout.txt"
done
