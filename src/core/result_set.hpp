// A table of typed cells with named columns: what a query returns and what the audit
// reports build, for the table, JSON, CSV, HTML and XLSX renderers alike.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace vigil {

// One cell: NULL, an integer, a real or text (SQLite's types).
using SqlValue = std::variant<std::monostate, std::int64_t, double, std::string>;

struct ResultSet {
  std::vector<std::string> columns;
  std::vector<std::vector<SqlValue>> rows;
};

}  // namespace vigil
