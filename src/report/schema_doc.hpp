// The documentation of every table and column, derived from the typed rows.
#pragma once

#include <string>

#include "core/result_set.hpp"

namespace vigil::report {

// docs/TABLES.md: one section per table, a row per column with its type and meaning.
std::string tables_markdown();
// A plain listing for the terminal.
std::string tables_text();
// Every column as a row: table, column, type, where it is collected, meaning.
ResultSet tables_rows();

}  // namespace vigil::report
