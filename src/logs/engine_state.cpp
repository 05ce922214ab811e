// Saving and restoring the log engine's state: CBOR (compact binary JSON), versioned; rules
// named by id so a changed rule set keeps the state of the rules still loaded.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "logs/engine.hpp"

namespace vigil::logs {

namespace {

using nlohmann::json;

constexpr std::string_view kFormat = "vigil-log-engine";
constexpr int kVersion = 1;

std::string rule_key(const sigma::RuleMeta& m) {
  if (!m.id.empty()) return m.id;
  if (!m.name.empty()) return m.name;
  return m.file + "#" + m.title;
}

json finding_json(const Finding& f) {
  json ev = json::array();
  for (const auto& e : f.evidence)
    if (const auto* s = std::get_if<std::string>(&e.value)) ev.push_back({e.key, *s});
    else ev.push_back({e.key, std::get<std::int64_t>(e.value)});
  return {{"rule", f.rule},     {"severity", static_cast<int>(f.severity)},
          {"title", f.title},   {"why", f.why},
          {"remedy", f.remedy}, {"attack", f.attack},
          {"source", f.source}, {"evidence", std::move(ev)},
          {"identity", f.identity}};
}

Finding finding_from(const json& j) {
  Finding f;
  f.rule = j.at("rule").get<std::string>();
  f.severity = static_cast<Severity>(std::clamp(j.at("severity").get<int>(), 0, static_cast<int>(Severity::critical)));
  f.title = j.at("title").get<std::string>();
  f.why = j.at("why").get<std::string>();
  f.remedy = j.at("remedy").get<std::string>();
  f.attack = j.at("attack").get<std::vector<std::string>>();
  f.source = j.at("source").get<std::string>();
  f.identity = j.at("identity").get<std::vector<std::string>>();
  for (const auto& e : j.at("evidence")) {
    if (e.at(1).is_string()) f.add(e.at(0).get<std::string>(), e.at(1).get<std::string>());
    else f.add(e.at(0).get<std::string>(), e.at(1).get<std::int64_t>());
  }
  return f;
}

}  // namespace

std::string LogEngine::save() const {
  const auto& rules = rules_.rules.rules();
  const auto& corrs = rules_.correlations.correlations();
  json j = {{"format", kFormat}, {"version", kVersion}, {"matched_lines", matched_lines_}, {"latest", latest_}};
  j["windows"] = windows_.save();
  json groups = json::array(), profile_groups = json::array();
  for (const auto& [key, g] : groups_) {
    bool correlation = g.kind == Kind::correlation;
    if (g.kind == Kind::profile)  // kept apart, so a state saved before profiles existed still reads
      profile_groups.push_back({std::string(model_name(static_cast<ProfileModel>(g.index))), g.key, g.count, g.first,
                                g.last, g.path, g.line, g.sample, g.detail});
    else
      groups.push_back({correlation, correlation ? CorrelationSet::state_key(corrs[g.index]) : rule_key(rules[g.index].meta),
                        g.key, g.count, g.peak, g.first, g.last, g.path, g.line, g.sample, g.users});
  }
  j["groups"] = std::move(groups);
  j["profile_groups"] = std::move(profile_groups);
  json sources = json::array();
  for (const auto& [ip, a] : attackers_)
    sources.push_back({{"ip", a.ip},
                       {"first", a.first},
                       {"last", a.last},
                       {"events", a.events},
                       {"failures", a.failures},
                       {"successes", a.successes},
                       {"invalid", a.invalid_users},
                       {"kinds", a.kinds},
                       {"users", a.users},
                       {"web2xx", a.web_successes},
                       {"dport", a.destination_port},
                       {"dip", a.destination_ip},
                       {"reported", a.reported},
                       {"windowed", a.windowed}});
  j["sources"] = std::move(sources);
  j["user_sources"] = user_sources_;
  json news = json::object();
  for (const auto& [user, n] : new_sources_) news[user] = {{"last", n.last}, {"finding", finding_json(n.finding)}};
  j["new_sources"] = std::move(news);
  auto bytes = json::to_cbor(j);
  return {bytes.begin(), bytes.end()};
}

expected<void, std::string> LogEngine::restore(std::string_view blob) {
  json j;
  try {
    j = json::from_cbor(blob, true, false);
  } catch (const json::exception&) {  // some size checks throw even when asked not to
    j = json::value_t::discarded;
  }
  if (j.is_discarded() || !j.is_object()) return make_unexpected("log engine state: not a saved state (corrupt CBOR)");
  auto format = j.find("format");
  if (format == j.end() || *format != kFormat) return make_unexpected("log engine state: not a vigil log engine state");
  auto version = j.find("version");
  if (version == j.end() || *version != kVersion)
    return make_unexpected(fmt::format("log engine state: version {}, this vigil reads {}",
                                       version == j.end() ? "none" : version->dump(), kVersion));
  try {
    std::unordered_map<std::string, std::size_t> rule_index, corr_index;
    const auto& rules = rules_.rules.rules();
    const auto& corrs = rules_.correlations.correlations();
    for (std::size_t i = rules.size(); i-- > 0;) rule_index[rule_key(rules[i].meta)] = i;
    for (std::size_t i = corrs.size(); i-- > 0;) corr_index[CorrelationSet::state_key(corrs[i])] = i;

    std::map<GroupKey, Group> groups;
    for (const auto& gj : j.at("groups")) {
      bool correlation = gj.at(0).get<bool>();
      const auto& index = correlation ? corr_index : rule_index;
      auto it = index.find(gj.at(1).get<std::string>());
      if (it == index.end()) continue;  // a rule no longer loaded
      Group g;
      g.kind = correlation ? Kind::correlation : Kind::rule;
      g.index = it->second;
      g.key = gj.at(2).get<std::string>();
      g.count = gj.at(3).get<std::uint64_t>();
      g.peak = gj.at(4).get<double>();
      g.first = gj.at(5).get<std::int64_t>();
      g.last = gj.at(6).get<std::int64_t>();
      g.path = gj.at(7).get<std::string>();
      g.line = gj.at(8).get<std::uint64_t>();
      g.sample = gj.at(9).get<std::string>();
      g.users = gj.at(10).get<std::set<std::string>>();
      groups[{g.kind, g.index, g.key}] = std::move(g);
    }
    if (auto pg = j.find("profile_groups"); pg != j.end())
      for (const auto& gj : *pg) {
        auto name = gj.at(0).get<std::string>();
        std::size_t model = 0;
        while (model < kProfileModels && model_name(static_cast<ProfileModel>(model)) != name) ++model;
        if (model == kProfileModels) continue;  // a model this vigil does not have
        Group g;
        g.kind = Kind::profile;
        g.index = model;
        g.key = gj.at(1).get<std::string>();
        g.count = gj.at(2).get<std::uint64_t>();
        g.first = gj.at(3).get<std::int64_t>();
        g.last = gj.at(4).get<std::int64_t>();
        g.path = gj.at(5).get<std::string>();
        g.line = gj.at(6).get<std::uint64_t>();
        g.sample = gj.at(7).get<std::string>();
        g.detail = gj.at(8).get<std::string>();
        groups[{g.kind, g.index, g.key}] = std::move(g);
      }
    std::unordered_map<std::string, Attacker> attackers;
    for (const auto& aj : j.at("sources")) {
      Attacker a;
      a.ip = aj.at("ip").get<std::string>();
      a.first = aj.at("first").get<std::int64_t>();
      a.last = aj.at("last").get<std::int64_t>();
      a.events = aj.at("events").get<std::uint64_t>();
      a.failures = aj.at("failures").get<std::uint64_t>();
      a.successes = aj.at("successes").get<std::uint64_t>();
      a.invalid_users = aj.at("invalid").get<std::uint64_t>();
      a.kinds = aj.at("kinds").get<std::map<std::string, std::uint64_t>>();
      a.users = aj.at("users").get<std::set<std::string>>();
      a.web_successes = aj.at("web2xx").get<std::uint64_t>();
      a.destination_port = aj.at("dport").get<std::uint64_t>();
      a.destination_ip = aj.at("dip").get<std::string>();
      a.reported = aj.at("reported").get<bool>();
      a.windowed = aj.at("windowed").get<bool>();
      std::string ip = a.ip;
      attackers[ip] = std::move(a);
    }
    auto user_sources = j.at("user_sources").get<std::unordered_map<std::string, std::set<std::string>>>();
    std::map<std::string, NewSources> news;
    for (const auto& [user, nj] : j.at("new_sources").items())
      news[user] = {finding_from(nj.at("finding")), nj.at("last").get<std::int64_t>()};
    CorrelationState windows(rules_.correlations);
    windows.restore(j.at("windows"));

    groups_ = std::move(groups);
    attackers_ = std::move(attackers);
    user_sources_ = std::move(user_sources);
    new_sources_ = std::move(news);
    windows_ = std::move(windows);
    matched_lines_ = j.at("matched_lines").get<std::uint64_t>();
    latest_ = j.at("latest").get<std::int64_t>();
  } catch (const json::exception& e) {
    return make_unexpected(std::string("log engine state: malformed: ") + e.what());
  }
  return {};
}

}  // namespace vigil::logs
