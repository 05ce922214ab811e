#include "logs/correlate.hpp"

#include <algorithm>

namespace vigil::logs {

using sigma::CorrelationType;

Correlator::Correlator(std::vector<sigma::Correlation> correlations, const std::vector<sigma::Rule>& rules,
                       std::vector<sigma::LoadProblem>& problems) {
  auto find_rule = [&](const std::string& ref) -> long {
    for (std::size_t i = 0; i < rules.size(); ++i)
      if (rules[i].meta.name == ref || rules[i].meta.id == ref) return static_cast<long>(i);
    return -1;
  };
  auto find_corr = [&](const std::vector<sigma::Correlation>& v, const std::string& ref) -> long {
    for (std::size_t i = 0; i < v.size(); ++i)
      if (v[i].meta.name == ref || v[i].meta.id == ref) return static_cast<long>(i);
    return -1;
  };
  // Drop correlations naming rules that did not load; repeat, since they may chain.
  bool changed = true;
  while (changed) {
    changed = false;
    for (std::size_t i = 0; i < correlations.size(); ++i) {
      for (const auto& ref : correlations[i].rules)
        if (find_rule(ref) < 0 && find_corr(correlations, ref) < 0) {
          problems.push_back({correlations[i].meta.file, correlations[i].meta.title,
                              "correlation refers to '" + ref + "', which is not a loaded rule"});
          correlations.erase(correlations.begin() + static_cast<long>(i));
          changed = true;
          break;
        }
      if (changed) break;
    }
  }
  corr_ = std::move(correlations);
  rule_consumers_.resize(rules.size());
  corr_consumers_.resize(corr_.size());
  hidden_.assign(rules.size(), false);
  state_.resize(corr_.size());
  for (std::size_t c = 0; c < corr_.size(); ++c)
    for (std::size_t k = 0; k < corr_[c].rules.size(); ++k) {
      const auto& ref = corr_[c].rules[k];
      if (long r = find_rule(ref); r >= 0) {
        rule_consumers_[static_cast<std::size_t>(r)].push_back({c, k});
        if (!corr_[c].generate) hidden_[static_cast<std::size_t>(r)] = true;
      } else if (long o = find_corr(corr_, ref); o >= 0) {
        corr_consumers_[static_cast<std::size_t>(o)].push_back({c, k});
      }
    }
}

std::vector<Field> Correlator::needed_fields() const {
  std::vector<Field> out;
  for (const auto& c : corr_) {
    for (Field f : c.group_by)
      if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
    if (c.field && std::find(out.begin(), out.end(), *c.field) == out.end()) out.push_back(*c.field);
  }
  return out;
}

std::string Correlator::group_key(const sigma::Correlation& c, const FieldLookup& values) const {
  std::string key;
  for (std::size_t i = 0; i < c.group_by.size(); ++i) {
    if (i) key += '\x1f';
    key += values(c.group_by[i]);
  }
  return key;
}

void Correlator::feed(std::size_t rule, std::int64_t time, const FieldLookup& values,
                      const std::function<void(const CorrelationFire&)>& fire) {
  if (rule >= rule_consumers_.size()) return;
  for (const auto& c : rule_consumers_[rule]) {
    std::string key = group_key(corr_[c.correlation], values);
    if (!corr_[c.correlation].group_by.empty() && key.find_first_not_of('\x1f') == std::string::npos) continue;
    input(c, time, key, values, fire, 0);
  }
}

void Correlator::input(const Consumer& c, std::int64_t time, const std::string& key, const FieldLookup& values,
                       const std::function<void(const CorrelationFire&)>& fire, int depth) {
  const auto& corr = corr_[c.correlation];
  auto it = state_[c.correlation].try_emplace(key).first;  // the key's address names the group in fires
  Group& g = it->second;
  std::int64_t from = time - corr.timespan;
  bool fired = false;
  double value = 0;
  switch (corr.type) {
    case CorrelationType::event_count:
      g.times.push_back(time);
      while (!g.times.empty() && g.times.front() < from) g.times.pop_front();
      value = static_cast<double>(g.times.size());
      fired = corr.condition.met(value);
      break;
    case CorrelationType::value_count: {
      std::string v(values(*corr.field));
      if (v.empty()) return;
      g.values.emplace_back(time, v);
      ++g.distinct[v];
      while (!g.values.empty() && g.values.front().first < from) {
        auto d = g.distinct.find(g.values.front().second);
        if (d != g.distinct.end() && --d->second == 0) g.distinct.erase(d);
        g.values.pop_front();
      }
      value = static_cast<double>(g.distinct.size());
      fired = corr.condition.met(value);
      break;
    }
    case CorrelationType::temporal: {
      if (g.last.empty()) g.last.assign(corr.rules.size(), INT64_MIN);
      g.last[c.position] = time;
      fired = std::all_of(g.last.begin(), g.last.end(), [&](std::int64_t t) { return t != INT64_MIN && t >= from; });
      value = static_cast<double>(corr.rules.size());
      break;
    }
    case CorrelationType::temporal_ordered: {
      if (g.start.empty()) g.start.assign(corr.rules.size(), INT64_MIN);
      if (c.position == 0) {
        g.start[0] = time;
      } else if (g.start[c.position - 1] != INT64_MIN && g.start[c.position - 1] >= from) {
        g.start[c.position] = g.start[c.position - 1];
      }
      fired = g.start.back() != INT64_MIN && g.start.back() >= from && c.position + 1 == corr.rules.size();
      if (fired) std::fill(g.start.begin(), g.start.end(), INT64_MIN);  // one firing per completed sequence
      value = static_cast<double>(corr.rules.size());
      break;
    }
  }
  if (!fired) return;
  fire({c.correlation, &it->first, time, value});
  if (depth > 8) return;
  for (const auto& next : corr_consumers_[c.correlation]) {
    std::string k = group_key(corr_[next.correlation], values);
    input(next, time, k, values, fire, depth + 1);
  }
}

}  // namespace vigil::logs
