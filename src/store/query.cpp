// Query compilation and execution.
#include "store/query.hpp"

#include "core/text.hpp"
#include "store/event_store.hpp"
#include "store/schema.hpp"
#include "store/store.hpp"

namespace vigil::store {

namespace {

int record_reads(void* user, int action, const char* table, const char* column, const char*, const char*) {
  auto* reads = static_cast<StatementReads*>(user);
  if (action == SQLITE_READ && table) {
    reads->tables.insert(table);
    if (column) reads->columns.insert(column);
  }
  return SQLITE_OK;
}

// Queries read; they never reach other files.
int deny_attach(void*, int action, const char*, const char*, const char*, const char*) {
  return action == SQLITE_ATTACH || action == SQLITE_DETACH ? SQLITE_DENY : SQLITE_OK;
}

expected<Statement, std::string> prepare_one(Database& db, std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  if (sqlite3_prepare_v2(db.get(), sql.data(), static_cast<int>(sql.size()), &raw, &tail) != SQLITE_OK)
    return make_unexpected(db.error());
  Statement st(raw);
  if (!raw) return make_unexpected(std::string("no SQL statement given"));
  std::string_view rest(tail, static_cast<std::size_t>(sql.data() + sql.size() - tail));
  while (!rest.empty() && (rest.front() == ';' || std::isspace(static_cast<unsigned char>(rest.front()))))
    rest.remove_prefix(1);
  if (!rest.empty()) return make_unexpected(std::string("one statement at a time, please"));
  return st;
}

}  // namespace

expected<StatementReads, std::string> statement_reads(std::string_view sql) {
  auto store = Store::open_memory();
  if (!store) return make_unexpected(store.error());
  if (auto r = attach_event_tables(store->db(), ""); !r) return make_unexpected(r.error());
  StatementReads reads;
  sqlite3_set_authorizer(store->db().get(), record_reads, &reads);
  auto st = prepare_one(store->db(), sql);
  sqlite3_set_authorizer(store->db().get(), nullptr, nullptr);
  if (!st) {
    auto e = st.error();
    if (e.starts_with("no such table")) e += " (vigil query --tables lists them)";
    return make_unexpected(e);
  }
  StatementReads out;
  for (const auto& t : snapshot_tables())
    if (reads.tables.contains(t.name)) out.tables.emplace(t.name);
  for (const auto& t : reads.tables)
    if (is_event_table(t)) out.events.insert(t);
  out.columns = std::move(reads.columns);
  return out;
}

expected<ResultSet, std::string> run_query(Database& db, std::string_view sql) {
  sqlite3_set_authorizer(db.get(), deny_attach, nullptr);
  auto st = prepare_one(db, sql);
  sqlite3_set_authorizer(db.get(), nullptr, nullptr);
  if (!st) return make_unexpected(st.error());
  if (!sqlite3_stmt_readonly(st->get()))
    return make_unexpected(std::string("vigil query runs statements that only read (SELECT, WITH, read-only PRAGMA)"));
  ResultSet r;
  for (int i = 0; i < st->columns(); ++i) r.columns.emplace_back(st->column_name(i));
  int rc;
  while ((rc = st->step()) == SQLITE_ROW) {
    std::vector<SqlValue> row;
    row.reserve(r.columns.size());
    for (int i = 0; i < st->columns(); ++i) row.push_back(st->value(i));
    r.rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) return make_unexpected(db.error());
  return r;
}

}  // namespace vigil::store
