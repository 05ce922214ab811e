// ECS JSON objects for findings and rows.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "collect/snapshot.hpp"
#include "core/finding.hpp"
#include "core/table.hpp"
#include "core/time_format.hpp"

namespace vigil::report {

// Sets a.b.c = v inside doc; a second value for the same key turns it into an array.
void set_dotted(nlohmann::json& doc, const std::string& key, nlohmann::json v);
// One finding as an ECS alert document; evidence keys become nested objects.
nlohmann::json finding_to_ecs(const Finding& f, const collect::HostInfo& host);
// The finding back from such a document (a bundle's triage.json): rule, title, why, remedy,
// severity, source, ATT&CK, and every other leaf as evidence under its dotted key (arrays as
// repeated keys). The recorded fingerprint is returned beside it: evidence order is not kept.
Finding finding_from_ecs(const nlohmann::json& doc, std::string* fingerprint = nullptr);

template <TableRow Row>
nlohmann::json row_to_json(const Row& row) {
  nlohmann::json j = nlohmann::json::object();
  for_each_column(row, [&](const Column& c, const auto& v) { j[std::string(c.name)] = v; });
  return j;
}

template <TableRow Row>
nlohmann::json table_to_json(const std::vector<Row>& rows) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& r : rows) a.push_back(row_to_json(r));
  return a;
}

}  // namespace vigil::report
