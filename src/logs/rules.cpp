// Loading the log rules.
#include "logs/rules.hpp"

#include <array>

namespace vigil::logs {

LogRules load_log_rules(const std::vector<std::string>& paths) {
  LogRules out;
  auto files = sigma::load_rule_paths(paths);
  out.files = files.files;
  out.problems = std::move(files.problems);
  out.rules = sigma::RuleSet::compile(std::move(files.rules), out.problems);
  out.correlations = CorrelationSet(std::move(files.correlations), out.rules.rules(), out.problems);
  for (const auto& r : out.rules.rules()) out.loaded.push_back(r.meta);
  for (const auto& c : out.correlations.correlations()) out.loaded.push_back(c.meta);
  return out;
}

std::span<const std::string_view> builtin_rule_ids() {
  static constexpr std::array kIds = {kSlowBruteForce, kNewLoginSource};
  return kIds;
}

}  // namespace vigil::logs
