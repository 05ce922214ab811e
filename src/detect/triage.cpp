// The list of triage detectors, and collection gaps as findings.
#include <array>
#include <map>

#include "detect/detectors.hpp"
#include "detect/rule_catalog.hpp"

namespace vigil::detect {

Findings detect_collector_issues(const collect::Snapshot& s, const Context&) {
  // Grouped by collector and reason, so 300 unreadable fds are one line, not 300.
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> groups;
  for (const auto& i : s.issues.issues()) groups[{i.collector, i.detail}].push_back(i.path);
  Findings out;
  for (const auto& [key, paths] : groups) {
    auto f = make_finding("collector.partial", Severity::info, "collect/" + key.first,
                          "Collector " + key.first + ": " + key.second + ".");
    f.add("vigil.collector", key.first);
    f.add("error.message", key.second);
    f.add("vigil.count", static_cast<std::int64_t>(paths.size()));
    std::string examples;
    for (std::size_t i = 0; i < paths.size() && i < 5; ++i) examples += (i ? ", " : "") + paths[i];
    f.add("file.path", examples);
    out.push_back(std::move(f));
  }
  return out;
}

std::span<const Detector> triage_detectors() {
  static constexpr std::array kDetectors = std::to_array<Detector>({
      {"processes", detect_processes},
      {"network", detect_network},
      {"accounts", detect_accounts},
      {"logins", detect_logins},
      {"persistence", detect_persistence},
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
