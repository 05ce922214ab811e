// SQLite wrapper.
#include "store/sqlite.hpp"

namespace vigil::store {

std::string Statement::text(int i) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_.get(), i));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), i))) : std::string();
}

SqlValue Statement::value(int i) const {
  switch (sqlite3_column_type(stmt_.get(), i)) {
    case SQLITE_NULL: return std::monostate{};
    case SQLITE_INTEGER: return integer(i);
    case SQLITE_FLOAT: return sqlite3_column_double(stmt_.get(), i);
    default: return text(i);  // text, and blobs as their bytes
  }
}

expected<Database, std::string> Database::open(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Database db;
  db.db_.reset(raw);
  db.path_ = path;
  if (rc != SQLITE_OK)
    return make_unexpected(path + ": " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  sqlite3_extended_result_codes(raw, 1);
  return db;
}

expected<void, std::string> Database::exec(const std::string& sql) {
  char* msg = nullptr;
  if (sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
    std::string e = path_ + ": " + (msg ? msg : error());
    sqlite3_free(msg);
    return make_unexpected(std::move(e));
  }
  return {};
}

expected<void, std::string> Database::transaction(const std::function<expected<void, std::string>()>& body) {
  if (auto r = exec("BEGIN IMMEDIATE"); !r) return r;
  auto r = body();
  if (!r) {
    (void)exec("ROLLBACK");
    return r;
  }
  return exec("COMMIT");
}

expected<Statement, std::string> Database::prepare(std::string_view sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &s, nullptr) != SQLITE_OK)
    return make_unexpected(error());
  if (!s) return make_unexpected(std::string("empty statement"));
  return Statement(s);
}

expected<std::int64_t, std::string> Database::scalar(std::string_view sql) {
  auto st = prepare(sql);
  if (!st) return make_unexpected(path_ + ": " + st.error());
  int rc = st->step();
  if (rc == SQLITE_ROW) return st->integer(0);
  if (rc == SQLITE_DONE) return 0;
  return make_unexpected(path_ + ": " + error());
}

std::string quote_identifier(std::string_view name) {
  std::string q = "\"";
  for (char c : name) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

}  // namespace vigil::store
