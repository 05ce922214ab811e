// Sigma correlation rules over the stream of rule matches, in log order: event_count
// (N matches per group within a timespan), value_count (N distinct values of a field),
// temporal (all the rules within the timespan) and temporal_ordered (in that order).
// A correlation may count the firings of another correlation.
//
// Split in two: the CorrelationSet (which rules feed which correlation; loaded once, shared)
// and a CorrelationState per stream (the open windows), which expires what has left every
// window and saves and restores itself, so a long-running reader stays bounded and survives
// a restart.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "logs/sigma_rule.hpp"

namespace vigil::logs {

struct CorrelationFire {
  std::size_t correlation = 0;
  std::string group;  // the group-by values joined by '\x1f'
  std::int64_t time = 0;
  std::int64_t start = 0;  // the oldest event in the window that fired (the first failure)
  double value = 0;   // the count (or distinct values) that met the condition
  // The condition was not met at this group's previous event: an episode begins. Every
  // later event while it stays met fires too (the batch counts them); a live reader reports
  // the episode once.
  bool first = false;
};

using FieldLookup = std::function<std::string_view(Field)>;

class CorrelationSet {
 public:
  CorrelationSet() = default;
  // Correlations naming rules that did not load are dropped into `problems`.
  CorrelationSet(std::vector<sigma::Correlation> correlations, const std::vector<sigma::Rule>& rules,
                 std::vector<sigma::LoadProblem>& problems);

  const std::vector<sigma::Correlation>& correlations() const { return corr_; }
  // Every field a match must carry for the correlations: group-by and value_count fields.
  std::vector<Field> needed_fields() const;
  // Whether a rule's own matches are hidden: it feeds a correlation with generate: false.
  bool hides(std::size_t rule) const { return rule < hidden_.size() && hidden_[rule]; }
  // An informational correlation that feeds another (a count kept for the rule that uses it)
  // is not reported on its own, as an informational rule a correlation consumes is not.
  bool hides_correlation(std::size_t c) const {
    return c < corr_.size() && corr_[c].meta.severity == Severity::info && c < corr_consumers_.size() &&
           !corr_consumers_[c].empty();
  }
  // The name a correlation's state is saved under (its name, else its id).
  static std::string state_key(const sigma::Correlation& c) { return c.meta.name.empty() ? c.meta.id : c.meta.name; }

 private:
  friend class CorrelationState;
  struct Consumer {
    std::size_t correlation;
    std::size_t position;  // which of its rules this input is
  };
  std::string group_key(const sigma::Correlation& c, const FieldLookup& values) const;

  std::vector<sigma::Correlation> corr_;
  std::vector<std::vector<Consumer>> rule_consumers_, corr_consumers_;
  std::vector<bool> hidden_;
};

class CorrelationState {
 public:
  explicit CorrelationState(const CorrelationSet& set);

  // A match of rule `rule` at `time`; `fire` is called for every correlation it completes.
  void feed(std::size_t rule, std::int64_t time, const FieldLookup& values,
            const std::function<void(const CorrelationFire&)>& fire);
  // Drops every group with nothing left inside its correlation's timespan before `now`:
  // for events at `now` or later the result is the same, and memory follows the active
  // sources, not every source ever seen.
  void expire(std::int64_t now);
  std::size_t groups() const;

  // The windows as JSON keyed by correlation name, and back: a restarted reader carries on
  // counting where it stopped. State of correlations no longer loaded is ignored.
  nlohmann::json save() const;
  void restore(const nlohmann::json& j);

 private:
  struct Group {
    std::deque<std::int64_t> times;
    std::deque<std::pair<std::int64_t, std::string>> values;
    std::unordered_map<std::string, int> distinct;
    std::vector<std::int64_t> last;   // temporal: last time of each rule
    std::vector<std::int64_t> start;  // temporal_ordered: when the chain up to each step began
    bool met = false;                 // the condition held at the last event
    std::int64_t newest() const;
  };
  void input(const CorrelationSet::Consumer& c, std::int64_t time, const std::string& key, const FieldLookup& values,
             const std::function<void(const CorrelationFire&)>& fire, int depth);

  const CorrelationSet* set_;
  std::vector<std::unordered_map<std::string, Group>> state_;
};

}  // namespace vigil::logs
