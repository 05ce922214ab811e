// Collection gaps as findings.
#include "core/collect_issue.hpp"

#include <map>

#include "core/rule_catalog.hpp"

namespace vigil {

Findings partial_findings(const std::vector<CollectIssue>& issues, std::string_view source_prefix) {
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> groups;
  for (const auto& i : issues) groups[{i.collector, i.detail}].push_back(i.path);
  Findings out;
  for (const auto& [key, paths] : groups) {
    auto f = make_finding("collector.partial", Severity::info, std::string(source_prefix) + key.first,
                          "Collector " + key.first + ": " + key.second + ".");
    f.add("vigil.collector", key.first);
    f.add("error.message", key.second);
    f.add("vigil.count", static_cast<std::int64_t>(paths.size()));
    std::string examples;
    for (std::size_t i = 0; i < paths.size() && i < 5; ++i) examples += (i ? ", " : "") + paths[i];
    f.add("file.path", examples);
    f.identity = {"vigil.collector", "error.message"};
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace vigil
