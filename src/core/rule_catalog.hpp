// Every triage rule vigil can raise: id, title, why, remedy, ATT&CK, severity range.
// Detectors build findings from here, and `vigil rules` prints it, so docs cannot drift.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "core/finding.hpp"

namespace vigil {

struct RuleInfo {
  std::string_view id;
  std::string_view title;
  std::string_view why;
  std::string_view remedy;
  std::string_view attack;      // comma-separated technique ids
  std::string_view severities;  // the range it is raised at, and what moves it
};

std::span<const RuleInfo> rule_catalog();
const RuleInfo& rule_info(std::string_view id);  // throws std::out_of_range for an unknown id

// The docs/DETECTORS.md text: every rule as a Markdown table.
std::string catalog_markdown();

// A finding for `id` with the catalog's text; `detail`, when given, is added to the why.
Finding make_finding(std::string_view id, Severity severity, std::string_view source,
                     std::string_view detail = {});

}  // namespace vigil
