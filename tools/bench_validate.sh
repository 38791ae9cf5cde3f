#!/usr/bin/env bash
# Validation throughput benchmark: istd vs. xmllint on one generated iWmo 3.2 / iJw 3.2 corpus.
#
# Usage:
#   tools/bench_validate.sh [--istd PATH] [--messages N] [--checks xsd|all] [--jobs J]
#                           [--corpus DIR] [--seed S] [--repeat R] [--invalid-rate X]
#                           [--schemas DIR] [--keep] [--no-istd] [--standard wmo|jw|mixed]
#                           [--requests] [--engine compiled|xerces]
#
#   --istd PATH        istd binary (default: build/src/istd, else `istd` on PATH; if none is
#                      found the istd half is skipped with a notice)
#   --no-istd          measure only xmllint
#   --messages N       corpus size when generating (default 20000)
#   --checks xsd|all   passed to `istd validate --checks` (default xsd)
#   --engine E         passed to `istd validate --engine`: compiled (default) or xerces
#   --jobs J           istd -j J, and J parallel xmllint processes (default 2)
#   --corpus DIR       reuse an existing corpus instead of generating one (any layout; the
#                      message type is taken from "WMO3nn"/"JW3nn" in the path, else from the
#                      namespace)
#   --standard S       generate an iWmo (wmo, default), iJw (jw) or mixed corpus
#   --requests         generate request traffic too (315/317/319)
#   --seed S           generator seed (default: the generator's default)
#   --repeat R         measurements per tool; the best (shortest) is reported (default 3)
#   --invalid-rate X   generate ~X (fraction) deliberately XSD-invalid messages; xmllint
#                      failures are then expected and do not fail the bench
#   --schemas DIR      XSDs for xmllint, all types in one dir (default: schemas/iwmo-3.2 and
#                      schemas/ijw-3.2 of this repo, falling back to $ISTD_REFERENCE_DIR/<std>/xsd
#                      when the bundle is missing)
#   --keep             keep the generated corpus (its path is printed)
#
# What is measured (wall clock, page cache warmed first, the runs of both tools interleaved):
#   (a) istd validate -j J --checks C --engine E --format json CORPUS > /dev/null
#       exit 0 (all valid) and 1 (some message invalid) are normal; any other exit fails the bench
#   (b) xmllint --noout --schema <TYPE>.xsd f1 f2 ...   per message type, the type's files split
#       over J processes running in parallel (xargs -P J with a large -n)
# Output ends with:  istd: X msg/s  xmllint: Y msg/s  ratio: Z.ZZx   (ratio = istd / xmllint)
#
# Exit status: 0 ok; 1 xmllint rejected messages of a corpus that should be valid (or not all
# files were reported on); 2 usage or setup error; 3 istd failed (exit status other than 0/1).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ISTD=""
NO_ISTD=0
MESSAGES=20000
CHECKS=xsd
ENGINE=compiled
JOBS=2
CORPUS=""
SEED=""
REPEAT=3
INVALID_RATE=""
SCHEMAS=""
KEEP=0
STANDARD=wmo
REQUESTS=0

die() { echo "bench_validate: $*" >&2; exit 2; }
need_arg() { [[ $# -ge 2 && -n "$2" ]] || die "option $1 needs a value"; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --istd) need_arg "$@"; ISTD=$2; shift 2 ;;
    --no-istd) NO_ISTD=1; shift ;;
    --messages) need_arg "$@"; MESSAGES=$2; shift 2 ;;
    --checks) need_arg "$@"; CHECKS=$2; shift 2 ;;
    --engine) need_arg "$@"; ENGINE=$2; shift 2 ;;
    --jobs|-j) need_arg "$@"; JOBS=$2; shift 2 ;;
    --corpus) need_arg "$@"; CORPUS=$2; shift 2 ;;
    --seed) need_arg "$@"; SEED=$2; shift 2 ;;
    --repeat) need_arg "$@"; REPEAT=$2; shift 2 ;;
    --invalid-rate) need_arg "$@"; INVALID_RATE=$2; shift 2 ;;
    --schemas) need_arg "$@"; SCHEMAS=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --standard) need_arg "$@"; STANDARD=$2; shift 2 ;;
    --requests) REQUESTS=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option: $1 (see --help)" ;;
  esac
done

[[ $MESSAGES =~ ^[1-9][0-9]*$ ]] || die "--messages must be a positive integer"
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || die "--jobs must be a positive integer"
[[ $REPEAT =~ ^[1-9][0-9]*$ ]] || die "--repeat must be a positive integer"
[[ $CHECKS == xsd || $CHECKS == all ]] || die "--checks must be xsd or all"
[[ $ENGINE == compiled || $ENGINE == xerces ]] || die "--engine must be compiled or xerces"
[[ -z $SEED || $SEED =~ ^[0-9]+$ ]] || die "--seed must be a non-negative integer"
[[ $STANDARD == wmo || $STANDARD == jw || $STANDARD == mixed ]] || die "--standard must be wmo, jw or mixed"
command -v xmllint >/dev/null || die "xmllint not found (apt-get install libxml2-utils; see tools/install-deps.sh)"

# ---------------------------------------------------------------- istd binary
if ((NO_ISTD)); then
  ISTD=""
elif [[ -n $ISTD ]]; then
  if [[ ! -x $ISTD || -d $ISTD ]]; then
    resolved=$(command -v "$ISTD" 2>/dev/null) || die "--istd: not an executable: $ISTD"
    ISTD=$resolved
  fi
elif [[ -x $REPO/build/src/istd ]]; then
  ISTD=$REPO/build/src/istd
elif command -v istd >/dev/null; then
  ISTD=$(command -v istd)
else
  echo "bench_validate: no istd binary found (build/src/istd or PATH); measuring xmllint only" >&2
fi

# ---------------------------------------------------------------- scratch space and corpus
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench_validate.XXXXXX")
GENERATED=0
cleanup() {  # $WORK never holds a corpus given with --corpus
  if ((GENERATED && KEEP)); then rm -rf "$WORK/lists" "$WORK/logs"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
mkdir -p "$WORK/lists" "$WORK/logs"

EXPECT_INVALID=0
if [[ -n $CORPUS ]]; then
  [[ -d $CORPUS ]] || die "--corpus $CORPUS is not a directory"
  CORPUS=$(cd "$CORPUS" && pwd)
  [[ -z $INVALID_RATE ]] || die "--invalid-rate only applies to a generated corpus"
  [[ -f $CORPUS/invalid.txt ]] && EXPECT_INVALID=$(grep -c . "$CORPUS/invalid.txt" || true)
else
  gen=(python3 "$REPO/tools/gen_corpus.py" --out "$WORK/corpus" --messages "$MESSAGES")
  [[ -n $SEED ]] && gen+=(--seed "$SEED")
  [[ -n $INVALID_RATE ]] && gen+=(--invalid-rate "$INVALID_RATE")
  gen+=(--standard "$STANDARD")
  ((REQUESTS)) && gen+=(--requests)
  "${gen[@]}" || die "corpus generation failed"
  CORPUS=$WORK/corpus
  GENERATED=1
  [[ -f $CORPUS/invalid.txt ]] && EXPECT_INVALID=$(grep -c . "$CORPUS/invalid.txt" || true)
  ((KEEP)) && echo "bench_validate: corpus kept in $CORPUS"
fi
# --invalid-rate given, or a reused corpus that declares invalid messages: failures are expected
ALLOW_INVALID=0
[[ -n $INVALID_RATE || $EXPECT_INVALID -gt 0 ]] && ALLOW_INVALID=1

# ---------------------------------------------------------------- classify files by type
find "$CORPUS" -type f -name '*.xml' | LC_ALL=C sort > "$WORK/lists/all"
TOTAL=$(wc -l < "$WORK/lists/all")
((TOTAL > 0)) || die "no *.xml files under $CORPUS"
: > "$WORK/lists/untyped"
awk -v dir="$WORK/lists" '
  match($0, /(WMO|JW)3[0-9][0-9]/) { print > (dir "/" substr($0, RSTART, RLENGTH)); next }
  { print > (dir "/untyped") }' "$WORK/lists/all"
if [[ -s $WORK/lists/untyped ]]; then   # fall back to the namespace of the root element
  xargs -a "$WORK/lists/untyped" -d '\n' grep -H -o -E -m1 '(iwmo/3_2/wmo|ijw/3_2/jw)3[0-9][0-9]/schema' |
    awk -v dir="$WORK/lists" '{ f = $0; sub(/:[^:]*$/, "", f); t = $0; sub(/.*\/3_2\//, "", t);
                                 print f > (dir "/" toupper(substr(t, 1, index(t, "/") - 1))) }' || true
fi
TYPES=()
typed=0
for l in "$WORK"/lists/WMO3?? "$WORK"/lists/JW3??; do
  [[ -e $l ]] || continue
  TYPES+=("$(basename "$l")")
  typed=$((typed + $(wc -l < "$l")))
done
((typed == TOTAL)) || die "$((TOTAL - typed)) file(s) of unknown message type under $CORPUS"

# ---------------------------------------------------------------- schemas for xmllint
REF="${ISTD_REFERENCE_DIR:-$REPO/../shared/reference}"
declare -A XSD_DIR   # message type -> directory holding its XSD
SCHEMA_NOTE=""
for t in "${TYPES[@]}"; do
  case $t in WMO*) std=iwmo-3.2 ;; *) std=ijw-3.2 ;; esac
  if [[ -n $SCHEMAS ]]; then
    [[ -f $SCHEMAS/$t.xsd ]] || die "--schemas $SCHEMAS lacks $t.xsd"
    XSD_DIR[$t]=$SCHEMAS
  elif [[ -f $REPO/schemas/$std/$t.xsd ]]; then
    XSD_DIR[$t]=$REPO/schemas/$std
  elif [[ -f $REF/$std/xsd/$t.xsd ]]; then
    XSD_DIR[$t]=$REF/$std/xsd
    SCHEMA_NOTE=" (reference fallback for $t: the project bundle lacks it)"
  else
    die "no XSD for $t: neither $REPO/schemas/$std nor $REF/$std/xsd (set ISTD_REFERENCE_DIR or --schemas)"
  fi
done
SCHEMA_NOTE="$(printf '%s\n' "${XSD_DIR[@]}" | sort -u | tr '\n' ' ')$SCHEMA_NOTE"

# ---------------------------------------------------------------- report the setup
BYTES=$(xargs -a "$WORK/lists/all" -d '\n' cat | wc -c)
MIX=""
for t in "${TYPES[@]}"; do MIX+=" $t=$(wc -l < "$WORK/lists/$t")"; done
CPU=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
echo "bench_validate: machine: nproc=$(nproc) cpu=\"${CPU:-unknown}\""
echo "bench_validate: corpus: $CORPUS ($TOTAL messages,$MIX, $BYTES bytes)"
echo "bench_validate: xmllint: $(xmllint --version 2>&1 | head -1); schemas: $SCHEMA_NOTE"
if [[ -n $ISTD ]]; then
  echo "bench_validate: istd: $ISTD validate -j $JOBS --checks $CHECKS --engine $ENGINE --format json <corpus>"
fi
echo "bench_validate: jobs=$JOBS repeat=$REPEAT (best run reported)"

# warm the page cache so neither tool pays for the first read
xargs -a "$WORK/lists/all" -d '\n' cat > /dev/null

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }'; }

run_xmllint() {  # $1 = log file; prints nothing; the log holds xmllint's per-file verdicts
  local log=$1 t n chunk
  : > "$log"
  for t in "${TYPES[@]}"; do
    n=$(wc -l < "$WORK/lists/$t")
    chunk=$(((n + JOBS - 1) / JOBS))
    # exit 123 from xargs = some file invalid; the verdicts are counted from the log instead
    xargs -a "$WORK/lists/$t" -d '\n' -n "$chunk" -P "$JOBS" \
      xmllint --noout --schema "${XSD_DIR[$t]}/$t.xsd" 2>> "$log" || true
  done
}

BEST_ISTD=""
BEST_XML=""
ISTD_RC=""
for ((r = 1; r <= REPEAT; r++)); do
  line="run $r/$REPEAT:"
  if [[ -n $ISTD ]]; then
    t0=$(now)
    set +e
    "$ISTD" validate -j "$JOBS" --checks "$CHECKS" --engine "$ENGINE" --format json "$CORPUS" > /dev/null 2> "$WORK/logs/istd.err"
    rc=$?
    set -e
    t1=$(now)
    if ((rc != 0 && rc != 1)); then
      echo "bench_validate: istd failed with exit status $rc; its stderr ends with:" >&2
      tail -n 20 "$WORK/logs/istd.err" >&2
      exit 3
    fi
    ISTD_RC=$rc
    e=$(elapsed "$t0" "$t1")
    BEST_ISTD=$(min "$BEST_ISTD" "$e")
    line+="  istd ${e}s (exit $rc)"
  fi
  t0=$(now)
  run_xmllint "$WORK/logs/xmllint.log"
  t1=$(now)
  e=$(elapsed "$t0" "$t1")
  BEST_XML=$(min "$BEST_XML" "$e")
  ok=$(grep -c ' validates$' "$WORK/logs/xmllint.log" || true)
  bad=$(grep -c ' fails to validate$' "$WORK/logs/xmllint.log" || true)
  line+="  xmllint ${e}s ($ok valid, $bad invalid)"
  echo "$line"
done

STATUS=0
if ((ok + bad != TOTAL)); then
  echo "bench_validate: xmllint reported on $((ok + bad)) of $TOTAL files (schema or parse problem?):" >&2
  grep -v -e ' validates$' -e ' fails to validate$' "$WORK/logs/xmllint.log" | head -n 10 >&2
  STATUS=1
fi
if ((bad > 0)); then
  if ((ALLOW_INVALID)); then
    echo "bench_validate: xmllint rejected $bad message(s); $EXPECT_INVALID were generated invalid (expected)"
    ((bad == EXPECT_INVALID)) || echo "bench_validate: WARNING: xmllint invalid count $bad differs from the generator's $EXPECT_INVALID" >&2
  else
    echo "bench_validate: FAIL: xmllint rejected $bad message(s) of a corpus that must be valid:" >&2
    grep ' fails to validate$' "$WORK/logs/xmllint.log" | head -n 10 >&2
    STATUS=1
  fi
fi
if [[ $ISTD_RC == 1 && $bad -eq 0 ]]; then
  echo "bench_validate: WARNING: istd exited 1 (some message invalid) on a corpus xmllint fully accepts" >&2
fi

rate() { awk -v n="$TOTAL" -v s="$1" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
XML_RATE=$(rate "$BEST_XML")
if [[ -n $ISTD ]]; then
  ISTD_RATE=$(rate "$BEST_ISTD")
  RATIO=$(awk -v a="$ISTD_RATE" -v b="$XML_RATE" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
  echo "istd: $ISTD_RATE msg/s  xmllint: $XML_RATE msg/s  ratio: ${RATIO}x"
else
  echo "istd: n/a  xmllint: $XML_RATE msg/s  ratio: n/a"
fi
exit $STATUS
