// Two audit results side by side (a baseline and now, two hosts, a host and a reference):
// what changed, newly failing checks first.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit/result.hpp"

namespace vigil::audit {

enum class Change { newly_failing, newly_passing, became_applicable, became_not_applicable, added, removed, same };
std::string_view change_name(Change c);

struct CheckComparison {
  std::string policy_id, check_id, title;
  std::optional<Status> before, after;  // empty: the check is not in that result
  Change change = Change::same;
  std::string evidence;  // the current evidence (or the baseline's, for a removed check)
};

struct Comparison {
  std::vector<CheckComparison> rows;  // every check of either side, most urgent first
  Score before, after;
  std::size_t changed() const;
};

Comparison compare_results(const AuditResult& before, const AuditResult& after);

}  // namespace vigil::audit
