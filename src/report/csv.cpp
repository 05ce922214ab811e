// Findings as CSV, one row each.
#include <fmt/format.h>

#include "core/result_set.hpp"
#include "report/report.hpp"
#include "report/result_set.hpp"

namespace vigil::report {

ResultSet findings_rows(const TriageReport& r) {
  ResultSet rs;
  rs.columns = {"severity", "rule", "title", "why", "evidence", "remedy", "attack", "source", "fingerprint", "host"};
  for (const auto& f : r.findings) {
    std::string evidence;
    for (const auto& e : f.evidence) evidence += (evidence.empty() ? "" : "; ") + e.key + "=" + evidence_text(e.value);
    rs.rows.push_back({std::string(to_string(f.severity)), f.rule, f.title, f.why, evidence, f.remedy,
                       fmt::format("{}", fmt::join(f.attack, ",")), f.source, f.fingerprint(),
                       r.snapshot ? r.snapshot->host.hostname : std::string()});
  }
  return rs;
}

void render_csv(const TriageReport& r, std::ostream& out) { render_result_csv(findings_rows(r), out); }

}  // namespace vigil::report
