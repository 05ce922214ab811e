// Runs loaded policies against a root: requirements first (a policy whose requirements are
// not met is skipped, as Wazuh does, unless told to ignore them), then every check in parallel.
#pragma once

#include "audit/evaluate.hpp"
#include "audit/policy.hpp"
#include "audit/result.hpp"
#include "core/root.hpp"

namespace vigil::audit {

struct RunOptions {
  EvalOptions eval;
  bool ignore_requirements = false;
  unsigned jobs = 0;  // 0: twice the cores (commands mostly wait)
};

AuditResult run_audit(const PolicySet& set, const Root& root, const RunOptions& options);

}  // namespace vigil::audit
