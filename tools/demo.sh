#!/usr/bin/env bash
# The main job on the bundled sample month (fixtures/sample): install, build, then
#   1. validate every sample message (XSD + message rules),
#   2. ingest them into a fresh ledger (routing, 306/308 retours),
#   3. reconcile the month's declarations (325 answers, signals, abonnementstarief check),
# and print the summaries. Output goes to ./out/ (recreated on every run).
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/install-deps.sh >/dev/null
# The istd binary only (the test binaries are tools/test.sh's), -O2 without debug information
# (it nearly doubles GCC's time), with Ninja for a new build directory (both cores busy to the
# end). build/ is also the benchmarks' build (BENCHMARKS.md).
source tools/build_dir.sh  # generator DIR
cmake $(generator build) -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -DNDEBUG" -DISTD_TEST_HOOKS=OFF >/dev/null
cmake --build build -j"${ISTD_JOBS:-2}" --target istd >/dev/null

ISTD=./build/src/istd
SAMPLE=fixtures/sample
OUT=out
rm -rf "$OUT"
mkdir -p "$OUT"

echo "== 1. istd validate $SAMPLE"
"$ISTD" validate "$SAMPLE" || true

if "$ISTD" ingest --help >/dev/null 2>&1; then
  echo
  echo "== 2. istd ingest --db $OUT/ledger.db --out $OUT/routed $SAMPLE"
  "$ISTD" ingest --db "$OUT/ledger.db" --out "$OUT/routed" --today 2025-07-10 \
    --report "$OUT/ingest-report.html" "$SAMPLE" || true
fi

if "$ISTD" reconcile --help >/dev/null 2>&1; then
  month=$(cat "$SAMPLE/MONTH" 2>/dev/null || echo 2025-06)
  billing=()
  [[ -f "$SAMPLE/billing.csv" ]] && billing=(--billing "$SAMPLE/billing.csv")
  echo
  echo "== 3. istd reconcile --db $OUT/ledger.db --month $month ${billing[*]} --out $OUT/reconcile"
  "$ISTD" reconcile --db "$OUT/ledger.db" --month "$month" "${billing[@]}" --out "$OUT/reconcile" --today 2025-07-10 || true
fi
if "$ISTD" worklist --help >/dev/null 2>&1; then
  echo
  echo "== 4. istd worklist --db $OUT/ledger.db (what is overdue on 2025-07-10)"
  "$ISTD" worklist --db "$OUT/ledger.db" --today 2025-07-10 || true
  echo
  echo "== 5. istd cak --db $OUT/ledger.db --out $OUT/cak (start/stop list for the CAK)"
  "$ISTD" cak --db "$OUT/ledger.db" --out "$OUT/cak" --today 2025-07-10 || true
fi
echo
echo "Outputs are in $OUT/. Open these in a browser:"
echo "  $OUT/reconcile/report.html   the month report: rejections, signals, abonnementstarief refunds"
echo "                                with each client's timeline (contains BSNs)"
echo "  $OUT/ingest-report.html      what the ingest did with each message"
echo "and $OUT/cak/cak-export-0001.csv in a spreadsheet: the starts and stops for the CAK."
