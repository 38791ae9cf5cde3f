#!/usr/bin/env bash
# Load test of `istd serve` on loopback: makes a throw-away test PKI, starts N server instances
# on 127.0.0.1 (free ports) on one ledger and one output tree, runs tools/bench_serve.cpp (64 TLS
# connections, mutual TLS, spread round-robin over the instances), then stops every instance
# with SIGTERM and checks each exits 0.
#
#   tools/bench_serve.sh [--build DIR] [--no-build] [--requests N] [--connections C]
#                        [--max-seconds S] [--file MSG.xml | --dir DIR | --corpus N]
#                        [--path /v1/validate] [--mix PCT] [--cycle] [--party CODE]
#                        [--postgresql] [--pg-stats] [--pg-conf NAME=VALUE]... [--instances N] [--workers W]
#                        [--io-threads T] [--client-threads T] [--cpus 0,1] [--progress S]
#                        [--out-base DIR] [--keep]
#
# The body defaults to tests/data/rules/wmo305.xml (one body for every request, as before).
# --corpus N   generates tools/gen_serve_corpus.py --messages N --agb PARTY: histories of one
#              provider; the gemeenten's 301s are ingested into the ledger first (`istd ingest
#              --side gemeente`, the ledger's own allocations), the provider's 305/307s are
#              the request bodies (--dir CORPUS/post). --dir DIR takes such a corpus (DIR/post,
#              DIR/preload) or any directory of *.xml files.
# --path /v1/messages with --dir/--corpus posts every file once (each ingest a new message);
#              --mix P sends P % of the requests to /v1/messages, the rest to /v1/validate;
#              --cycle starts the files over when used up (re-posts are then duplicates).
# --party      the client certificate's CN: the Afzender of what is posted (default 65656055,
#              the AGB of --corpus and of the default body).
# --postgresql a throwaway PostgreSQL 15 (tools/pg_cluster.sh, fsync on), removed on exit.
#              Without it the ledger is an SQLite file, and one instance only: several
#              processes on one ledger is what the PostgreSQL ledger is for (docs/postgresql.md).
# --pg-stats   (with --postgresql) load pg_stat_statements (a restart of the cluster before
#              the load) and print the statements by total time, commits and WAL syncs, and
#              what istd's backends were doing (pg_stat_activity sampled every 0.2 s).
# --pg-conf NAME=VALUE  (with --postgresql, repeatable) a server setting for the experiment
#              (ALTER SYSTEM, before the load), e.g. synchronous_commit=off or
#              plan_cache_mode=force_generic_plan.
# --instances N  istd serve processes on the same ledger and output tree (default 1).
# --cpus pins the servers and the client (taskset). --progress S: the client prints the rate
# of every S seconds. --keep keeps the work directory (corpus, ledger file, output tree, logs).
# --out-base DIR  where the output tree goes (the retours and routed messages the servers
#              write); by default /dev/shm when it is a tmpfs with 2 GiB free, else the work
#              directory. On ext4, writing thousands of files shortly after a previous run
#              removed as many is slow for a while (it skips recently freed inodes), which made
#              the latency of runs depend on what ran before them.
#
# After the load: each instance's exit status after SIGTERM, the CPU seconds of the instances,
# of PostgreSQL and of the client during the load, and the stored-count check: the input
# messages the ledger gained equal the distinct bodies posted to /v1/messages (nothing lost,
# nothing doubled). Exit 0 when the load had no errors, every instance exited 0 and the check
# holds (or does not apply: no /v1/messages traffic, or one --file body).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="$here/build"
requests=100000 connections=64 max_seconds=300 file="" dir="" corpus=0
path=/v1/validate mix="" cycle=0 party=65656055 postgresql=0 pg_stats=0 instances=1
workers=0 io_threads=1 client_threads=1 cpus="" keep=0 do_build=1 progress=0 pg_conf=()
out_base=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --no-build) do_build=0; shift ;;
    --requests) requests="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --max-seconds) max_seconds="$2"; shift 2 ;;
    --file) file="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    --corpus) corpus="$2"; shift 2 ;;
    --path) path="$2"; shift 2 ;;
    --mix) mix="$2"; shift 2 ;;
    --cycle) cycle=1; shift ;;
    --party) party="$2"; shift 2 ;;
    --postgresql) postgresql=1; shift ;;
    --pg-stats) pg_stats=1; shift ;;
    --pg-conf) pg_conf+=("$2"); shift 2 ;;
    --instances) instances="$2"; shift 2 ;;
    --workers) workers="$2"; shift 2 ;;
    --io-threads) io_threads="$2"; shift 2 ;;
    --client-threads) client_threads="$2"; shift 2 ;;
    --cpus) cpus="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --out-base) out_base="$2"; shift 2 ;;
    --progress) progress="$2"; shift 2 ;;
    *) echo "bench_serve.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
die() { echo "bench_serve.sh: $*" >&2; exit 2; }
[[ $instances =~ ^[1-9][0-9]*$ ]] || die "--instances needs a number >= 1"
((instances == 1 || postgresql)) ||
  die "--instances $instances needs --postgresql (several processes on one ledger is what the PostgreSQL ledger is for; docs/postgresql.md)"
((pg_stats == 0 || postgresql)) || die "--pg-stats needs --postgresql"
((${#pg_conf[@]} == 0 || postgresql)) || die "--pg-conf needs --postgresql"
(( (${#file} > 0) + (${#dir} > 0) + (corpus > 0) <= 1 )) || die "give one of --file, --dir, --corpus"
[[ -z "$file" && -z "$dir" && $corpus -eq 0 ]] && file="$here/tests/data/rules/wmo305.xml"

build="$(cd "$build" && pwd)"
if ((do_build)); then
  cmake --build "$build" --target istd istd_bench_serve -j2 >/dev/null 2>&1 ||
    { echo "bench_serve.sh: build failed (cmake --build $build)" >&2; exit 3; }
fi
[[ -n "$file" ]] && file="$(cd "$(dirname "$file")" && pwd)/$(basename "$file")"
[[ -n "$dir" ]] && dir="$(cd "$dir" && pwd)"
istd="$build/src/istd"
bench="$build/src/istd_bench_serve"
pin=()
[[ -n "$cpus" ]] && pin=(taskset -c "$cpus")

tmp="$(mktemp -d /tmp/istd-bench-serve.XXXXXX)"
outs=""
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  ((postgresql)) && (cd / && "$here/tools/pg_cluster.sh" stop "$tmp/pg") || true
  if ((keep)); then echo "kept $tmp ${outs}" >&2; else rm -rf "$tmp" ${outs:+"$outs"}; fi
}
trap cleanup EXIT
if [[ -z "$out_base" ]]; then
  out_base="$tmp"
  if [[ $(stat -f -c %T /dev/shm 2>/dev/null) == tmpfs ]] &&
     (($(df -k --output=avail /dev/shm | tail -1) > 2 * 1024 * 1024)); then
    out_base=/dev/shm
  fi
fi
outs="$(mktemp -d "$out_base/istd-bench-serve-out.XXXXXX")"
cd "$tmp"
export ISTD_TODAY=2026-01-01  # every Dagtekening of the corpora lies before it

# --- the corpus
preload=""
if ((corpus > 0)); then
  python3 "$here/tools/gen_serve_corpus.py" --out "$tmp/corpus" --messages "$corpus" --agb "$party"
  dir="$tmp/corpus"
fi
if [[ -n "$dir" && -d "$dir/post" ]]; then
  [[ -d "$dir/preload" ]] && preload="$dir/preload"
  dir="$dir/post"
fi

# --- the ledger
if ((postgresql)); then
  db="$(cd / && "$here/tools/pg_cluster.sh" start "$tmp/pg")"  # (cd /: it runs as nobody)
  pgdir="$(cat "$tmp/pg/dir")"
  if ((pg_stats)); then
    psql -qAt "$db" -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'" \
      -c "ALTER SYSTEM SET track_wal_io_timing = on" -c "ALTER SYSTEM SET track_io_timing = on"
    (cd / && runuser -u nobody -- /usr/lib/postgresql/15/bin/pg_ctl -D "$pgdir/data" -w restart \
      -l "$pgdir/server.log" > /dev/null)
    # in a schema of its own: the ledger's schema must hold only the ledger's tables
    psql -qAt "$db" -c "CREATE SCHEMA pgss" -c "CREATE EXTENSION pg_stat_statements SCHEMA pgss" \
      -c "ALTER SYSTEM SET pg_stat_statements.track_planning = on" -c "SELECT pg_reload_conf()" > /dev/null
  fi
  for kv in "${pg_conf[@]}"; do
    psql -qAt "$db" -c "ALTER SYSTEM SET ${kv%%=*} = '${kv#*=}'" -c "SELECT pg_reload_conf()" > /dev/null
    echo "PostgreSQL setting: ${kv%%=*} = $(psql -qAt "$db" -c "SHOW ${kv%%=*}")"
  done
  echo "ledger: PostgreSQL 15 (fsync $(psql -qAt "$db" -c 'SHOW fsync'), synchronous_commit $(psql -qAt "$db" -c 'SHOW synchronous_commit'))"
else
  db="$tmp/ledger.db"
  echo "ledger: SQLite $db"
fi
count_inputs() {
  if ((postgresql)); then
    psql -qAt "$db" -c "SELECT count(*) || ' ' || count(DISTINCT content_hash) FROM messages WHERE role = 'input'"
  else
    sqlite3 "$db" "SELECT count(*) || ' ' || count(DISTINCT content_hash) FROM messages WHERE role = 'input'"
  fi
}
if [[ -n "$preload" ]]; then
  t0=$(date +%s.%N)
  "$istd" ingest --db "$db" --out "$outs/out" --side gemeente -j 2 -q "$preload" > preload.out ||
    { echo "bench_serve.sh: the preload (istd ingest $preload) failed" >&2; tail -5 preload.out >&2; exit 3; }
  echo "preload: $(tail -1 preload.out) (wall $(echo "$(date +%s.%N) - $t0" | bc | cut -c1-5) s)"
fi

# --- the PKI
gen() { openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "$@" 2>/dev/null; }
gen -keyout ca.key -out ca.pem -subj /CN=istd-bench-ca \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
gen -keyout server.key -out server.pem -subj /CN=localhost -CA ca.pem -CAkey ca.key \
  -addext subjectAltName=IP:127.0.0.1 -addext basicConstraints=CA:FALSE
gen -keyout client.key -out client.pem -subj "/CN=$party" -CA ca.pem -CAkey ca.key \
  -addext basicConstraints=CA:FALSE -addext extendedKeyUsage=clientAuth
printf '{"workers": %s, "io_threads": %s, "max_connections": 1024}\n' "$workers" "$io_threads" > serve.json

# --- the instances
ports=()
for i in $(seq 1 "$instances"); do
  "${pin[@]}" "$istd" serve --listen 127.0.0.1:0 --cert server.pem --key server.key \
    --client-ca ca.pem --db "$db" --out "$outs/out" --side gemeente --config serve.json \
    > "serve$i.out" 2> "serve$i.err" &
  pids+=($!)
done
for i in $(seq 1 "$instances"); do
  port=""
  for _ in $(seq 1 300); do  # at most 30 s for the schemas to compile (instances start together)
    port="$(sed -n 's#^istd serve: listening on https://127.0.0.1:\([0-9]*\)$#\1#p' "serve$i.out")"
    [[ -n "$port" ]] && break
    sleep 0.1
  done
  [[ -n "$port" ]] || { echo "bench_serve.sh: instance $i did not start" >&2; cat "serve$i.err" >&2; exit 3; }
  ports+=("$port")
done
port_list="$(IFS=,; echo "${ports[*]}")"

# CPU seconds (user+sys) of a process and of its children it has waited for
cpu_of() {
  awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15 + $16 + $17) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0
}
servers_cpu() { local s=0; for p in "${pids[@]}"; do s=$(echo "$s + $(cpu_of "$p")" | bc); done; echo "$s"; }
pg_cpu() {  # the postmaster (with the backends it reaped) and its live children
  ((postgresql)) || { echo 0; return; }
  local pm s
  pm="$(head -1 "$pgdir/data/postmaster.pid")"
  s="$(cpu_of "$pm")"
  for c in $(ps -o pid= --ppid "$pm"); do s=$(echo "$s + $(cpu_of "$c")" | bc); done
  echo "$s"
}
((pg_stats)) && psql -qAt "$db" -c "SELECT pgss.pg_stat_statements_reset(), pg_stat_reset(), pg_stat_reset_shared('wal')" > /dev/null

before="$(count_inputs)"
mode="$path"
[[ -n "$mix" ]] && mode="mix $mix % /v1/messages, rest /v1/validate"
echo "machine: $(nproc) cores; $instances instance(s) on ports $port_list; server workers=$workers io_threads=$io_threads; client threads=$client_threads${cpus:+; cpus $cpus}; $mode"
echo "uptime before: $(uptime)"
s_cpu0="$(servers_cpu)" p_cpu0="$(pg_cpu)" stat0="$(head -1 /proc/stat)"
args=(--port "$port_list" --ca ca.pem --cert client.pem --key client.key
      --connections "$connections" --requests "$requests" --max-seconds "$max_seconds"
      --path "$path" --threads "$client_threads" --posted-list "$tmp/posted.txt")
if [[ -n "$file" ]]; then args+=(--file "$file"); else args+=(--dir "$dir"); fi
[[ -n "$mix" ]] && args+=(--mix "$mix")
((cycle)) && args+=(--cycle)
[[ $progress != 0 ]] && args+=(--progress "$progress")
sampler=""
if ((pg_stats)); then
  (while :; do
     psql -qAt "$db" -c "SELECT state || ' ' || coalesce(wait_event_type || ':' || wait_event, 'on CPU')
       FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
       AND application_name NOT LIKE 'psql%'" 2>/dev/null || true
     sleep 0.2
   done > activity.txt) &
  sampler=$!
fi
rc=0
/usr/bin/time -f "%U %S %e" -o client.time "${pin[@]}" "$bench" "${args[@]}" || rc=$?
s_cpu1="$(servers_cpu)" p_cpu1="$(pg_cpu)" stat1="$(head -1 /proc/stat)"
[[ -n "$sampler" ]] && { kill "$sampler"; wait "$sampler" 2>/dev/null || true; }
echo "uptime after: $(uptime)"
read -r cu cs ce < client.time
echo "CPU seconds during the load ($ce s wall): istd serve $(echo "$s_cpu1 - $s_cpu0" | bc)," \
  "PostgreSQL $(echo "$p_cpu1 - $p_cpu0" | bc), client $(echo "$cu + $cs" | bc)"
# the machine as a whole (/proc/stat): busy = user+nice+system+irq+softirq, steal = the hypervisor
echo "$stat0
$stat1" | awk -v hz="$(getconf CLK_TCK)" '{ b[NR] = $2 + $3 + $4 + $7 + $8; i[NR] = $5 + $6; st[NR] = $9 }
  END { tot = (b[2] - b[1]) + (i[2] - i[1]) + (st[2] - st[1]);
        printf "machine during the load: busy %.1f s, idle+iowait %.1f s, steal %.1f s (%.0f %% busy, %.0f %% steal)\n",
          (b[2] - b[1]) / hz, (i[2] - i[1]) / hz, (st[2] - st[1]) / hz, 100 * (b[2] - b[1]) / tot, 100 * (st[2] - st[1]) / tot }'

if ((pg_stats)); then
  echo "--- pg_stat_statements (by total time) during the load"
  psql -q "$db" -c "SELECT calls, round(total_exec_time::numeric, 0) AS total_ms,
      round(mean_exec_time::numeric, 3) AS mean_ms, round(total_plan_time::numeric, 0) AS plan_ms, left(regexp_replace(query, '\s+', ' ', 'g'), 90) AS query
    FROM pgss.pg_stat_statements ORDER BY total_exec_time DESC LIMIT 12"
  psql -qAt "$db" -c "SELECT 'total: ' || sum(calls) || ' statements, ' || round(sum(total_exec_time)::numeric, 0) || ' ms executing, ' || round(sum(total_plan_time)::numeric, 0) || ' ms planning' FROM pgss.pg_stat_statements"
  echo "the 4 longest in full:"
  psql -qAt "$db" -c "SELECT round(total_exec_time::numeric, 0) || ' ms: ' || regexp_replace(query, '\s+', ' ', 'g')
    FROM pgss.pg_stat_statements ORDER BY total_exec_time DESC LIMIT 4"
  psql -q "$db" -c "SELECT xact_commit, xact_rollback, blks_hit, blks_read FROM pg_stat_database WHERE datname = current_database()" \
    -c "SELECT wal_records, wal_bytes, wal_write, wal_sync, round(wal_sync_time::numeric, 0) AS wal_sync_ms FROM pg_stat_wal"
  echo "--- istd's backends, sampled every 0.2 s during the load (state, wait event): share of samples"
  sort activity.txt | uniq -c | sort -rn | awk -v n="$(wc -l < activity.txt)" '{ c = $1; $1 = ""; printf "%5.1f %%%s\n", 100 * c / n, $0 }' | head -12
fi

# --- stop
src_all=0
for i in "${!pids[@]}"; do
  kill -TERM "${pids[$i]}"
done
for i in "${!pids[@]}"; do
  src=0
  wait "${pids[$i]}" || src=$?
  echo "instance $((i + 1)) (port ${ports[$i]}) exit status after SIGTERM: $src"
  if [[ $src -ne 0 ]]; then src_all=3; tail -20 "serve$((i + 1)).err" >&2; fi
done
pids=()

# --- nothing lost, nothing doubled
check=0
if [[ -z "$file" && -s "$tmp/posted.txt" ]]; then
  after="$(count_inputs)"
  distinct="$(sort -u "$tmp/posted.txt" | tr '\n' '\0' | xargs -0 sha256sum | cut -d' ' -f1 | sort -u | wc -l)"
  gained=$(( ${after% *} - ${before% *} ))
  gained_distinct=$(( ${after#* } - ${before#* } ))
  echo "stored-count check: $(wc -l < "$tmp/posted.txt") posts to /v1/messages of $distinct distinct bodies;" \
    "input messages in the ledger $before -> $after (count, distinct content hashes): $gained stored ($gained_distinct distinct)"
  if [[ $gained -eq $distinct && $gained_distinct -eq $distinct ]]; then
    echo "stored-count check: OK (nothing lost, nothing doubled)"
  else
    echo "stored-count check: FAILED"; check=4
  fi
fi
((rc != 0)) && exit "$rc"
((src_all != 0)) && exit "$src_all"
exit "$check"
