// vigil query: one read-only SQL statement over a snapshot's tables.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"
#include "core/result_set.hpp"
#include "store/sqlite.hpp"

namespace vigil::store {

struct StatementReads {
  std::set<std::string, std::less<>> tables;   // snapshot tables it reads
  std::set<std::string, std::less<>> events;   // event tables it reads (vigil watch's)
  std::set<std::string, std::less<>> columns;  // column names it reads, of any of them
};

// What a statement reads, learnt by compiling it against the empty schema, so a query
// collects only the tables (and the costly columns) it names, as osquery generates only
// the tables a query names. Syntax errors and unknown tables are the error.
expected<StatementReads, std::string> statement_reads(std::string_view sql);

// Runs exactly one statement that changes nothing (no INSERT, no ATTACH of another file).
expected<ResultSet, std::string> run_query(Database& db, std::string_view sql);

}  // namespace vigil::store
