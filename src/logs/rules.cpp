// Loading the log rules.
#include "logs/rules.hpp"

#include <array>
#include <unordered_map>

namespace vigil::logs {

namespace {

// Two rules with one id (SigmaHQ forks, a copied file) must not merge into one finding: the
// second becomes <id>-2, and so on.
void assign_finding_ids(sigma::RuleFiles& files) {
  std::unordered_map<std::string, int> seen;
  auto assign = [&](sigma::RuleMeta& m) {
    std::string id = sigma::finding_rule_id(m);
    int n = ++seen[id];
    m.finding_id = n == 1 ? id : id + "-" + std::to_string(n);
  };
  for (auto& r : files.rules) assign(r.meta);
  for (auto& c : files.correlations) assign(c.meta);
}

}  // namespace

LogRules load_log_rules(const std::vector<std::string>& paths) {
  LogRules out;
  auto files = sigma::load_rule_paths(paths);
  assign_finding_ids(files);
  out.files = files.files;
  out.problems = std::move(files.problems);
  out.rules = sigma::RuleSet::compile(std::move(files.rules), out.problems);
  out.correlations = CorrelationSet(std::move(files.correlations), out.rules.rules(), out.problems);
  for (const auto& r : out.rules.rules()) out.loaded.push_back(r.meta);
  for (const auto& c : out.correlations.correlations()) out.loaded.push_back(c.meta);
  return out;
}

std::span<const std::string_view> builtin_rule_ids() {
  static constexpr std::array kIds = {kSlowBruteForce,
                                      kNewLoginSource,
                                      std::string_view("logs.web-profile-unknown-path"),
                                      std::string_view("logs.web-profile-unknown-extension"),
                                      std::string_view("logs.web-profile-unknown-parameter"),
                                      std::string_view("logs.web-profile-missing-parameter"),
                                      std::string_view("logs.web-profile-value-length"),
                                      std::string_view("logs.web-profile-value-characters"),
                                      std::string_view("logs.web-profile-value-enumeration")};
  return kIds;
}

}  // namespace vigil::logs
