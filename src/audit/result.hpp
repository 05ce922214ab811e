// What an audit found: each check passed, failed or not applicable, with the evidence that
// decided it, and the score (passed / applicable) per policy and overall.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "audit/policy.hpp"

namespace vigil::audit {

enum class Status { passed, failed, not_applicable };
std::string_view status_name(Status s);  // "passed", "failed", "not applicable"

struct CheckResult {
  std::string policy_id, check_id, title;
  Status status = Status::not_applicable;
  std::string reason;                 // not applicable: why
  std::vector<std::string> evidence;  // what decided it: matching lines, missing files, output
  std::string rationale, remediation, condition;
  std::vector<std::string> references, rules, mitre;  // mitre: "T1110 Brute Force", "M1027 Password Policies"
  std::string compliance;                             // "pci_dss: 2.2.4; nist_800_53: CM.1"
};

struct Score {
  std::size_t passed = 0, failed = 0, not_applicable = 0;
  std::size_t applicable() const { return passed + failed; }
  Score& operator+=(const Score& o) {
    passed += o.passed;
    failed += o.failed;
    not_applicable += o.not_applicable;
    return *this;
  }
  double percent() const { return applicable() ? 100.0 * passed / applicable() : 0.0; }
};

struct PolicyResult {
  std::string id, name, description, file;
  bool ran = true;           // false when its requirements were not met
  std::string skipped_why;   // …and why
  std::vector<CheckResult> checks;
  Score score() const;
};

struct AuditResult {
  std::string hostname, root;
  bool live = true;
  std::int64_t started_at = 0;  // epoch seconds
  double seconds = 0;
  std::vector<PolicyResult> policies;
  std::vector<LoadProblem> problems;
  std::size_t suppressed = 0;  // failed checks accepted by the suppression file
  Score score() const;  // over every policy that ran
};

}  // namespace vigil::audit
