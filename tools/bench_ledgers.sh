#!/usr/bin/env bash
# Ingest on the PostgreSQL ledger against ingest on the SQLite ledger, same corpus, same run.
#
# Usage: tools/bench_ledgers.sh [--istd PATH] [--messages N] [--repeat R] [--jobs J]
#                               [--out-base DIR]
#
# A corpus of consistent 301->305->307->305 histories (tools/gen_corpus.py --kind history) is
# ingested R times into a fresh SQLite file and R times into a fresh PostgreSQL schema on a
# throwaway server (tools/pg_cluster.sh, fsync on: the server's commits are durable, as in
# production), alternating, each with --out (retour files written). Reported: the best
# messages/s of each backend and their ratio (the target: PostgreSQL >= 0.5 x SQLite), and that
# both ledgers gave identical outputs. Each run starts after a sync (and on PostgreSQL a
# CHECKPOINT), so that none writes what the one before it left. Figures go to BENCHMARKS.md.
#
# The output trees (two files a message a run) go under --out-base, by default /dev/shm when it
# is a tmpfs with room for two of them: on ext4, creating tens of thousands of files shortly
# after as many were removed (the previous run's, or a previous invocation's clean-up) is slow
# for a while, and that slowed some runs of one backend and not the other. On a tmpfs the two
# trees of a round are removed once compared; elsewhere all of them stay until the end. The
# ledgers themselves stay on disk.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
ISTD=$REPO/build/src/istd
MESSAGES=20000
REPEAT=3
JOBS=2
OUT_BASE=
while (($#)); do
  case $1 in
    --istd) ISTD=$2; shift 2 ;;
    --messages) MESSAGES=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    --jobs) JOBS=$2; shift 2 ;;
    --out-base) OUT_BASE=$2; shift 2 ;;
    *) sed -n '2,20p' "$0" >&2; exit 2 ;;
  esac
done
WORK=$(mktemp -d /tmp/istd-bench-ledgers.XXXXXX)
OUTS=
trap '"$REPO/tools/pg_cluster.sh" stop "$WORK/pg" >/dev/null 2>&1 || true; rm -rf "$WORK" ${OUTS:+"$OUTS"}' EXIT
if [[ -z $OUT_BASE ]]; then
  OUT_BASE=$WORK
  # Two trees at a time, about 4 KiB a file, two files a message; and 512 MiB to spare.
  need_kb=$((MESSAGES * 16 + 512 * 1024))
  if [[ $(stat -f -c %T /dev/shm 2>/dev/null) == tmpfs ]] &&
     (($(df -k --output=avail /dev/shm | tail -1) > need_kb)); then
    OUT_BASE=/dev/shm
  fi
fi
OUTS=$(mktemp -d "$OUT_BASE/istd-bench-ledgers-out.XXXXXX")
on_tmpfs=0
[[ $(stat -f -c %T "$OUTS") == tmpfs ]] && on_tmpfs=1
python3 "$REPO/tools/gen_corpus.py" --kind history --out "$WORK/corpus" --messages "$MESSAGES" \
  >/dev/null
URL=$("$REPO/tools/pg_cluster.sh" start "$WORK/pg")
echo "corpus: $MESSAGES messages; istd ingest -j $JOBS --batch 1024; PostgreSQL 15 (fsync on);" \
     "output trees under $OUT_BASE"

best_sqlite=0
best_pg=0
# Each run writes a new output tree; when they are removed: see above.
for r in $(seq 1 "$REPEAT"); do
  for backend in sqlite postgresql; do
    rm -f "$WORK/ledger.db"*
    out=$OUTS/out-$r-$backend
    if [[ $backend == sqlite ]]; then
      db=$WORK/ledger.db
    else
      psql -qAt "$URL" -c "DROP SCHEMA IF EXISTS b CASCADE; CREATE SCHEMA b" 2>/dev/null
      db="$URL&options=-csearch_path%3Db"
    fi
    # Every run starts with nothing of the runs before it left to write: the kernel's dirty
    # pages (the previous run's ledger and output tree) and, on PostgreSQL, the server's (the
    # dropped schema's pages, which its checkpointer would otherwise write during this run).
    [[ $backend == postgresql ]] && psql -qAt "$URL" -c "CHECKPOINT" >/dev/null
    sync
    start=$(date +%s.%N)
    "$ISTD" ingest --db "$db" --out "$out" -j "$JOBS" --format json "$WORK/corpus" \
      > "$WORK/$backend.json" || [[ $? == 1 ]]
    end=$(date +%s.%N)
    rate=$(python3 -c "print(round($MESSAGES / ($end - $start)))")
    echo "run $r $backend: $(python3 -c "print(round($end - $start, 2))") s, $rate messages/s"
    if [[ $backend == sqlite ]]; then
      ((rate > best_sqlite)) && best_sqlite=$rate
    else
      ((rate > best_pg)) && best_pg=$rate
      if diff -r -q "$OUTS/out-$r-sqlite" "$out" >/dev/null &&
         cmp -s <(sed "s|$OUTS/out-$r-sqlite|OUT|g; s/\"ledger\":\"[^\"]*\"//" "$WORK/sqlite.json") \
                <(sed "s|$out|OUT|g; s/\"ledger\":\"[^\"]*\"//" "$WORK/postgresql.json"); then
        echo "       outputs identical to the SQLite run"
        if ((on_tmpfs)); then rm -rf "$OUTS/out-$r-sqlite" "$out"; fi
      else
        echo "       OUTPUTS DIFFER from the SQLite run" >&2
        exit 1
      fi
    fi
  done
done
echo "best: SQLite $best_sqlite messages/s, PostgreSQL $best_pg messages/s," \
     "ratio $(python3 -c "print(round($best_pg / $best_sqlite, 2))")"
