#!/usr/bin/env bash
# Ingest throughput benchmark: `istd ingest` of consistent 301->305->307->305 histories
# (tools/gen_corpus.py --kind history) into a fresh ledger, retour files included.
#
# Usage:
#   tools/bench_ingest.sh [--istd PATH] [--messages N] [--jobs J] [--repeat R] [--work DIR]
#                         [--schemas DIR] [--keep] [--drop-caches] [--fresh-fs]
#                         [--standard wmo|jw|mixed] [--requests] [--engine compiled|xerces]
#
#   --istd PATH     istd binary (default: build/src/istd, else istd on PATH)
#   --messages N    corpus size (default 20000)
#   --jobs J        validation threads, `istd ingest -j J` (default 2)
#   --repeat R      runs; each starts from an empty ledger and output dir; the best wall-clock
#                   time is reported because the machine is shared (default 3)
#   --work DIR      where the corpus, ledger and output tree go (default: a new dir under
#                   /tmp; ledger and outputs on the same file system as a real deployment)
#   --schemas DIR   XSD bundle (default: istd's bundled schemas)
#   --engine E      `istd ingest --engine E`: compiled (default) or xerces
#   --keep          keep the work dir
#   --standard S    histories of iWmo (wmo, default), iJw (jw) or both (mixed) messages
#   --requests      half the histories begin with a 315 (and a 319 "in onderzoek") that the 301
#                   honours (gen_corpus.py --requests)
#   --drop-caches   before each run: sync and drop the kernel's page cache (needs root), so
#                   every run starts from the same cache state. (Suspected on VMs that hand
#                   freed memory back to the host: a page the host no longer backs costs a host
#                   fault on first write. Not confirmed here; see --fresh-fs for what was.)
#   --fresh-fs      (root) put the work dir on a new ext4 file system with a journal, as a
#                   server's disk has: a sparse image beside the work dir, loop-mounted for this
#                   invocation and removed at its end. Use it where the work dir's file system
#                   is ext4 without a journal (the bench warns): there the kernel does not
#                   reuse an inode freed in the last 1-6 minutes and searches past each one
#                   (fs/ext4/ialloc.c, recently_deleted), so a run that follows the deletion of
#                   many files (this script's own clean-up of an earlier invocation: ~110,000
#                   files) spends seconds of system time finding free inodes (measured: sys
#                   1.5 -> 6.4 s for the same 20,000 messages).
#
# Each run: istd ingest --db WORK/ledger.R.db --out WORK/out.R --engine E -j J --format json CORPUS
# >/dev/null
# (1024 messages per transaction; the file thread makes each batch durable before its files
# count as written: fdatasync of the ledger's WAL, then one syncfs per written batch or queue of
# batches). Reported per run: wall time, user+sys CPU, messages/s and the CPU time the
# hypervisor gave to others ("steal": other guests on the host; it lowers the figure); then the
# best and the median run and the load average.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ISTD=""
MESSAGES=20000
JOBS=2
REPEAT=3
WORK=""
SCHEMAS=()
ENGINE=compiled
KEEP=0
DROP=0
FRESH=0
GEN=()
while [ $# -gt 0 ]; do
  case "$1" in
    --istd) ISTD=$2; shift 2 ;;
    --messages) MESSAGES=$2; shift 2 ;;
    --jobs) JOBS=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --schemas) SCHEMAS=(--schemas "$2"); shift 2 ;;
    --engine) ENGINE=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --drop-caches) DROP=1; shift ;;
    --fresh-fs) FRESH=1; shift ;;
    --standard) GEN+=(--standard "$2"); shift 2 ;;
    --requests) GEN+=(--requests); shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "bench_ingest: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ -z "$ISTD" ]; then
  for c in "$REPO/build/src/istd" "$REPO/build-ingest/src/istd"; do
    [ -x "$c" ] && { ISTD=$c; break; }
  done
  [ -z "$ISTD" ] && ISTD=$(command -v istd || true)
fi
[ -x "$ISTD" ] || { echo "bench_ingest: no istd binary (use --istd)" >&2; exit 2; }
if [ "$DROP" = 1 ] && [ ! -w /proc/sys/vm/drop_caches ]; then
  echo "bench_ingest: --drop-caches needs root (cannot write /proc/sys/vm/drop_caches)" >&2
  exit 2
fi
# Steal time in jiffies (8th value of the cpu line of /proc/stat).
steal() { awk '/^cpu /{print $9; exit}' /proc/stat; }
HZ=$(getconf CLK_TCK)
if [ -z "$WORK" ]; then WORK=$(mktemp -d /tmp/istd-bench-ingest.XXXXXX); fi
mkdir -p "$WORK"
if [ "$FRESH" = 1 ]; then
  [ "$(id -u)" = 0 ] || { echo "bench_ingest: --fresh-fs needs root (mount)" >&2; exit 2; }
  IMG="$WORK.img"
  # Sparse; room for the corpus and every run's ledger and files, one inode per 4 KB.
  trap 'rm -f "$IMG"; rmdir "$WORK"' EXIT  # until it is mounted (mkfs or mount may fail)
  truncate -s "$(( (MESSAGES / 1000 + 1) * 3 * REPEAT * 16 + 512 ))M" "$IMG"
  mkfs.ext4 -q -F -i 4096 "$IMG"
  mount -o loop "$IMG" "$WORK"
  if [ "$KEEP" = 1 ]; then
    trap 'umount "$WORK"; echo "bench_ingest: kept $IMG (mount -o loop $IMG $WORK)"' EXIT
  else
    trap 'umount "$WORK"; rm -f "$IMG"; rmdir "$WORK"' EXIT
  fi
else
  [ "$KEEP" = 1 ] || trap 'rm -rf "$WORK"' EXIT
  # ext4 without a journal (see --fresh-fs): say so, the figures then depend on what was
  # deleted on that file system in the last minutes.
  dev=$(basename "$(df --output=source "$WORK" | tail -1)")
  if [ "$(df --output=fstype "$WORK" | tail -1)" = ext4 ] &&
     [ "$(cat "/sys/fs/ext4/$dev/journal_task" 2>/dev/null)" = "<none>" ]; then
    echo "bench_ingest: warning: $WORK is on ext4 without a journal; runs within minutes of a" \
         "mass deletion there (an earlier invocation's clean-up) are slowed by the kernel's" \
         "inode allocator. Use --fresh-fs (root) for a figure that does not depend on that." >&2
  fi
fi

python3 "$REPO/tools/gen_corpus.py" --kind history --out "$WORK/corpus" --messages "$MESSAGES" \
  --force "${GEN[@]}" >/dev/null
cat "$WORK"/corpus/*.xml >/dev/null  # warm the page cache

best=""
rates=()
for r in $(seq 1 "$REPEAT"); do
  # A fresh output dir per run, deleted only at the end: deleting tens of thousands of files
  # right before a run makes ext4's inode allocator skip the recently freed inodes, which
  # would measure the benchmark's own clean-up.
  OUT="$WORK/out.$r"
  DB="$WORK/ledger.$r.db"
  sync
  if [ "$DROP" = 1 ]; then
    echo 3 > /proc/sys/vm/drop_caches
    cat "$WORK"/corpus/*.xml >/dev/null  # the inputs stay warm
  fi
  st0=$(steal)
  start=$(date +%s.%N)
  set +e
  /usr/bin/time -f "%U %S" -o "$WORK/time" \
    env ISTD_TODAY=2026-01-01 "$ISTD" ingest --db "$DB" --out "$OUT" \
    "${SCHEMAS[@]}" --engine "$ENGINE" -j "$JOBS" --format json "$WORK/corpus" >/dev/null
  rc=$?
  set -e
  end=$(date +%s.%N)
  st1=$(steal)
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then echo "bench_ingest: istd exited $rc" >&2; exit 3; fi
  files=$(find "$OUT" -type f | wc -l)
  read -r u s < "$WORK/time"
  secs=$(echo "$end - $start" | bc -l)
  rate=$(echo "$MESSAGES / $secs" | bc -l)
  printf 'run %d: %d messages, %d files written, %.2f s wall, %.2f s CPU (user %.2f + sys %.2f), steal %.2f s: %.0f msg/s\n' \
    "$r" "$MESSAGES" "$files" "$secs" "$(echo "$u + $s" | bc -l)" "$u" "$s" \
    "$(echo "($st1 - $st0) / $HZ" | bc -l)" "$rate"
  rates+=("$rate")
  if [ -z "$best" ] || [ "$(echo "$rate > $best" | bc -l)" = 1 ]; then best=$rate; fi
done
median=$(printf '%s\n' "${rates[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')
printf 'istd ingest: %.0f msg/s (best of %d; median %.0f; -j %d, %s%s), load average %s\n' \
  "$best" "$REPEAT" "$median" "$JOBS" "$(nproc) cores" \
  "$([ "$DROP" = 1 ] && echo ', page cache dropped before each run')$([ "$FRESH" = 1 ] && echo ', fresh ext4 with journal')" \
  "$(cut -d' ' -f1-3 /proc/loadavg)"
