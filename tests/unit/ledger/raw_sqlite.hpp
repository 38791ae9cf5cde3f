// Test helpers that open a ledger file with SQLite directly, to inspect or damage it the way
// istd itself never would.
#pragma once

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

namespace {

inline void raw_exec(const std::filesystem::path& db, const char* sql) {
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &h) == SQLITE_OK);
  REQUIRE(sqlite3_exec(h, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(h);
}

// Column `col` of every row of `sql`, one line each.
inline std::string raw_query(const std::filesystem::path& db, const std::string& sql, int col = 0) {
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &h) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
  std::string out;
  while (sqlite3_step(st) == SQLITE_ROW) {
    const auto* t = sqlite3_column_text(st, col);
    if (t) out += reinterpret_cast<const char*>(t);
    out += "\n";
  }
  sqlite3_finalize(st);
  sqlite3_close(h);
  return out;
}

}  // namespace
