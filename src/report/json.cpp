// JSON Lines (one ECS alert per line) and one JSON document with inventory tables.
#include <nlohmann/json.hpp>

#include "collect/tables.hpp"
#include "report/ecs.hpp"
#include "report/report.hpp"

namespace vigil::report {

using nlohmann::json;

std::array<std::size_t, 5> TriageReport::counts() const {
  std::array<std::size_t, 5> c{};
  for (const auto& f : findings) ++c[static_cast<std::size_t>(f.severity)];
  return c;
}

void render_jsonl(const TriageReport& r, std::ostream& out) {
  for (const auto& f : r.findings)
    out << finding_to_ecs(f, r.snapshot->host).dump(-1, ' ', false, json::error_handler_t::replace)
        << '\n';
}

void render_json(const TriageReport& r, std::ostream& out) {
  const auto& s = *r.snapshot;
  json doc;
  doc["host"] = {{"name", s.host.hostname},
                 {"os", s.host.os},
                 {"kernel", s.host.kernel},
                 {"root", s.host.root},
                 {"live", s.host.live},
                 {"boot_time", s.host.boot_time},
                 {"uptime_seconds", s.host.uptime_seconds},
                 {"collected_at", iso8601(s.host.collected_at)}};
  json counts = json::object();
  auto c = r.counts();
  for (int i = 0; i < 5; ++i)
    counts[std::string(to_string(static_cast<Severity>(i)))] = c[static_cast<std::size_t>(i)];
  doc["summary"] = {
      {"findings", r.findings.size()},
      {"by_severity", counts},
      {"suppressed", r.suppressed},
      {"seconds", r.seconds},
      {"title", r.title}, {"subtitle", r.subtitle},
      {"skipped_tables", s.skipped}, {"skipped_probes", s.probes_skipped},
      {"packages",
       {{"format", std::string(s.packages->format())}, {"count", s.packages->package_count()}}}};
  doc["findings"] = json::array();
  for (const auto& f : r.findings) doc["findings"].push_back(finding_to_ecs(f, s.host));
  if (r.inventory) {
    json inventory = json::object();
    collect::for_each_table(s, [&]<class Row>(std::string_view, const std::vector<Row>& rows) {
      if (s.has(Row::kTable)) inventory[std::string(Row::kTable)] = table_to_json(rows);
    });
    doc["inventory"] = std::move(inventory);
  }
  out << doc.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
}

}  // namespace vigil::report
