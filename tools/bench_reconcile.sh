#!/usr/bin/env bash
# Scale benchmark of `istd reconcile`: generate a synthetic large-municipality month
# (tools/gen_municipality.py) at 1x and 2x, reconcile it on 2 cores, report wall time and peak
# RSS (GNU time). Usage: tools/bench_reconcile.sh [build dir] [clients] [prestaties]
#
# Environment: BENCH_DIR (default /tmp/istd-bench-reconcile); BENCH_RUNS runs per scale (default
# 2; report the best time, RSS does not vary); BENCH_REUSE=1 keeps a month generated earlier with
# the same sizes (DIR/xN/pristine.db); BENCH_SCALES the scales to run (default "1 2"). Every run
# reconciles a fresh copy of the generated ledger (reconcile records its verdicts, so a second
# run on the same file would be a rerun).
# BENCH_POSTGRESQL=1 reconciles the same month on PostgreSQL as well: a throwaway server
# (tools/pg_cluster.sh, fsync on as in production, removed on exit); per run a fresh schema,
# the ledger created by `istd ingest`, the month copied in by tools/ledger_to_pg.py (not timed),
# then `istd reconcile` timed with the same arguments (the RSS is istd's, not the server's).
# Its outputs (--out tree, stdout) are compared with the SQLite run's.
# On a shared machine wrap it in `flock /tmp/istd-bench.lock`.
set -euo pipefail
BUILD=${1:-build}
CLIENTS=${2:-50000}
PRESTATIES=${3:-500000}
ISTD=$BUILD/src/istd
WORK=${BENCH_DIR:-/tmp/istd-bench-reconcile}
RUNS=${BENCH_RUNS:-2}
PG=${BENCH_POSTGRESQL:-0}
if [[ $PG == 1 ]]; then
  mkdir -p "$WORK"
  trap 'tools/pg_cluster.sh stop "$WORK/pg" >/dev/null 2>&1 || true' EXIT
  trap 'exit 1' INT TERM HUP
  URL=$(tools/pg_cluster.sh start "$WORK/pg")
  mkdir -p "$WORK/empty"
fi
for scale in ${BENCH_SCALES:-1 2}; do
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
  [[ $PG == 1 ]] || continue
  # The PostgreSQL runs write to the same --out path (stdout names it): the SQLite outputs move.
  rm -rf "$dir/out-sqlite"
  mv "$dir/out" "$dir/out-sqlite"
  mv "$dir/stdout.txt" "$dir/stdout-sqlite.txt"
  for run in $(seq "$RUNS"); do
    psql -X -q "$URL" -c "DROP SCHEMA IF EXISTS bench CASCADE" -c "CREATE SCHEMA bench" 2>/dev/null
    db="$URL&options=-csearch_path%3Dbench"
    "$ISTD" ingest --db "$db" "$WORK/empty" >/dev/null
    python3 tools/ledger_to_pg.py "$dir/pristine.db" "$db" >"$dir/ledger_to_pg.txt"
    rm -rf "$dir/out"
    /usr/bin/time -f "x$scale run $run PostgreSQL: %e s wall, %M KB peak RSS" taskset -c 0,1 \
      "$ISTD" reconcile --db "$db" --month 2025-06 --billing "$dir/billing.csv" \
      --out "$dir/out" --today 2025-07-03 >"$dir/stdout-pg.txt" || test $? -eq 1
    # Identical outputs, but for a line naming the ledger (its file name or URL).
    ledger='ledger\.db\|postgresql://'
    if diff -r -I "$ledger" "$dir/out-sqlite" "$dir/out" >"$dir/diff-pg.txt" &&
       diff -I "$ledger" "$dir/stdout-sqlite.txt" "$dir/stdout-pg.txt" >>"$dir/diff-pg.txt"; then
      echo "x$scale run $run PostgreSQL: outputs identical to the SQLite run (--out tree, stdout)"
    else
      echo "x$scale run $run PostgreSQL: OUTPUTS DIFFER from the SQLite run ($dir/diff-pg.txt)" >&2
      exit 1
    fi
  done
  tail -1 "$dir/ledger_to_pg.txt"
done
