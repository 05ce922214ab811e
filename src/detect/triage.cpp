// The list of triage detectors, and collection gaps as findings.
#include <array>

#include "core/rule_catalog.hpp"
#include "detect/detectors.hpp"

namespace vigil::detect {

Findings detect_collector_issues(const collect::Snapshot& s, const Context&) {
  return partial_findings(s.issues.issues(), "collect/");
}

std::span<const Detector> triage_detectors() {
  static constexpr std::array kDetectors = std::to_array<Detector>({
      {"processes", detect_processes},
      {"network", detect_network},
      {"accounts", detect_accounts},
      {"logins", detect_logins},
      {"persistence", detect_persistence},
      {"ssh", detect_ssh},
      {"rootkit", detect_rootkit},
      {"files", detect_files},
      {"collection", detect_collector_issues},
  });
  return kDetectors;
}

Findings run_triage(const collect::Snapshot& s, const Context& ctx) {
  Findings all;
  for (const auto& d : triage_detectors()) {
    auto f = d.run(s, ctx);
    all.insert(all.end(), std::make_move_iterator(f.begin()), std::make_move_iterator(f.end()));
  }
  sort_findings(all);
  return all;
}

}  // namespace vigil::detect
