// Finding helpers.
#include "core/finding.hpp"

#include <algorithm>
#include <string>

namespace vigil {

std::string evidence_text(const EvidenceValue& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return std::to_string(std::get<std::int64_t>(v));
}

std::string Finding::get(std::string_view key) const {
  for (const auto& e : evidence)
    if (e.key == key) return evidence_text(e.value);
  return {};
}

void sort_findings(Findings& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    if (a.severity != b.severity) return a.severity > b.severity;
    return a.rule < b.rule;
  });
}

}  // namespace vigil
