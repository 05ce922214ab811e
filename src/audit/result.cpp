// Result names and scores.
#include "audit/result.hpp"

namespace vigil::audit {

std::string_view status_name(Status s) {
  switch (s) {
    case Status::passed: return "passed";
    case Status::failed: return "failed";
    case Status::not_applicable: return "not applicable";
  }
  return "?";
}

Score PolicyResult::score() const {
  Score s;
  for (const auto& c : checks) {
    if (c.status == Status::passed) ++s.passed;
    else if (c.status == Status::failed) ++s.failed;
    else ++s.not_applicable;
  }
  return s;
}

Score AuditResult::score() const {
  Score s;
  for (const auto& p : policies)
    if (p.ran) s += p.score();
  return s;
}

}  // namespace vigil::audit
