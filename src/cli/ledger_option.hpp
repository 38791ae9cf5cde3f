// The --db option every ledger command shares: an SQLite file or a PostgreSQL URL.
#pragma once

#include <filesystem>
#include <string>

#include <CLI/CLI.hpp>

namespace istd::cli {

/// Adds the required `--db` option. `must_exist`: the ledger is read, not created (an SQLite
/// file must then exist; a PostgreSQL ledger is checked when it is opened).
inline CLI::Option* add_ledger_option(CLI::App& app, std::string& db, bool must_exist) {
  const std::string what =
      must_exist ? "The ledger written by istd ingest: its SQLite file"
                 : "The ledger: an SQLite file (created on first use)";
  auto* o = app.add_option(
      "--db", db,
      what +
          ", or a PostgreSQL database that several istd processes share: "
          "postgresql://USER@HOST[:PORT]/DBNAME (host=/DIR for a Unix socket, e.g. "
          "postgresql://istd@/istd?host=/run/postgresql). Keep a password out of the command "
          "line: PostgreSQL's PGPASSWORD or ~/.pgpass are read. See docs/postgresql.md");
  o->required();
  if (must_exist)
    o->check(CLI::Validator(
        [](std::string& v) -> std::string {
          if (v.starts_with("postgresql://") || v.starts_with("postgres://")) return {};
          std::error_code ec;
          if (!std::filesystem::is_regular_file(v, ec))
            return "no ledger file " + v + " (give the file istd ingest wrote, or a "
                   "postgresql:// URL)";
          return {};
        },
        "FILE|URL"));
  return o;
}

}  // namespace istd::cli
