// SQL for the snapshot tables, generated from the typed rows' column lists: a new collector
// gets its store table, its query view and its columns' types with no hand-written SQL.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"
#include "core/table.hpp"
#include "store/sqlite.hpp"

namespace vigil::store {

struct ColumnSql {
  std::string_view name;
  std::string_view type;  // INTEGER or TEXT (booleans are INTEGER 0/1)
};

struct TableSql {
  std::string_view name;
  std::vector<ColumnSql> columns;
  // Rows belong to one row of `parent`, named by the column `key`; an empty parent makes a
  // table of its own (the event tables), indexed by its first column instead.
  std::string_view parent = "snapshots";
  std::string_view key = "snapshot_id";
};

// The table of a typed row (core/table.hpp), its rows belonging to one row of `parent`.
template <TableRow Row>
TableSql table_sql(std::string_view parent, std::string_view key) {
  TableSql t{Row::kTable, {}, parent, key};
  auto types = column_types<Row>();
  for (std::size_t i = 0; i < Row::kColumns.size(); ++i)
    t.columns.push_back({Row::kColumns[i].name, types[i] == ColumnType::text ? "TEXT" : "INTEGER"});
  return t;
}

// Every snapshot table, in the order of collect::for_each_table.
const std::vector<TableSql>& snapshot_tables();
// One snapshot table by name; throws for an unknown one.
const TableSql& generated_table(std::string_view name);

// CREATE TABLE for one generated table: the row's columns after the parent key; in `schema`
// (an attached database's name) when one is given.
std::string create_table_sql(const TableSql& t, std::string_view schema = {});
// INSERT INTO t(parent key, columns…) VALUES(?, …): parameter 1 is the parent id, the row's
// columns follow (store::bind_row(st, 2, row)); without a parent the columns start at 1.
std::string insert_sql(const TableSql& t);
// "a","b","c": the table's columns, quoted, for SELECT and INSERT lists.
std::string column_list(const TableSql& t);

// Creates the table when missing and adds missing columns (a newer vigil's rows); columns
// the code no longer has are left in place. Run inside the caller's transaction. The store
// reconciles the snapshot tables when it opens; an engine that keeps its own generated table
// in the store (fim's entries) reconciles it before use.
expected<void, std::string> reconcile_table(Database& db, const TableSql& t);
expected<void, std::string> reconcile_tables(Database& db);

}  // namespace vigil::store
