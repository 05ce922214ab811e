#include "logs/correlate.hpp"

#include <algorithm>
#include <climits>
#include <nlohmann/json.hpp>

namespace vigil::logs {

using sigma::CorrelationType;

CorrelationSet::CorrelationSet(std::vector<sigma::Correlation> correlations, const std::vector<sigma::Rule>& rules,
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

std::vector<Field> CorrelationSet::needed_fields() const {
  std::vector<Field> out;
  for (const auto& c : corr_) {
    for (Field f : c.group_by)
      if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
    if (c.field && std::find(out.begin(), out.end(), *c.field) == out.end()) out.push_back(*c.field);
  }
  return out;
}

std::string CorrelationSet::group_key(const sigma::Correlation& c, const FieldLookup& values) const {
  std::string key;
  for (std::size_t i = 0; i < c.group_by.size(); ++i) {
    if (i) key += '\x1f';
    key += values(c.group_by[i]);
  }
  return key;
}

CorrelationState::CorrelationState(const CorrelationSet& set) : set_(&set), state_(set.corr_.size()) {}

void CorrelationState::feed(std::size_t rule, std::int64_t time, const FieldLookup& values,
                            const std::function<void(const CorrelationFire&)>& fire) {
  if (rule >= set_->rule_consumers_.size()) return;
  for (const auto& c : set_->rule_consumers_[rule]) {
    std::string key = set_->group_key(set_->corr_[c.correlation], values);
    // An event without the first group-by field (what is counted: a source, a user) is not
    // counted: the later fields only keep groups apart (a source on each host).
    if (!set_->corr_[c.correlation].group_by.empty() && (key.empty() || key.front() == '\x1f')) continue;
    input(c, time, key, values, fire, 0);
  }
}

void CorrelationState::input(const CorrelationSet::Consumer& c, std::int64_t time, const std::string& key,
                             const FieldLookup& values, const std::function<void(const CorrelationFire&)>& fire,
                             int depth) {
  const auto& corr = set_->corr_[c.correlation];
  Group& g = state_[c.correlation][key];
  std::int64_t from = time - corr.timespan;
  bool fired = false;
  double value = 0;
  std::int64_t start = time;
  switch (corr.type) {
    case CorrelationType::event_count: {
      // Kept sorted (lines may come a little out of order), and at most `cap` of them: a
      // flood of a million events in one window costs kilobytes, and every condition up to
      // the cap is judged the same (the count saturates above it).
      g.times.insert(std::upper_bound(g.times.begin(), g.times.end(), time), time);
      while (!g.times.empty() && g.times.front() < from) g.times.pop_front();
      const std::size_t cap = std::max<std::size_t>(1000, static_cast<std::size_t>(corr.condition.value) + 2);
      while (g.times.size() > cap) g.times.pop_front();
      value = static_cast<double>(g.times.size());
      fired = corr.condition.met(value);
      if (fired) start = g.times.front();
      break;
    }
    case CorrelationType::value_count: {
      std::string v(values(*corr.field));
      if (v.empty()) return;
      g.values.emplace_back(time, v);
      ++g.distinct[v];
      const std::size_t cap = std::max<std::size_t>(10'000, 4 * static_cast<std::size_t>(corr.condition.value));
      while (!g.values.empty() && (g.values.front().first < from || g.values.size() > cap)) {
        auto d = g.distinct.find(g.values.front().second);
        if (d != g.distinct.end() && --d->second == 0) g.distinct.erase(d);
        g.values.pop_front();
      }
      value = static_cast<double>(g.distinct.size());
      fired = corr.condition.met(value);
      if (fired) start = std::min_element(g.values.begin(), g.values.end())->first;
      break;
    }
    case CorrelationType::temporal: {
      if (g.last.empty()) g.last.assign(corr.rules.size(), INT64_MIN);
      g.last[c.position] = time;
      fired = std::all_of(g.last.begin(), g.last.end(), [&](std::int64_t t) { return t != INT64_MIN && t >= from; });
      if (fired) start = *std::min_element(g.last.begin(), g.last.end());
      value = static_cast<double>(corr.rules.size());
      break;
    }
    case CorrelationType::temporal_ordered: {
      if (g.start.empty()) g.start.assign(corr.rules.size(), INT64_MIN);
      if (c.position == 0) {
        g.start[0] = time;
      } else if (g.start[c.position - 1] != INT64_MIN && g.start[c.position - 1] >= from &&
                 g.start[c.position - 1] <= time) {
        // In event time, not file order: a step logged after this event but stamped later
        // (logs of several hosts one after another) does not come before it.
        g.start[c.position] = g.start[c.position - 1];
      }
      fired = g.start.back() != INT64_MIN && g.start.back() >= from && c.position + 1 == corr.rules.size();
      if (fired) start = g.start.back();
      if (fired) std::fill(g.start.begin(), g.start.end(), INT64_MIN);  // one firing per completed sequence
      value = static_cast<double>(corr.rules.size());
      break;
    }
  }
  bool first = fired && !g.met;
  g.met = fired;
  if (!fired) return;
  fire({c.correlation, key, time, start, value, first});
  if (depth > 8) return;
  for (const auto& next : set_->corr_consumers_[c.correlation]) {
    std::string k = set_->group_key(set_->corr_[next.correlation], values);
    input(next, time, k, values, fire, depth + 1);
  }
}

std::int64_t CorrelationState::Group::newest() const {
  std::int64_t n = INT64_MIN;
  for (auto t : times) n = std::max(n, t);
  for (const auto& [t, v] : values) n = std::max(n, t);
  for (auto t : last) n = std::max(n, t);
  for (auto t : start) n = std::max(n, t);
  return n;
}

void CorrelationState::expire(std::int64_t now) {
  for (std::size_t c = 0; c < state_.size(); ++c) {
    std::int64_t from = now - set_->corr_[c].timespan;
    std::erase_if(state_[c], [&](const auto& kv) { return kv.second.newest() < from; });
  }
}

std::size_t CorrelationState::groups() const {
  std::size_t n = 0;
  for (const auto& s : state_) n += s.size();
  return n;
}

nlohmann::json CorrelationState::save() const {
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t c = 0; c < state_.size(); ++c) {
    if (state_[c].empty()) continue;
    auto& groups = out[CorrelationSet::state_key(set_->corr_[c])];
    for (const auto& [key, g] : state_[c]) {
      nlohmann::json j = nlohmann::json::object();
      if (!g.times.empty()) j["t"] = g.times;
      if (!g.values.empty()) j["v"] = g.values;
      if (!g.last.empty()) j["l"] = g.last;
      if (!g.start.empty()) j["s"] = g.start;
      if (g.met) j["m"] = true;
      groups[key] = std::move(j);
    }
  }
  return out;
}

void CorrelationState::restore(const nlohmann::json& j) {
  for (auto& s : state_) s.clear();
  if (!j.is_object()) return;
  for (std::size_t c = 0; c < state_.size(); ++c) {
    const auto& corr = set_->corr_[c];
    auto it = j.find(CorrelationSet::state_key(corr));
    if (it == j.end() || !it->is_object()) continue;
    for (const auto& [key, gj] : it->items()) {
      Group g;
      if (auto t = gj.find("t"); t != gj.end()) g.times = t->get<std::deque<std::int64_t>>();
      if (auto v = gj.find("v"); v != gj.end()) {
        g.values = v->get<std::deque<std::pair<std::int64_t, std::string>>>();
        for (const auto& [time, value] : g.values) ++g.distinct[value];
      }
      if (auto l = gj.find("l"); l != gj.end()) g.last = l->get<std::vector<std::int64_t>>();
      if (auto s = gj.find("s"); s != gj.end()) g.start = s->get<std::vector<std::int64_t>>();
      if (auto m = gj.find("m"); m != gj.end() && m->is_boolean()) g.met = m->get<bool>();
      // A correlation whose rule list changed since the save starts its sequence again.
      if (!g.last.empty() && g.last.size() != corr.rules.size()) g.last.clear();
      if (!g.start.empty() && g.start.size() != corr.rules.size()) g.start.clear();
      state_[c][key] = std::move(g);
    }
  }
}

}  // namespace vigil::logs
