#!/usr/bin/env python3
"""Copy an SQLite ledger into a new PostgreSQL ledger.

  tools/ledger_to_pg.py SQLITE_FILE URL

Moves an existing SQLite ledger (`--db ledger.db`) onto a PostgreSQL server (docs/postgresql.md),
and loads a generated month (tools/gen_municipality.py) into PostgreSQL for the reconcile
benchmark (tools/bench_reconcile.sh with BENCH_POSTGRESQL=1).

URL is a libpq URL (`postgresql://istd@/istd?host=/run/postgresql`, a schema of its own with
`&options=-csearch_path%3Dname`) of a ledger that `istd ingest --db URL <empty dir>` has just
created: the tables exist and hold only what creation writes (`schema_version`). Both ledgers
must be at the same schema version (open the SQLite file with this istd first to bring it up to
date); the tables must have the same columns in the same order, else the copy stops with an
error naming the table. Apart from `schema_version` and `meta`, the PostgreSQL tables must be
empty; rows those two already hold are not copied twice (an identical SQLite row is skipped,
one with the same key but another value stops the copy).

Every row of every table is sent with `COPY table (columns) FROM STDIN` (text format) through
one `psql` session, in one transaction (all or nothing), tables referenced by foreign keys
first; ids are copied as they are (the ledger's id triggers fill an id only when none is given,
so later rows continue after the highest). Then ANALYZE. Prints the rows copied per table.
Needs psql; Python's standard library only. Stop every istd using either ledger meanwhile.
"""
import sqlite3
import subprocess
import sys
import tempfile


class Fail(Exception):
    pass


# The tables creating a ledger may write rows into (the schema version; meta keeps settings
# such as the output directory): their rows on PostgreSQL are compared, not copied twice.
CREATION_WRITES = ("schema_version", "meta")


def psql_query(url, sql):
    """Rows of a query as lists of strings (unaligned, tab-separated; no NULLs expected)."""
    p = subprocess.run(["psql", "-X", "-q", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                        "-d", url, "-c", sql], capture_output=True, text=True)
    if p.returncode != 0:
        raise Fail(f"psql: {p.stderr.strip()}")
    return [line.split("\t") for line in p.stdout.splitlines() if line != ""]


# COPY text format: backslash and the control characters COPY TO writes as escapes.
_ESC = {ord("\\"): "\\\\", ord("\b"): "\\b", ord("\f"): "\\f", ord("\n"): "\\n",
        ord("\r"): "\\r", ord("\t"): "\\t", ord("\v"): "\\v"}


def encode(value, is_bytea, table, column):
    if value is None:
        return "\\N"
    if is_bytea:
        if isinstance(value, str):
            value = value.encode()
        elif not isinstance(value, bytes):
            value = str(value).encode()
        return "\\\\x" + value.hex()
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            raise Fail(f"table {table}, column {column}: a value is not UTF-8 text")
    if isinstance(value, float):
        value = repr(value)
    value = str(value)
    if "\0" in value:
        raise Fail(f"table {table}, column {column}: a value holds a NUL character")
    return value.translate(_ESC)


def copy_order(tables, fks):
    """Tables so that every table comes after the tables its foreign keys reference."""
    deps = {t: {r for (s, r) in fks if s == t and r != t} for t in tables}
    out, done = [], set()
    while len(out) < len(tables):
        ready = [t for t in tables if t not in done and deps[t] <= done]
        if not ready:
            raise Fail("foreign keys form a cycle: " + ", ".join(t for t in tables if t not in done))
        for t in ready:
            out.append(t)
            done.add(t)
    return out


def main():
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    src, url = sys.argv[1], sys.argv[2]
    try:
        con = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    except sqlite3.Error as e:
        raise Fail(f"{src}: {e}")
    con.text_factory = bytes  # text as it is stored; decoded (and checked) in encode()
    lite_tables = [r[0].decode() for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]
    if "schema_version" not in lite_tables:
        raise Fail(f"{src}: not an istd ledger (no table schema_version)")

    pg_cols = {}
    for t, c, typ in psql_query(url,
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"):
        pg_cols.setdefault(t, []).append((c, typ))
    if "schema_version" not in pg_cols:
        raise Fail("the PostgreSQL ledger does not exist yet: create it with "
                   "`istd ingest --db URL <empty dir>` first")
    v_lite = sorted(r[0] for r in con.execute("SELECT version FROM schema_version"))
    v_pg = sorted(int(r[0]) for r in psql_query(url, "SELECT version FROM schema_version"))
    if v_lite != v_pg:
        raise Fail(f"schema versions differ: SQLite ledger {v_lite}, PostgreSQL ledger {v_pg} "
                   "(open the older ledger with the newer istd first)")
    missing = sorted(set(lite_tables) - set(pg_cols))
    extra = sorted(set(pg_cols) - set(lite_tables))
    if missing or extra:
        raise Fail("the ledgers have different tables: "
                   + "; ".join(x for x in (
                       missing and "only in SQLite: " + ", ".join(missing),
                       extra and "only in PostgreSQL: " + ", ".join(extra)) if x))

    columns, keys = {}, {}
    for t in lite_tables:
        info = list(con.execute(f'PRAGMA table_info("{t}")'))
        cols = [r[1].decode() if isinstance(r[1], bytes) else r[1] for r in info]
        if cols != [c for c, _ in pg_cols[t]]:
            raise Fail(f"table {t}: columns differ: SQLite ({', '.join(cols)}), "
                       f"PostgreSQL ({', '.join(c for c, _ in pg_cols[t])})")
        columns[t] = [(c, typ == "bytea") for c, typ in pg_cols[t]]
        pk = [i for _, i in sorted((r[5], i) for i, r in enumerate(info) if r[5] > 0)]
        keys[t] = pk or list(range(len(cols)))

    fks = [(a, b) for a, b in psql_query(url,
        "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text FROM pg_constraint c "
        "WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace")]
    order = copy_order(lite_tables, fks)

    # What creation (or anything else) already wrote: COPY TO lines, compared as text.
    counts = {t: int(n) for t, n in psql_query(url, " UNION ALL ".join(
        f"SELECT '{t}', count(*) FROM \"{t}\"" for t in order))}
    present = {}
    for t in order:
        if counts[t] and t not in CREATION_WRITES:
            raise Fail(f"the PostgreSQL ledger is not new: table {t} holds {counts[t]} rows "
                       "(copy into a ledger just created with `istd ingest --db URL <empty dir>`)")
        if counts[t]:
            p = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c",
                                f"SET client_encoding = 'UTF8'; COPY \"{t}\" TO STDOUT"],
                               capture_output=True)
            if p.returncode != 0:
                raise Fail(f"psql: {p.stderr.decode(errors='replace').strip()}")
            rows = [line.split("\t") for line in p.stdout.decode().split("\n") if line]
            present[t] = {tuple(r[i] for i in keys[t]): r for r in rows}

    # psql's answers go to files: a pipe nobody reads while rows are sent could fill up.
    pout, perr = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    proc = subprocess.Popen(["psql", "-X", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", "-"],
                            stdin=subprocess.PIPE, stdout=pout, stderr=perr)

    def psql_said(f):
        f.seek(0)
        return f.read().decode(errors="replace").strip()
    sent, skipped = {}, {}
    try:
        w = proc.stdin
        w.write(b"SET client_encoding = 'UTF8';\nBEGIN;\n")
        for t in order:
            cols = columns[t]
            names = ", ".join(f'"{c}"' for c, _ in cols)
            w.write(f'COPY "{t}" ({names}) FROM STDIN;\n'.encode())
            have = present.get(t, {})
            n = s = 0
            cur = con.execute(f'SELECT {names} FROM "{t}"')
            while True:
                batch = cur.fetchmany(5000)
                if not batch:
                    break
                out = []
                for row in batch:
                    fields = [encode(v, b, t, c) for v, (c, b) in zip(row, cols)]
                    if have:
                        old = have.get(tuple(fields[i] for i in keys[t]))
                        if old is not None:
                            if old != fields:
                                raise Fail(f"table {t}: the PostgreSQL ledger already holds a "
                                           f"different row with the same key "
                                           f"({', '.join(fields[i] for i in keys[t])})")
                            s += 1
                            continue
                    out.append("\t".join(fields))
                    n += 1
                if out:
                    w.write(("\n".join(out) + "\n").encode())
            w.write(b"\\.\n")
            sent[t], skipped[t] = n, s
        w.write(b"COMMIT;\nANALYZE;\n")
        w.close()
    except (Fail, BrokenPipeError) as e:
        proc.kill()
        proc.wait()
        if isinstance(e, Fail):
            raise
        raise Fail(f"psql: {psql_said(perr)} (nothing copied)")
    if proc.wait() != 0:
        committed = "COMMIT" in psql_said(pout).splitlines()
        raise Fail(f"psql: {psql_said(perr)} "
                   + ("(rows copied, ANALYZE failed)" if committed else "(nothing copied)"))
    done = [int(line.split()[1]) for line in psql_said(pout).splitlines()
            if line.startswith("COPY ")]
    if done != [sent[t] for t in order]:
        raise Fail(f"psql reported {done} rows copied, expected {[sent[t] for t in order]}")
    width = max(len(t) for t in order)
    for t in order:
        note = f" ({skipped[t]} already there)" if skipped[t] else ""
        print(f"{t:<{width}} {sent[t]:>9} rows{note}")
    print(f"{sum(sent.values())} rows copied into {len(order)} tables; ANALYZE done")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Fail as e:
        sys.stderr.write(f"ledger_to_pg: {e}\n")
        sys.exit(1)
