// Findings (and the inventory) as an .xlsx workbook: the "export to Excel" a responder files.
#include <type_traits>

#include "collect/tables.hpp"
#include "report/report.hpp"
#include "report/xlsx.hpp"

namespace vigil::report {

namespace {

template <class V>
SqlValue to_cell(const V& v) {
  if constexpr (std::is_same_v<V, bool>) return static_cast<std::int64_t>(v);
  else if constexpr (std::is_integral_v<V>) return static_cast<std::int64_t>(v);
  else if constexpr (std::is_floating_point_v<V>) return static_cast<double>(v);
  else return std::string(v);
}

template <TableRow Row>
ResultSet table_rows(const std::vector<Row>& rows) {
  ResultSet rs;
  for (const auto& c : Row::kColumns) rs.columns.emplace_back(c.name);
  for (const auto& row : rows) {
    std::vector<SqlValue> cells;
    for_each_column(row, [&](const Column&, const auto& v) { cells.push_back(to_cell(v)); });
    rs.rows.push_back(std::move(cells));
  }
  return rs;
}

}  // namespace

expected<void, std::string> render_xlsx(const TriageReport& r, std::ostream& out) {
  std::vector<Sheet> sheets{{"Findings", findings_rows(r)}};
  if (r.inventory && r.snapshot)
    collect::for_each_table(*r.snapshot, [&]<class Row>(std::string_view, const std::vector<Row>& rows) {
      if (r.snapshot->has(Row::kTable)) sheets.push_back({std::string(Row::kTable), table_rows(rows)});
    });
  auto bytes = xlsx_bytes(sheets);
  if (!bytes) return make_unexpected(bytes.error());
  out << *bytes;
  return {};
}

}  // namespace vigil::report
