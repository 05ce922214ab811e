// Query results as an aligned table, JSON (an array of objects) or CSV (RFC 4180).
#pragma once

#include <ostream>

#include "store/query.hpp"

namespace vigil::report {

void render_result_table(const store::ResultSet& r, std::ostream& out);
void render_result_json(const store::ResultSet& r, std::ostream& out);
void render_result_csv(const store::ResultSet& r, std::ostream& out);

}  // namespace vigil::report
