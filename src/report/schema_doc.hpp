// The documentation of every table and column, derived from the typed rows.
#pragma once

#include <string>

namespace vigil::report {

// docs/TABLES.md: one section per table, a row per column with its type and meaning.
std::string tables_markdown();
// A plain listing for the terminal.
std::string tables_text();

}  // namespace vigil::report
