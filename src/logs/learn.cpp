#include "logs/learn.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "logs/inputs.hpp"
#include "logs/line_matcher.hpp"

namespace vigil::logs {

namespace {

constexpr std::uint64_t kChunk = 100;           // requests held out together (every fifth chunk)
constexpr std::uint64_t kMinimumHoldout = 100;  // fewer: the models are not measured

struct Held {
  std::string path, query;
};

// Judges the held-out requests with the profile learned without them: the share each model flags.
void measure(const WebProfile& without, const std::vector<Held>& held, WebProfile& out) {
  out.holdout = held.size();
  if (held.size() < kMinimumHoldout) return;
  std::array<std::uint64_t, kProfileModels> flagged{};
  std::vector<ProfileAnomaly> anomalies;
  Event e;
  e.family = LogFamily::web;
  for (const auto& h : held) {
    e.set(Field::url_path, h.path);
    e.set(Field::url_query, h.query);
    anomalies.clear();
    without.judge(e, anomalies);
    std::array<bool, kProfileModels> seen{};
    for (const auto& a : anomalies) seen[static_cast<std::size_t>(a.model)] = true;
    for (std::size_t m = 0; m < kProfileModels; ++m) flagged[m] += seen[m];
  }
  for (std::size_t m = 0; m < kProfileModels; ++m) {
    out.models[m].holdout_rate = static_cast<double>(flagged[m]) / static_cast<double>(held.size());
    out.models[m].enabled = out.models[m].holdout_rate <= out.settings.model_fp_max;
  }
}

}  // namespace

LearnResult learn_profile(const LearnOptions& o) {
  LearnResult r;
  ProfileLearner learner, without_holdout;
  std::vector<Held> held;
  std::uint64_t normal = 0;
  auto inputs = expand_inputs(o.paths, r.errors);
  std::unique_ptr<sigma::RuleSet::Scratch, void (*)(sigma::RuleSet::Scratch*)> scratch(nullptr, [](auto*) {});
  if (o.rules) scratch = o.rules->rules.make_scratch();
  std::vector<int> matched;
  auto attack = [&](const Event& e) {
    if (!o.rules) return false;
    matched.clear();
    o.rules->rules.match(e, *scratch, matched);
    const auto& rules = o.rules->rules.rules();
    return std::any_of(matched.begin(), matched.end(), [&](int i) {
      return rules[static_cast<std::size_t>(i)].meta.severity >= Severity::low;
    });
  };
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    SourceCursor cursor;
    std::optional<LineParser> parser;
    Event e;
    auto emit = [&](Block&& b) {
      if (!cursor.detected) {
        cursor.detect(b.data);
        parser.emplace(b.year, cursor.format);
      }
      for_each_line(b.data, [&](std::string_view line, std::size_t) {
        ++r.lines;
        auto res = parser->parse(line, e);
        if (res == ParseResult::unparsed) ++r.unparsed;
        if (res != ParseResult::event) return;
        if (e.family == LogFamily::web && e.has(Field::url_path)) {
          ++r.requests;
          if (attack(e)) {
            ++r.attacks;
            return;
          }
          learner.add(e);
          if ((normal++ / kChunk) % 5 == 4) held.push_back({std::string(e.get(Field::url_path)), std::string(e.get(Field::url_query))});
          else without_holdout.add(e);
        } else {
          ++r.other_events;
        }
      });
    };
    auto notes = read_input(inputs[i], i, o.limits, emit);
    for (auto& m : notes.messages) r.messages.push_back(inputs[i].path + ": " + m);
    if (notes.failed) r.errors.push_back(inputs[i].path + ": could not be read");
    r.profile.sources.push_back(inputs[i].path);
  }
  auto sources = std::move(r.profile.sources);
  r.profile = learner.finish(o.settings);
  measure(without_holdout.finish(o.settings), held, r.profile);
  r.profile.sources = std::move(sources);
  return r;
}

}  // namespace vigil::logs
