#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests and benchmarks of the PostgreSQL ledger.
#
#   tools/pg_cluster.sh start STATE_DIR [--no-fsync]   initdb + start; prints the ledger URL
#   tools/pg_cluster.sh stop STATE_DIR                  stop the server and remove its files
#   tools/pg_cluster.sh url STATE_DIR                   the URL of a running cluster
#
# The cluster lives in a fresh directory under /tmp (a Unix socket path must stay short); it
# listens on that socket only (no TCP), trusts local connections and has one database, `istd`,
# owned by the superuser `istd`. PostgreSQL refuses to run as root: as root, the server runs as
# the unprivileged user `nobody`. STATE_DIR keeps where the cluster is (STATE_DIR/url,
# STATE_DIR/dir). `--no-fsync` (tests only) turns fsync off: faster, and nothing the tests
# check depends on surviving a power cut. Needs Debian's postgresql-15.
set -euo pipefail

cmd=${1:-}
state=${2:-}
[[ -n "$cmd" && -n "$state" ]] || { sed -n '2,13p' "$0" >&2; exit 2; }

bindir=/usr/lib/postgresql/15/bin
[[ -x $bindir/initdb ]] || bindir=$(dirname "$(command -v initdb || echo /nonexistent/initdb)")
[[ -x $bindir/initdb ]] || { echo "pg_cluster: initdb not found (install postgresql-15)" >&2; exit 1; }

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u nobody -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    mkdir -p "$state"
    if [[ -f "$state/dir" ]] && [[ -S "$(cat "$state/dir")/.s.PGSQL.5432" ]]; then
      cat "$state/url"; exit 0
    fi
    dir=$(mktemp -d /tmp/istd-pg.XXXXXX)
    chmod 755 "$dir"
    [[ $(id -u) -eq 0 ]] && chown nobody "$dir"
    echo "$dir" > "$state/dir"
    extra=()
    [[ ${3:-} == --no-fsync ]] && extra+=(-c fsync=off -c full_page_writes=off)
    as_owner "$bindir/initdb" -D "$dir/data" -U istd -A trust -E UTF8 --locale=C.UTF-8 \
      --no-instructions > "$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-k $dir -c listen_addresses= -c max_connections=200 ${extra[*]}" start > /dev/null ||
      { cat "$dir/server.log" >&2; exit 1; }
    as_owner "$bindir/createdb" -h "$dir" -U istd istd
    echo "postgresql://istd@/istd?host=$dir" > "$state/url"
    cat "$state/url"
    ;;
  stop)
    [[ -f "$state/dir" ]] || exit 0
    dir=$(cat "$state/dir")
    if [[ -d "$dir/data" ]]; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop > /dev/null 2>&1 || true
    fi
    rm -rf "$dir" "$state/dir" "$state/url"
    ;;
  url)
    cat "$state/url"
    ;;
  *)
    sed -n '2,13p' "$0" >&2; exit 2
    ;;
esac
