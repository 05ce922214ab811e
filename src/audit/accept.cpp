#include "audit/accept.hpp"

#include <fmt/format.h>

namespace vigil::audit {

std::size_t accept_failures(const std::vector<Suppression>& rules, AuditResult& r) {
  std::size_t n = 0;
  for (auto& p : r.policies)
    for (auto& c : p.checks) {
      if (c.status != Status::failed) continue;
      Finding f;
      f.rule = fmt::format("audit.{}.{}", c.policy_id, c.check_id);
      f.add("policy", c.policy_id).add("check.id", c.check_id).add("check.title", c.title);
      for (const auto& s : rules) {
        if (!s.matches(f)) continue;
        c.status = Status::not_applicable;
        c.reason = fmt::format("accepted (suppression line {}): {}", s.line, s.reason);
        ++n;
        break;
      }
    }
  r.suppressed += n;
  return n;
}

}  // namespace vigil::audit
