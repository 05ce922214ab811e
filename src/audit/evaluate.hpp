// Evaluates checks against a root: files and directories through the Root (never escaping
// it), processes and commands only on the live host.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "audit/policy.hpp"
#include "audit/result.hpp"
#include "core/root.hpp"

namespace vigil::audit {

struct EvalOptions {
  bool run_commands = true;  // false: --no-commands (and always under --root)
  std::chrono::milliseconds command_timeout{30000};
};

class Evaluator {
 public:
  Evaluator(const Root& root, EvalOptions options);
  // Thread-safe: checks may be evaluated in parallel.
  CheckResult evaluate(const Check& check) const;

 private:
  struct ProcessName {
    std::string comm, argv0;
  };
  const std::vector<ProcessName>& processes() const;
  // Names from the inspected root's /etc/passwd and /etc/group (never the analyst's).
  std::string user_name(unsigned uid) const;
  std::string group_name(unsigned gid) const;

  friend struct RuleRunner;
  const Root& root_;
  EvalOptions options_;
  mutable std::once_flag processes_once_;
  mutable std::vector<ProcessName> processes_;
  mutable std::once_flag names_once_;
  mutable std::map<unsigned, std::string> users_, groups_;
};

// The check's result, filled with its metadata (title, rationale, …) for reports.
CheckResult describe(const Check& check, std::string_view policy_id);

}  // namespace vigil::audit
