// An SCA policy as loaded: Wazuh's format (policy, requirements, variables, checks), plus the
// fields vigil's own policies add (mitre.mitigation). Load problems are data: a check that
// cannot be evaluated keeps its place with the reason, and a broken file does not stop others.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "audit/sca_rule.hpp"

namespace vigil::audit {

enum class Condition { all, any, none };

struct MitreRef {
  std::string id, name;
};

struct Check {
  std::string id;
  std::string title, description, rationale, remediation, impact;
  std::vector<std::string> references;
  std::map<std::string, std::vector<std::string>> compliance;
  std::vector<MitreRef> tactics, techniques, mitigations;
  Condition condition = Condition::all;
  std::vector<Rule> rules;
  std::vector<std::string> rule_sources;
  std::string unevaluable;  // why the engine cannot run this check; empty when it can
};

struct Policy {
  std::string id, file, name, description, path;
  std::vector<std::string> references;
  bool has_requirements = false;
  Check requirements;
  std::vector<Check> checks;
};

struct LoadProblem {
  std::string file;
  std::string check;  // the check id, or "" for the whole file
  std::string message;
};

struct PolicySet {
  std::vector<Policy> policies;
  std::vector<LoadProblem> problems;
};

// One policy file's text; `path` names it in messages. A file with no usable policy adds
// problems and no policy.
void parse_policy(std::string_view text, const std::string& path, PolicySet& out);
// Files (*.yml, *.yaml) and directories of them, in name order. A second policy with an id
// already loaded is refused.
PolicySet load_policies(const std::vector<std::string>& paths);

std::string_view condition_name(Condition c);

}  // namespace vigil::audit
