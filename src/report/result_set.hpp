// Query results as an aligned table, JSON (an array of objects) or CSV (RFC 4180).
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "store/query.hpp"

namespace vigil::report {

// A cell as text ("" for NULL).
std::string cell_text(const store::SqlValue& v);
// The rows as a JSON array of objects keyed by column (numbers stay numbers).
nlohmann::json result_rows_json(const store::ResultSet& r);

void render_result_table(const store::ResultSet& r, std::ostream& out);
void render_result_json(const store::ResultSet& r, std::ostream& out);
void render_result_csv(const store::ResultSet& r, std::ostream& out);

}  // namespace vigil::report
