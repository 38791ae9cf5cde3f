#!/usr/bin/env bash
# Load test of `istd serve` on loopback: makes a throw-away test PKI, starts the server on
# 127.0.0.1 (free port), runs tools/bench_serve.cpp (64 TLS connections, mutual TLS) against
# POST /v1/validate, then stops the server with SIGTERM and checks it exits 0.
#
#   tools/bench_serve.sh [--build DIR] [--requests N] [--connections C] [--max-seconds S]
#                        [--file MSG.xml] [--path /v1/validate] [--workers W] [--io-threads T]
#                        [--client-threads T] [--cpus 0,1]
# The body defaults to tests/data/rules/wmo305.xml. --cpus pins server and client (taskset).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="$here/build"
requests=100000 connections=64 max_seconds=300 file="$here/tests/data/rules/wmo305.xml"
path=/v1/validate workers=0 io_threads=1 client_threads=1 cpus=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --requests) requests="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --max-seconds) max_seconds="$2"; shift 2 ;;
    --file) file="$2"; shift 2 ;;
    --path) path="$2"; shift 2 ;;
    --workers) workers="$2"; shift 2 ;;
    --io-threads) io_threads="$2"; shift 2 ;;
    --client-threads) client_threads="$2"; shift 2 ;;
    --cpus) cpus="$2"; shift 2 ;;
    *) echo "bench_serve.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
build="$(cd "$build" && pwd)"
cmake --build "$build" --target istd istd_bench_serve -j2 >/dev/null 2>&1 ||
  { echo "bench_serve.sh: build failed (cmake --build $build)" >&2; exit 3; }
file="$(cd "$(dirname "$file")" && pwd)/$(basename "$file")"
istd="$build/src/istd"
bench="$build/src/istd_bench_serve"
pin=()
[[ -n "$cpus" ]] && pin=(taskset -c "$cpus")

tmp="$(mktemp -d)"
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp"
gen() { openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "$@" 2>/dev/null; }
gen -keyout ca.key -out ca.pem -subj /CN=istd-bench-ca \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
gen -keyout server.key -out server.pem -subj /CN=localhost -CA ca.pem -CAkey ca.key \
  -addext subjectAltName=IP:127.0.0.1 -addext basicConstraints=CA:FALSE
gen -keyout client.key -out client.pem -subj /CN=65656055 -CA ca.pem -CAkey ca.key \
  -addext basicConstraints=CA:FALSE -addext extendedKeyUsage=clientAuth
printf '{"workers": %s, "io_threads": %s, "max_connections": 1024}\n' "$workers" "$io_threads" > serve.json

"${pin[@]}" "$istd" serve --listen 127.0.0.1:0 --cert server.pem --key server.key \
  --client-ca ca.pem --db "$tmp/ledger.db" --config serve.json > serve.out 2> serve.err &
server_pid=$!
port=""
for _ in $(seq 1 100); do  # at most 10 s for the schemas to compile
  port="$(sed -n 's#^istd serve: listening on https://127.0.0.1:\([0-9]*\)$#\1#p' serve.out)"
  [[ -n "$port" ]] && break
  sleep 0.1
done
[[ -n "$port" ]] || { echo "bench_serve.sh: server did not start" >&2; cat serve.err >&2; exit 3; }

echo "machine: $(nproc) cores; server workers=$workers io_threads=$io_threads; client threads=$client_threads${cpus:+; cpus $cpus}"
rc=0
"${pin[@]}" "$bench" --port "$port" --ca ca.pem --cert client.pem --key client.key --file "$file" \
  --connections "$connections" --requests "$requests" --max-seconds "$max_seconds" \
  --path "$path" --threads "$client_threads" || rc=$?

kill -TERM "$server_pid"
src=0
wait "$server_pid" || src=$?
server_pid=""
echo "server exit status after SIGTERM: $src"
[[ $src -eq 0 ]] || { cat serve.err >&2; exit 3; }
exit $rc
