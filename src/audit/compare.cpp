// Checks are matched by (policy id, check id); the order is by urgency, then policy order.
#include "audit/compare.hpp"

#include <algorithm>
#include <map>

namespace vigil::audit {

std::string_view change_name(Change c) {
  switch (c) {
    case Change::newly_failing: return "newly failing";
    case Change::newly_passing: return "fixed";
    case Change::became_applicable: return "now applicable";
    case Change::became_not_applicable: return "no longer applicable";
    case Change::added: return "new check";
    case Change::removed: return "check removed";
    case Change::same: return "unchanged";
  }
  return "?";
}

std::size_t Comparison::changed() const {
  return static_cast<std::size_t>(std::count_if(rows.begin(), rows.end(), [](const auto& r) { return r.change != Change::same; }));
}

namespace {

Change classify(std::optional<Status> before, std::optional<Status> after) {
  if (!before) return after == Status::failed ? Change::newly_failing : Change::added;
  if (!after) return Change::removed;
  if (*before == *after) return Change::same;
  if (*after == Status::failed) return Change::newly_failing;
  if (*after == Status::passed) return *before == Status::failed ? Change::newly_passing : Change::became_applicable;
  return Change::became_not_applicable;
}

int urgency(Change c) {
  switch (c) {
    case Change::newly_failing: return 0;
    case Change::became_not_applicable: return 1;
    case Change::removed: return 2;
    case Change::added: return 3;
    case Change::became_applicable: return 4;
    case Change::newly_passing: return 5;
    case Change::same: return 6;
  }
  return 7;
}

}  // namespace

Comparison compare_results(const AuditResult& before, const AuditResult& after) {
  Comparison out;
  out.before = before.score();
  out.after = after.score();
  std::map<std::pair<std::string, std::string>, const CheckResult*> old;
  for (const auto& p : before.policies)
    for (const auto& c : p.checks) old[{c.policy_id, c.check_id}] = &c;
  for (const auto& p : after.policies) {
    for (const auto& c : p.checks) {
      CheckComparison row{c.policy_id, c.check_id, c.title, std::nullopt, c.status, Change::same,
                          c.evidence.empty() ? c.reason : c.evidence.front()};
      if (auto it = old.find({c.policy_id, c.check_id}); it != old.end()) {
        row.before = it->second->status;
        old.erase(it);
      }
      row.change = classify(row.before, row.after);
      out.rows.push_back(std::move(row));
    }
  }
  for (const auto& p : before.policies)
    for (const auto& c : p.checks)
      if (old.count({c.policy_id, c.check_id}))
        out.rows.push_back({c.policy_id, c.check_id, c.title, c.status, std::nullopt, Change::removed,
                            c.evidence.empty() ? c.reason : c.evidence.front()});
  std::stable_sort(out.rows.begin(), out.rows.end(),
                   [](const auto& a, const auto& b) { return urgency(a.change) < urgency(b.change); });
  return out;
}

}  // namespace vigil::audit
