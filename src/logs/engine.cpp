// The log engine: tallies, correlations, the attacker table and the built-in detections.
#include "logs/engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <climits>

#include "core/rule_catalog.hpp"
#include "core/text.hpp"
#include "core/time_format.hpp"

namespace vigil::logs {

namespace {

constexpr std::string_view kSource = "logs";

void touch(Attacker& a, std::int64_t t) {
  if (!a.first || (t && t < a.first)) a.first = t;
  if (t > a.last) a.last = t;
}

bool private_address(std::string_view ip) {
  return ip.starts_with("10.") || ip.starts_with("192.168.") || ip.starts_with("127.") ||
         (ip.starts_with("172.") && ip.size() > 6 && std::atoi(std::string(ip.substr(4, 2)).c_str()) >= 16 &&
          std::atoi(std::string(ip.substr(4, 2)).c_str()) <= 31) ||
         ip.starts_with("fd") || ip.starts_with("fe80:") || ip == "::1";
}

// ECS keeps source.ip for addresses: a host name from a PAM rhost= goes to source.domain.
std::string source_key(std::string_view value) { return is_ip_address(value) ? "source.ip" : "source.domain"; }
const std::vector<std::string> kSourceIdentity = {"source.ip", "source.domain"};

std::string joined(const std::set<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

// A correlation's severity_by_failures: the highest level whose count the source's failed
// logins reached, and the count and rate as evidence.
std::optional<Severity> failure_severity(const sigma::RuleMeta& m, const Attacker& a, Finding& f) {
  std::uint64_t n = a.failures + a.invalid_users;
  f.add("vigil.failures", static_cast<std::int64_t>(n));
  if (a.last > a.first) {
    double hours = static_cast<double>(a.last - a.first) / 3600.0;
    f.add("vigil.failures_per_hour", fmt::format("{:.1f}", static_cast<double>(n) / std::max(hours, 1.0 / 60)));
  }
  std::optional<Severity> out;
  for (const auto& [count, level] : m.severity_by_failures)
    if (n >= count && (!out || level > *out)) out = level;
  return out;
}

}  // namespace

LogEngine::LogEngine(const LogRules& rules, EngineOptions options)
    : rules_(rules),
      matcher_(rules),
      o_(options),
      scratch_(nullptr, [](sigma::RuleSet::Scratch*) {}),
      windows_(rules.correlations) {
  ip_ = matcher_.capture_index(Field::source_ip);
  user_ = matcher_.capture_index(Field::user_name);
  action_ = matcher_.capture_index(Field::event_action);
  outcome_ = matcher_.capture_index(Field::event_outcome);
  status_ = matcher_.capture_index(Field::http_status);
  dst_ip_ = matcher_.capture_index(Field::destination_ip);
  dst_port_ = matcher_.capture_index(Field::destination_port);
  const auto& corrs = rules.correlations.correlations();
  absorbers_.resize(corrs.size());
  for (std::size_t i = 0; i < corrs.size(); ++i)
    for (const auto& name : corrs[i].meta.absorbed_by)
      for (std::size_t j = 0; j < corrs.size(); ++j)
        if (j != i && (corrs[j].meta.name == name || corrs[j].meta.id == name)) absorbers_[i].push_back(j);
}

// Another correlation that absorbs this one fired for the same group on the same event.
bool LogEngine::absorbed(const CorrelationFire& f, const std::vector<CorrelationFire>& with) const {
  for (std::size_t by : absorbers_[f.correlation])
    for (const auto& other : with)
      if (other.correlation == by && other.group == f.group) return true;
  return false;
}

void LogEngine::consume(const MatchedBlock& block, const std::string& path) {
  for (const auto& h : block.hits) hit(h, path);
}

ParseResult LogEngine::feed(SourceCursor& cursor, std::string_view line, const std::string& path) {
  std::string whole(line);
  whole += '\n';
  cursor.detect(whole);
  if (!scratch_) scratch_ = rules_.rules.make_scratch();  // only a stream matches here
  auto block = matcher_.match(whole, cursor, *scratch_);
  cursor.advance(whole);
  consume(block, path);
  return block.events ? ParseResult::event
         : block.unparsed ? ParseResult::unparsed
         : block.directives ? ParseResult::directive
                            : ParseResult::blank;
}

std::string_view LogEngine::val(const Hit& h, std::size_t i) const {
  return i < h.values.size() ? h.values[i] : std::string_view{};
}

Attacker* LogEngine::attacker(std::string_view ip) {
  if (ip.empty()) return nullptr;
  auto [it, fresh] = attackers_.try_emplace(std::string(ip));
  if (fresh) it->second.ip = std::string(ip);
  return &it->second;
}

void LogEngine::hit(const Hit& h, const std::string& path) {
  std::string_view ip = val(h, ip_), action = val(h, action_), outcome = val(h, outcome_);
  latest_ = std::max(latest_, h.time);
  Attacker* a = attacker(ip);
  if (a) {
    touch(*a, h.time);
    if (!val(h, dst_ip_).empty()) a->destination_ip = std::string(val(h, dst_ip_));
    if (!val(h, dst_port_).empty()) a->destination_port = std::strtoull(std::string(val(h, dst_port_)).c_str(), nullptr, 10);
  }
  if (action == "ssh-login" || action == "login" || action == "ssh-invalid-user") {
    std::string_view user = val(h, user_);
    if (a) {
      if (action == "ssh-login" && !a->destination_port) a->destination_port = 22;
      if (action == "ssh-invalid-user") ++a->invalid_users;
      else if (outcome == "failure") ++a->failures;
      else if (outcome == "success") ++a->successes;
      if (!user.empty() && a->users.size() < 20) a->users.emplace(user);
    }
    if (action != "ssh-invalid-user" && outcome == "success" && !ip.empty() && !user.empty())
      new_source(h, path, user, ip);
  }
  if (h.rules.empty() && h.anomalies.empty()) return;
  MatchedLine ml{&path, h.line, h.time, {}, nullptr, ip, h.raw};
  bool any_reported = false;
  const auto& rules = rules_.rules.rules();
  std::vector<CorrelationFire> fires;
  for (int r : h.rules) {
    auto ri = static_cast<std::size_t>(r);
    const auto& rule = rules[ri];
    auto values = [&](Field f) -> std::string_view { return val(h, matcher_.capture_index(f)); };
    windows_.feed(ri, h.time, values, [&](const CorrelationFire& f) { fires.push_back(f); });
    if (rules_.correlations.hides(ri)) {
      ml.feeding.push_back(&rule.meta);
      continue;
    }
    any_reported = true;
    ml.rules.push_back(&rule.meta);
    auto& g = group(Kind::rule, ri, std::string(ip), h, path);
    if (!val(h, user_).empty() && g.users.size() < 10) g.users.emplace(val(h, user_));
    if (a) {
      ++a->kinds[rule.meta.title];
      if (rule.meta.severity >= Severity::low) a->reported = true;
      if (!a->destination_port && rule.source.family == LogFamily::web) a->destination_port = 80;
      auto status = val(h, status_);
      if (rule.source.family == LogFamily::web && status.size() == 3 && status[0] == '2') ++a->web_successes;
    }
  }
  for (const auto& f : fires)
    if (!absorbed(f, fires)) fired(f, h, path);
  if (!h.anomalies.empty()) {
    anomalies(h, path, a, ml);
    any_reported = true;
  }
  if (a && any_reported) ++a->events;
  if (any_reported) ++matched_lines_;
  if (on_match_ && (any_reported || !ml.feeding.empty())) on_match_(ml);
}

// A request the learned web profile did not expect: one count per model it broke.
void LogEngine::anomalies(const Hit& h, const std::string& path, Attacker* a, MatchedLine& ml) {
  ml.anomalies = &h.anomalies;
  std::array<bool, kProfileModels> done{};
  for (const auto& an : h.anomalies) {
    auto model = static_cast<std::size_t>(an.model);
    if (done[model]) continue;
    done[model] = true;
    const auto& meta = profile_rule(an.model);
    ml.rules.push_back(&meta);
    auto& g = group(Kind::profile, model, std::string(val(h, ip_)), h, path);
    if (g.detail.empty()) g.detail = an.detail;
    if (a) {
      ++a->kinds[meta.title];
      if (meta.severity >= Severity::low) a->reported = true;
      if (!a->destination_port) a->destination_port = 80;
      auto status = val(h, status_);
      if (status.size() == 3 && status[0] == '2') ++a->web_successes;
    }
  }
}

LogEngine::Group& LogEngine::group(Kind kind, std::size_t index, const std::string& key, const Hit& h,
                                   const std::string& path) {
  auto [it, fresh] = groups_.try_emplace({kind, index, key});
  Group& g = it->second;
  if (fresh) {
    g.kind = kind;
    g.index = index;
    g.key = key;
    g.first = h.time;
    g.path = path;
    g.line = h.line;
    g.sample = h.raw;
  }
  ++g.count;
  if (h.time && (!g.first || h.time < g.first)) g.first = h.time;
  if (h.time > g.last) g.last = h.time;
  return g;
}

void LogEngine::fired(const CorrelationFire& f, const Hit& h, const std::string& path) {
  if (rules_.correlations.hides_correlation(f.correlation)) return;
  const auto& c = rules_.correlations.correlations()[f.correlation];
  auto& g = group(Kind::correlation, f.correlation, f.group, h, path);
  g.peak = std::max(g.peak, f.value);
  if (f.start && f.start < g.first) g.first = f.start;  // the window began with its first event
  if (!val(h, user_).empty() && g.users.size() < 10) g.users.emplace(val(h, user_));
  for (std::size_t i = 0; i < c.group_by.size(); ++i)
    if (c.group_by[i] == Field::source_ip) {
      auto key = std::string_view(f.group);
      for (std::size_t k = 0; k < i; ++k) key = key.substr(key.find('\x1f') + 1);
      if (auto* a = attacker(key.substr(0, key.find('\x1f')))) {
        a->reported = true;
        a->windowed = true;
        ++a->kinds[c.meta.title];
      }
    }
  if (on_event_ && f.first) {  // the episode, as it begins
    Group one;
    one.kind = Kind::correlation;
    one.index = f.correlation;
    one.key = f.group;
    one.count = 1;
    one.peak = f.value;
    one.first = f.start ? std::min(f.start, h.time) : h.time;
    one.last = h.time;
    one.path = path;
    one.line = h.line;
    one.sample = h.raw;
    if (!val(h, user_).empty()) one.users.emplace(val(h, user_));
    on_event_(to_finding(one));
  }
}

Finding LogEngine::new_source_finding(std::string_view user, const Hit& h, const std::string& path,
                                      std::size_t known) const {
  auto f = make_finding(kNewLoginSource, Severity::info, kSource);
  f.why = fmt::format("{} logged in from a source not seen for it earlier in these logs (first at {}, after {} "
                      "known source(s)): a stolen password or key used from elsewhere looks like this, and so "
                      "does a new laptop.",
                      user, iso8601_or_dash(h.time), known);
  f.add("user.name", std::string(user)).add("event.start", iso8601_or_dash(h.time));
  f.add("log.file.path", path).add("log.file.line", static_cast<std::int64_t>(h.line));
  f.identity = {"user.name"};
  return f;
}

// A user's successful login from a source they had not logged in from before: one finding
// per user, listing the new sources; low for a public address, info for a private one (a
// new desk, a VPN pool).
void LogEngine::new_source(const Hit& h, const std::string& path, std::string_view user, std::string_view ip) {
  if (!o_.new_source) return;
  auto& seen = user_sources_[std::string(user)];
  if (!seen.empty() && !seen.count(std::string(ip))) {
    auto [it, fresh] = new_sources_.try_emplace(std::string(user));
    Finding& f = it->second.finding;
    if (fresh) f = new_source_finding(user, h, path, seen.size());
    it->second.last = std::max(it->second.last, h.time);
    Severity s = private_address(ip) ? Severity::info : Severity::low;
    if (s > f.severity) f.severity = s;
    f.add(source_key(ip), std::string(ip));
    if (on_event_) {
      auto one = new_source_finding(user, h, path, seen.size());
      one.severity = s;
      one.add(source_key(ip), std::string(ip));
      one.identity = {"user.name", "source.ip", "source.domain"};
      on_event_(one);
    }
  }
  seen.emplace(ip);
}

std::optional<Finding> LogEngine::slow_brute_force(Attacker& a) const {
  if (!o_.slow_failures || a.successes || a.failures + a.invalid_users < o_.slow_failures || a.windowed)
    return std::nullopt;
  std::uint64_t n = a.failures + a.invalid_users;
  auto f = make_finding(kSlowBruteForce, n >= 20 ? Severity::medium : Severity::low, kSource);
  f.why = fmt::format("{} failed logins ({} for invalid users) from {} between {} and {}, and no successful one: "
                      "a password guesser that stays under per-window thresholds (fail2ban's 5 in 10 minutes).",
                      n, a.invalid_users, a.ip, iso8601_or_dash(a.first), iso8601_or_dash(a.last));
  f.add(source_key(a.ip), a.ip).add("event.count", static_cast<std::int64_t>(n));
  f.add("event.start", iso8601_or_dash(a.first)).add("event.end", iso8601_or_dash(a.last));
  if (!a.users.empty()) f.add("user.name", joined(a.users));
  f.identity = kSourceIdentity;
  a.reported = true;
  a.kinds[f.title] += n;
  return f;
}

Finding LogEngine::to_finding(const Group& g) const {
  const auto& corrs = rules_.correlations.correlations();
  bool correlation = g.kind == Kind::correlation;
  const sigma::RuleMeta& m = correlation              ? corrs[g.index].meta
                             : g.kind == Kind::profile ? profile_rule(static_cast<ProfileModel>(g.index))
                                                       : rules_.rules.rules()[g.index].meta;
  Finding f;
  std::optional<Severity> raised;
  std::string what = correlation ? fmt::format("{} firing(s), peak {} within {}s", g.count, g.peak,
                                               corrs[g.index].timespan)
                     : g.kind == Kind::profile ? fmt::format("{} request(s); the first: {}", g.count, g.detail)
                                               : fmt::format("{} matching event(s)", g.count);
  f.why = m.description.empty() ? what : m.description + " (" + what + ")";
  if (correlation) {
    std::string_view key = g.key;
    for (Field gb : corrs[g.index].group_by) {
      auto cut = key.find('\x1f');
      std::string name(field_name(gb)), value(key.substr(0, cut));
      if (gb == Field::source_ip) name = source_key(value);
      if (!value.empty()) {
        f.add(name, value);
        f.identity.push_back(name);
      }
      key = cut == std::string_view::npos ? std::string_view{} : key.substr(cut + 1);
    }
    if (auto it = attackers_.find(g.key.substr(0, g.key.find('\x1f'))); it != attackers_.end()) {
      const Attacker& a = it->second;
      if (!a.users.empty()) f.add("user.name", joined(a.users));
      if (!m.severity_by_failures.empty()) raised = failure_severity(m, a, f);
    }
  } else {
    if (!g.key.empty()) f.add(source_key(g.key), g.key);
    f.identity = kSourceIdentity;
    if (!g.users.empty()) f.add("user.name", joined(g.users));
  }
  f.add("event.count", static_cast<std::int64_t>(g.count));
  f.add("event.start", iso8601_or_dash(g.first)).add("event.end", iso8601_or_dash(g.last));
  f.add("log.file.path", g.path).add("log.file.line", static_cast<std::int64_t>(g.line));
  if (!g.sample.empty()) f.add("event.original", excerpt(g.sample, 300));
  if (!g.detail.empty()) f.add("vigil.profile.anomaly", g.detail);
  sigma::describe_rule(f, m);
  if (raised) f.severity = std::max(f.severity, *raised);
  f.remedy = m.remedy.empty() ? "Read the matching lines (log.file.path:log.file.line) and decide whether the "
                                "source was only probing or got in; block sources that keep attacking."
                              : m.remedy;
  f.source = std::string(kSource);
  return f;
}

Findings LogEngine::close(std::int64_t cutoff) {
  Findings out;
  for (auto& [ip, a] : attackers_)
    if (a.last <= cutoff)
      if (auto f = slow_brute_force(a)) out.push_back(std::move(*f));
  for (auto it = new_sources_.begin(); it != new_sources_.end();)
    if (it->second.last <= cutoff) {
      out.push_back(std::move(it->second.finding));
      it = new_sources_.erase(it);
    } else {
      ++it;
    }
  for (auto it = groups_.begin(); it != groups_.end();)
    if (it->second.last <= cutoff) {
      out.push_back(to_finding(it->second));
      it = groups_.erase(it);
    } else {
      ++it;
    }
  return out;
}

Findings LogEngine::flush(std::int64_t now) {
  windows_.expire(now - o_.reorder_slack);
  if (o_.idle_close <= 0) return {};
  std::int64_t cutoff = now - o_.idle_close;
  auto out = close(cutoff);
  std::erase_if(attackers_, [&](const auto& kv) { return kv.second.last <= cutoff; });
  sort_findings(out);
  return out;
}

Findings LogEngine::finish() {
  auto out = close(INT64_MAX);
  reported_.clear();
  for (auto& [ip, a] : attackers_)
    if (a.reported) reported_.push_back(std::move(a));
  attackers_.clear();
  std::sort(reported_.begin(), reported_.end(), [](const Attacker& a, const Attacker& b) {
    return a.events != b.events ? a.events > b.events : a.ip < b.ip;
  });
  sort_findings(out);
  return out;
}

std::vector<Attacker> LogEngine::take_attackers() { return std::move(reported_); }

LogEngine::Size LogEngine::size() const {
  std::size_t users = 0;
  for (const auto& [u, s] : user_sources_) users += s.size();
  return {groups_.size(), attackers_.size(), users, windows_.groups()};
}

}  // namespace vigil::logs
