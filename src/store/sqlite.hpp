// A thin RAII layer over SQLite: a connection, prepared statements, errors as values.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/expected.hpp"
#include "core/result_set.hpp"

namespace vigil::store {

class Statement {
 public:
  Statement() = default;
  explicit Statement(sqlite3_stmt* s) : stmt_(s) {}

  void bind(int index, std::int64_t v) { sqlite3_bind_int64(stmt_.get(), index, v); }
  void bind(int index, bool v) { sqlite3_bind_int64(stmt_.get(), index, v ? 1 : 0); }
  void bind(int index, std::string_view v) {
    sqlite3_bind_text(stmt_.get(), index, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return sqlite3_step(stmt_.get()); }
  void reset() {
    sqlite3_reset(stmt_.get());
    sqlite3_clear_bindings(stmt_.get());
  }
  int columns() const { return sqlite3_column_count(stmt_.get()); }
  std::string_view column_name(int i) const { return sqlite3_column_name(stmt_.get(), i); }
  std::int64_t integer(int i) const { return sqlite3_column_int64(stmt_.get(), i); }
  std::string text(int i) const;
  SqlValue value(int i) const;
  sqlite3_stmt* get() const { return stmt_.get(); }

 private:
  struct Finalize {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
  };
  std::unique_ptr<sqlite3_stmt, Finalize> stmt_;
};

class Database {
 public:
  // SQLITE_OPEN_* flags; the error names the file and SQLite's reason.
  static expected<Database, std::string> open(const std::string& path, int flags);

  expected<void, std::string> exec(const std::string& sql);
  // BEGIN IMMEDIATE, body, COMMIT; ROLLBACK when the body fails (its error is returned).
  expected<void, std::string> transaction(const std::function<expected<void, std::string>()>& body);
  expected<Statement, std::string> prepare(std::string_view sql);
  // The one integer a statement such as "PRAGMA user_version" returns.
  expected<std::int64_t, std::string> scalar(std::string_view sql);
  std::string error() const { return sqlite3_errmsg(db_.get()); }
  sqlite3* get() const { return db_.get(); }
  const std::string& path() const { return path_; }

 private:
  struct Close {
    void operator()(sqlite3* d) const { sqlite3_close_v2(d); }
  };
  std::unique_ptr<sqlite3, Close> db_;
  std::string path_;
};

// Quotes an identifier for SQL: "name" with inner quotes doubled.
std::string quote_identifier(std::string_view name);

}  // namespace vigil::store
