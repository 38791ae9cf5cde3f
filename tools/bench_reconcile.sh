#!/usr/bin/env bash
# Scale benchmark of `istd reconcile` (issue 5): generate a synthetic large-municipality month
# (tools/gen_municipality.py) at 1x and 2x, reconcile it on 2 cores, report wall time and peak
# RSS (GNU time). Usage: tools/bench_reconcile.sh [build dir] [clients] [prestaties]
set -euo pipefail
BUILD=${1:-build}
CLIENTS=${2:-50000}
PRESTATIES=${3:-500000}
ISTD=$BUILD/src/istd
WORK=${BENCH_DIR:-/tmp/istd-bench-reconcile}
for scale in 1 2; do
  dir=$WORK/x$scale
  python3 tools/gen_municipality.py --istd "$ISTD" --out "$dir" \
    --clients $((CLIENTS * scale)) --providers $((200 * scale)) \
    --prestaties $((PRESTATIES * scale)) --month 2025-06
  rm -rf "$dir/out"
  /usr/bin/time -f "x$scale: %e s wall, %M KB peak RSS" taskset -c 0,1 \
    "$ISTD" reconcile --db "$dir/ledger.db" --month 2025-06 --billing "$dir/billing.csv" \
    --out "$dir/out" --today 2025-07-03 >"$dir/stdout.txt" || test $? -eq 1
  head -3 "$dir/stdout.txt"
done
