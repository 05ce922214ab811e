// The log rules in use: the Sigma rules compiled into one matcher, their correlations, what
// could not be loaded and why, and vigil's built-in log detections (the ones Sigma cannot
// express). Loaded once; every stream and the batch scan share it read-only.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "logs/correlate.hpp"
#include "logs/sigma_rule.hpp"
#include "logs/sigma_ruleset.hpp"
#include "logs/web_profile.hpp"

namespace vigil::logs {

struct LogRules {
  sigma::RuleSet rules;
  CorrelationSet correlations;
  std::size_t files = 0;                    // rule files read
  std::vector<sigma::LoadProblem> problems;  // rules and files that did not load, with why
  std::vector<sigma::RuleMeta> loaded;      // every rule and correlation in use, in load order
  std::shared_ptr<const WebProfile> profile;  // a learned web profile every web request is judged by
};

LogRules load_log_rules(const std::vector<std::string>& paths);

// The built-in detections that need the absence of an event (no successful login; a source
// not seen before): ids of the rule catalog (core/rule_catalog.hpp), listed with the Sigma
// rules by `vigil logs rules`.
inline constexpr std::string_view kNewLoginSource = "logs.new-login-source";
inline constexpr std::string_view kSlowBruteForce = "logs.auth-slow-brute-force";
// With the models of a learned web profile (logs.web-profile-*), which report only when one is given.
std::span<const std::string_view> builtin_rule_ids();

}  // namespace vigil::logs
