// Schema generation and reconciliation.
#include "store/schema.hpp"

#include <fmt/format.h>

#include <set>

#include <stdexcept>

#include "collect/tables.hpp"

namespace vigil::store {

const std::vector<TableSql>& snapshot_tables() {
  static const std::vector<TableSql> tables = [] {
    std::vector<TableSql> out;
    collect::for_each_table_type(
        [&]<class Row>(std::string_view) { out.push_back(table_sql<Row>("snapshots", "snapshot_id")); });
    return out;
  }();
  return tables;
}

const TableSql& generated_table(std::string_view name) {
  for (const auto& t : snapshot_tables())
    if (t.name == name) return t;
  throw std::out_of_range(std::string(name));
}

namespace {

std::string column_def(const ColumnSql& c) {
  // A default lets older snapshots gain a column added later.
  return fmt::format("{} {} NOT NULL DEFAULT {}", quote_identifier(c.name), c.type, c.type == "TEXT" ? "''" : "0");
}

}  // namespace

std::string create_table_sql(const TableSql& t, std::string_view schema) {
  const std::string in = schema.empty() ? std::string() : quote_identifier(schema) + ".";
  if (t.parent.empty()) {
    std::string sql = fmt::format("CREATE TABLE {}{} (", in, quote_identifier(t.name));
    for (std::size_t i = 0; i < t.columns.size(); ++i) sql += (i ? ", " : "") + column_def(t.columns[i]);
    const auto first = t.columns.at(0).name;
    return sql + fmt::format(");\nCREATE INDEX {}{} ON {}({});\n", in,
                             quote_identifier(std::string(t.name) + "_by_" + std::string(first)),
                             quote_identifier(t.name), quote_identifier(first));
  }
  std::string sql = fmt::format("CREATE TABLE {}{} ({} INTEGER NOT NULL REFERENCES {}(id) ON DELETE CASCADE",
                                in, quote_identifier(t.name), t.key, t.parent);
  for (const auto& c : t.columns) sql += ", " + column_def(c);
  sql += fmt::format(");\nCREATE INDEX {}{} ON {}({});\n", in, quote_identifier(std::string(t.name) + "_by_parent"),
                     quote_identifier(t.name), t.key);
  return sql;
}

std::string insert_sql(const TableSql& t) {
  if (t.parent.empty()) {
    std::string marks = "?";
    for (std::size_t i = 1; i < t.columns.size(); ++i) marks += ", ?";
    return fmt::format("INSERT INTO {}({}) VALUES({})", quote_identifier(t.name), column_list(t), marks);
  }
  std::string marks = "?";
  for (std::size_t i = 0; i < t.columns.size(); ++i) marks += ", ?";
  return fmt::format("INSERT INTO {}({}, {}) VALUES({})", quote_identifier(t.name), t.key, column_list(t), marks);
}

std::string column_list(const TableSql& t) {
  std::string out;
  for (const auto& c : t.columns) {
    if (!out.empty()) out += ", ";
    out += quote_identifier(c.name);
  }
  return out;
}

expected<void, std::string> reconcile_table(Database& db, const TableSql& t) {
  auto info = db.prepare(fmt::format("PRAGMA table_info({})", quote_identifier(t.name)));
  if (!info) return make_unexpected(db.path() + ": " + info.error());
  std::set<std::string, std::less<>> have;
  while (info->step() == SQLITE_ROW) have.insert(info->text(1));
  if (have.empty()) return db.exec(create_table_sql(t));
  for (const auto& c : t.columns)
    if (!have.contains(c.name))
      if (auto r = db.exec(fmt::format("ALTER TABLE {} ADD COLUMN {}", quote_identifier(t.name), column_def(c))); !r)
        return r;
  return {};
}

expected<void, std::string> reconcile_tables(Database& db) {
  for (const auto& t : snapshot_tables())
    if (auto r = reconcile_table(db, t); !r) return r;
  return {};
}

}  // namespace vigil::store
