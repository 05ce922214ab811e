// vigil query: one read-only SQL statement over a snapshot's tables.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"
#include "store/sqlite.hpp"

namespace vigil::store {

struct ResultSet {
  std::vector<std::string> columns;
  std::vector<std::vector<SqlValue>> rows;
};

// The snapshot tables a statement reads, learnt by compiling it against the empty schema
// (as osquery generates only the tables a query names). Syntax errors and unknown tables
// are the error.
expected<std::set<std::string, std::less<>>, std::string> tables_read(std::string_view sql);

// Runs exactly one statement that changes nothing (no INSERT, no ATTACH of another file).
expected<ResultSet, std::string> run_query(Database& db, std::string_view sql);

}  // namespace vigil::store
