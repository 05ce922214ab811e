// Sigma correlation rules over the stream of rule matches, in log order: event_count
// (N matches per group within a timespan), value_count (N distinct values of a field),
// temporal (all the rules within the timespan) and temporal_ordered (in that order).
// A correlation may count the firings of another correlation.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "logs/sigma_rule.hpp"

namespace vigil::logs {

struct CorrelationFire {
  std::size_t correlation = 0;
  const std::string* group = nullptr;   // the group-by values joined by '\x1f'
  std::int64_t time = 0;
  double value = 0;                     // the count (or distinct values) that met the condition
};

using FieldLookup = std::function<std::string_view(Field)>;

class Correlator {
 public:
  Correlator(std::vector<sigma::Correlation> correlations, const std::vector<sigma::Rule>& rules,
             std::vector<sigma::LoadProblem>& problems);

  const std::vector<sigma::Correlation>& correlations() const { return corr_; }
  // Every field a match must carry for the correlations: group-by and value_count fields.
  std::vector<Field> needed_fields() const;
  // Whether a rule's own matches are hidden: it feeds a correlation with generate: false.
  bool hides(std::size_t rule) const { return rule < hidden_.size() && hidden_[rule]; }
  bool uses(std::size_t rule) const { return rule < rule_consumers_.size() && !rule_consumers_[rule].empty(); }
  void feed(std::size_t rule, std::int64_t time, const FieldLookup& values,
            const std::function<void(const CorrelationFire&)>& fire);

 private:
  struct Consumer {
    std::size_t correlation;
    std::size_t position;  // which of its rules this input is
  };
  struct Group {
    std::deque<std::int64_t> times;
    std::deque<std::pair<std::int64_t, std::string>> values;
    std::unordered_map<std::string, int> distinct;
    std::vector<std::int64_t> last;   // temporal: last time of each rule
    std::vector<std::int64_t> start;  // temporal_ordered: when the chain up to each step began
  };
  void input(const Consumer& c, std::int64_t time, const std::string& key, const FieldLookup& values,
             const std::function<void(const CorrelationFire&)>& fire, int depth);
  std::string group_key(const sigma::Correlation& c, const FieldLookup& values) const;

  std::vector<sigma::Correlation> corr_;
  std::vector<std::vector<Consumer>> rule_consumers_, corr_consumers_;
  std::vector<bool> hidden_;
  std::vector<std::unordered_map<std::string, Group>> state_;
};

}  // namespace vigil::logs
