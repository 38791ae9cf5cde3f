// Where the unit tests open their ledgers: the SQLite file they name, or - when the test binary
// runs with ISTD_TEST_PG_STATE (tests/ledger/postgresql.cmake) - a schema of its own on the
// throwaway PostgreSQL server of that state directory. One file path is one schema for the
// whole process, so a test that reopens its ledger finds its rows again.
#pragma once

#include <doctest/doctest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>

namespace istd::test {

/// True when the ledgers of this run are on PostgreSQL.
inline bool ledger_on_postgresql() {
  const char* e = std::getenv("ISTD_TEST_PG_STATE");
  return e && *e;
}

/// The ledger location for `file`: `file` itself, or a PostgreSQL URL (see above).
inline std::filesystem::path ledger_at(const std::filesystem::path& file) {
  if (!ledger_on_postgresql()) return file;
  static std::mutex mutex;
  static std::map<std::string, std::string> urls;
  static int made = 0;
  std::lock_guard lock(mutex);
  auto it = urls.find(file.string());
  if (it != urls.end()) return it->second;
  std::string base;
  std::ifstream(std::filesystem::path(std::getenv("ISTD_TEST_PG_STATE")) / "url") >> base;
  if (base.empty()) throw std::runtime_error("ISTD_TEST_PG_STATE: no url (is the cluster up?)");
  const std::string schema = "t" + std::to_string(::getpid()) + "_" + std::to_string(++made);
  PGconn* c = PQconnectdb(base.c_str());
  PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);
  PGresult* r = PQexec(c, ("DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " +
                           schema).c_str());
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  const std::string why = PQerrorMessage(c);
  PQclear(r);
  PQfinish(c);
  if (!ok) throw std::runtime_error("cannot make a test schema: " + why);
  const std::string url = base + "&options=-csearch_path%3D" + schema;
  urls.emplace(file.string(), url);
  return url;
}

/// Runs `sql` on a connection of its own to the PostgreSQL ledger at `where`, committed at once:
/// another process writing while a transaction of the test is open.
inline void commit_elsewhere(const std::string& where, const std::string& sql) {
  PGconn* other = PQconnectdb(where.c_str());
  PGresult* r = PQexec(other, sql.c_str());
  const bool done = PQresultStatus(r) == PGRES_COMMAND_OK;
  const std::string why = PQerrorMessage(other);
  PQclear(r);
  PQfinish(other);
  REQUIRE_MESSAGE(done, why);
}

/// The first column of the first row `sql` gives on a connection of its own to the PostgreSQL
/// ledger at `where`.
inline std::string read_elsewhere(const std::string& where, const std::string& sql) {
  PGconn* other = PQconnectdb(where.c_str());
  PGresult* r = PQexec(other, sql.c_str());
  const bool found = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0;
  const std::string value = found ? PQgetvalue(r, 0, 0) : "";
  const std::string why = PQerrorMessage(other);
  PQclear(r);
  PQfinish(other);
  REQUIRE_MESSAGE(found, why);
  return value;
}

}  // namespace istd::test
