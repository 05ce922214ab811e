// Query results as an aligned table, JSON (an array of objects) or CSV (RFC 4180).
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "core/result_set.hpp"

namespace vigil::report {

// A cell as text ("" for NULL).
std::string cell_text(const SqlValue& v);
// The rows as a JSON array of objects keyed by column (numbers stay numbers).
nlohmann::json result_rows_json(const ResultSet& r);

void render_result_table(const ResultSet& r, std::ostream& out);
void render_result_json(const ResultSet& r, std::ostream& out);
void render_result_csv(const ResultSet& r, std::ostream& out);
// One JSON object per row and line.
void render_result_jsonl(const ResultSet& r, std::ostream& out);

}  // namespace vigil::report
