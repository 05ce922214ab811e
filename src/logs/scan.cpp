#include "logs/scan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "logs/correlate.hpp"
#include "logs/line_parser.hpp"
#include "logs/sigma_ruleset.hpp"
#include "report/ecs.hpp"

namespace vigil::logs {

namespace {

// What a worker keeps of a matched (or auth) event for the ordered pass.
struct Hit {
  std::uint64_t line = 0;
  std::int64_t time = 0;
  std::vector<int> rules;
  std::vector<std::string> values;  // aligned with Engine::capture
  std::string raw;                  // only for rule matches; cut to kRawKeep
};
constexpr std::size_t kRawKeep = 512;

struct BlockResult {
  std::size_t input = 0;
  std::uint64_t lines = 0, events = 0, unparsed = 0, directives = 0, blank = 0;
  std::vector<std::pair<std::uint64_t, std::string>> unparsed_samples;
  std::vector<Hit> hits;
};

struct Task {
  std::uint64_t seq;
  Block block;
  LogFormat format;
  std::string w3c_fields;
};

std::string excerpt(std::string_view s, std::size_t n = 120) {
  std::string out;
  for (char c : s.substr(0, n)) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  if (s.size() > n) out += "…";
  return out;
}


class Engine {
 public:
  Engine(const sigma::RuleSet& rules, const Correlator& corr) : rules_(rules) {
    capture_ = {Field::source_ip, Field::user_name, Field::event_action, Field::event_outcome, Field::http_status,
                Field::destination_ip, Field::destination_port, Field::process_name};
    for (Field f : corr.needed_fields())
      if (std::find(capture_.begin(), capture_.end(), f) == capture_.end()) capture_.push_back(f);
  }

  BlockResult process(const Task& t, sigma::RuleSet::Scratch& scratch) const {
    BlockResult r;
    r.input = t.block.input;
    LineParser parser(t.block.year, t.format);
    if (!t.w3c_fields.empty()) parser.set_w3c_fields(t.w3c_fields);
    std::string_view data = t.block.data;
    std::uint64_t line_no = t.block.first_line;
    Event e;
    std::vector<int> matched;
    std::size_t pos = 0;
    while (pos < data.size()) {
      auto nl = data.find('\n', pos);
      std::string_view line = data.substr(pos, nl - pos);
      pos = nl + 1;
      ++r.lines;
      auto res = parser.parse(line, e);
      if (res == ParseResult::event) {
        ++r.events;
        matched.clear();
        rules_.match(e, scratch, matched);
        if (!matched.empty() || e.has(Field::event_action)) {
          Hit h;
          h.line = line_no;
          h.time = e.time;
          h.rules = matched;
          h.values.reserve(capture_.size());
          for (Field f : capture_) h.values.emplace_back(e.get(f));
          if (!matched.empty()) h.raw = std::string(e.raw.substr(0, kRawKeep));
          r.hits.push_back(std::move(h));
        }
      } else if (res == ParseResult::unparsed) {
        ++r.unparsed;
        if (r.unparsed_samples.size() < 3) r.unparsed_samples.emplace_back(line_no, excerpt(line));
      } else if (res == ParseResult::directive) {
        ++r.directives;
      } else {
        ++r.blank;
      }
      ++line_no;
    }
    return r;
  }

  std::size_t capture_index(Field f) const {
    return static_cast<std::size_t>(std::find(capture_.begin(), capture_.end(), f) - capture_.begin());
  }
  const std::vector<Field>& capture() const { return capture_; }

 private:
  const sigma::RuleSet& rules_;
  std::vector<Field> capture_;
};

// A finding under construction: one per rule (or correlation) and group.
struct Group {
  bool correlation = false;
  std::size_t index = 0;
  std::string key;
  std::uint64_t count = 0;
  double peak = 0;
  std::int64_t first = 0, last = 0;
  std::string path;
  std::uint64_t line = 0;
  std::string sample;
  std::set<std::string> users;
};

class Aggregator {
 public:
  Aggregator(const ScanOptions& o, const Engine& engine, const sigma::RuleSet& rules, Correlator& corr,
             ScanResult& result, const std::function<void(const MatchedLine&)>& on_match)
      : o_(o), engine_(engine), rules_(rules), corr_(corr), result_(result), on_match_(on_match) {
    ip_ = engine.capture_index(Field::source_ip);
    user_ = engine.capture_index(Field::user_name);
    action_ = engine.capture_index(Field::event_action);
    outcome_ = engine.capture_index(Field::event_outcome);
    status_ = engine.capture_index(Field::http_status);
    dst_ip_ = engine.capture_index(Field::destination_ip);
    dst_port_ = engine.capture_index(Field::destination_port);
  }

  void consume(BlockResult& b, const std::string& path) {
    auto& in = result_.inputs[b.input];
    in.lines += b.lines;
    in.events += b.events;
    in.unparsed += b.unparsed;
    in.directives += b.directives;
    in.blank += b.blank;
    for (auto& s : b.unparsed_samples)
      if (in.unparsed_samples.size() < 3) in.unparsed_samples.push_back(std::move(s));
    for (auto& h : b.hits) hit(h, path);
  }

  void finish() {
    slow_brute_force();
    for (auto& [user, f] : new_sources_) result_.findings.push_back(std::move(f));
    for (auto& [key, g] : groups_) result_.findings.push_back(to_finding(g));
    for (auto& [ip, a] : attackers_)
      if (a.reported) result_.attackers.push_back(std::move(a));
    std::sort(result_.attackers.begin(), result_.attackers.end(), [](const Attacker& a, const Attacker& b) {
      return a.events != b.events ? a.events > b.events : a.ip < b.ip;
    });
    sort_findings(result_.findings);
  }

 private:
  std::string_view val(const Hit& h, std::size_t i) const { return i < h.values.size() ? h.values[i] : std::string_view{}; }

  Attacker* attacker(std::string_view ip) {
    if (ip.empty()) return nullptr;
    auto [it, fresh] = attackers_.try_emplace(std::string(ip));
    if (fresh) it->second.ip = std::string(ip);
    return &it->second;
  }

  void touch(Attacker& a, std::int64_t t) {
    if (!a.first || (t && t < a.first)) a.first = t;
    if (t > a.last) a.last = t;
  }

  void hit(const Hit& h, const std::string& path) {
    std::string_view ip = val(h, ip_), action = val(h, action_), outcome = val(h, outcome_);
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
    if (h.rules.empty()) return;
    MatchedLine ml{&path, h.line, h.time, {}, ip, h.raw};
    bool any_reported = false;
    for (int r : h.rules) {
      auto ri = static_cast<std::size_t>(r);
      const auto& rule = rules_.rules()[ri];
      auto values = [&](Field f) -> std::string_view { return val(h, engine_.capture_index(f)); };
      corr_.feed(ri, h.time, values, [&](const CorrelationFire& f) { fired(f, h, path); });
      if (corr_.hides(ri)) continue;
      any_reported = true;
      ml.rules.push_back(&rule.meta);
      auto& g = group(false, ri, std::string(ip), h, path);
      if (!val(h, user_).empty() && g.users.size() < 10) g.users.emplace(val(h, user_));
      if (a) {
        ++a->kinds[rule.meta.title];
        if (rule.meta.severity >= Severity::low) a->reported = true;
        if (!a->destination_port && rules_.rules()[ri].source.family == LogFamily::web) a->destination_port = 80;
        auto status = val(h, status_);
        if (rules_.rules()[ri].source.family == LogFamily::web && status.size() == 3 && status[0] == '2')
          ++a->web_successes;
      }
    }
    if (a && any_reported) ++a->events;
    if (any_reported) {
      ++result_.matched_lines;
      if (on_match_) on_match_(ml);
    }
  }

  Group& group(bool correlation, std::size_t index, const std::string& key, const Hit& h, const std::string& path) {
    auto [it, fresh] = groups_.try_emplace({correlation, index, key});
    Group& g = it->second;
    if (fresh) {
      g.correlation = correlation;
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

  void fired(const CorrelationFire& f, const Hit& h, const std::string& path) {
    const auto& c = corr_.correlations()[f.correlation];
    auto& g = group(true, f.correlation, *f.group, h, path);
    g.peak = std::max(g.peak, f.value);
    if (!val(h, user_).empty() && g.users.size() < 10) g.users.emplace(val(h, user_));
    for (std::size_t i = 0; i < c.group_by.size(); ++i)
      if (c.group_by[i] == Field::source_ip) {
        auto key = std::string_view(*f.group);
        for (std::size_t k = 0; k < i; ++k) key = key.substr(key.find('\x1f') + 1);
        if (auto* a = attacker(key.substr(0, key.find('\x1f')))) {
          a->reported = true;
          ++a->kinds[c.meta.title];
        }
      }
  }

  static bool private_address(std::string_view ip) {
    return ip.starts_with("10.") || ip.starts_with("192.168.") || ip.starts_with("127.") ||
           (ip.starts_with("172.") && ip.size() > 6 && std::atoi(std::string(ip.substr(4, 2)).c_str()) >= 16 &&
            std::atoi(std::string(ip.substr(4, 2)).c_str()) <= 31) ||
           ip.starts_with("fd") || ip.starts_with("fe80:") || ip == "::1";
  }

  // A user's successful login from a source they had not logged in from before: one
  // finding per user, listing the new sources; low for a public address, info for a
  // private one (a new desk, a VPN pool).
  void new_source(const Hit& h, const std::string& path, std::string_view user, std::string_view ip) {
    if (!o_.new_source) return;
    auto& seen = user_sources_[std::string(user)];
    if (!seen.empty() && !seen.count(std::string(ip))) {
      auto [it, fresh] = new_sources_.try_emplace(std::string(user));
      Finding& f = it->second;
      if (fresh) {
        f.rule = "logs.new-login-source";
        f.severity = Severity::info;
        f.title = "Login from a source this user had not logged in from before";
        f.why = fmt::format("{} logged in from a source not seen for it earlier in these logs (first at {}, after {} "
                            "known source(s)): a stolen password or key used from elsewhere looks like this, and so "
                            "does a new laptop.",
                            user, report::iso8601_or_dash(h.time), seen.size());
        f.add("user.name", std::string(user)).add("event.start", report::iso8601_or_dash(h.time));
        f.add("log.file.path", path).add("log.file.line", static_cast<std::int64_t>(h.line));
        f.remedy = "Confirm with the user that the logins were theirs; if not, lock the account and rotate its keys.";
        f.attack = {"T1078"};
        f.source = "logs";
      }
      if (!private_address(ip)) f.severity = Severity::low;
      f.add("source.ip", std::string(ip));
    }
    seen.emplace(ip);
  }

  void slow_brute_force() {
    if (!o_.slow_failures) return;
    std::set<std::string> windowed;  // sources a correlation already reported
    for (const auto& [k, g] : groups_)
      if (g.correlation)
        for (Field f : corr_.correlations()[g.index].group_by)
          if (f == Field::source_ip) windowed.insert(g.key.substr(0, g.key.find('\x1f')));
    for (auto& [ip, a] : attackers_) {
      if (a.successes || a.failures + a.invalid_users < o_.slow_failures || windowed.count(ip)) continue;
      Finding f;
      f.rule = "logs.auth-slow-brute-force";
      std::uint64_t n = a.failures + a.invalid_users;
      f.severity = n >= 20 ? Severity::medium : Severity::low;
      f.title = "Failed logins from a source that never logged in";
      f.why = fmt::format("{} failed logins ({} for invalid users) from {} between {} and {}, and no successful one: "
                          "a password guesser that stays under per-window thresholds (fail2ban's 5 in 10 minutes).",
                          n, a.invalid_users, ip, report::iso8601_or_dash(a.first), report::iso8601_or_dash(a.last));
      f.add("source.ip", ip).add("event.count", static_cast<std::int64_t>(n));
      f.add("event.start", report::iso8601_or_dash(a.first)).add("event.end", report::iso8601_or_dash(a.last));
      std::string users;
      for (const auto& u : a.users) users += (users.empty() ? "" : ",") + u;
      if (!users.empty()) f.add("user.name", users);
      f.remedy = "Block the source at the firewall and make sure password authentication is off where keys suffice.";
      f.attack = {"T1110.001"};
      f.source = "logs";
      a.reported = true;
      a.kinds["Failed logins from a source that never logged in"] += n;
      result_.findings.push_back(std::move(f));
    }
  }

  Finding to_finding(const Group& g) {
    const sigma::RuleMeta& m = g.correlation ? corr_.correlations()[g.index].meta : rules_.rules()[g.index].meta;
    Finding f;
    f.rule = sigma::finding_rule_id(m);
    f.severity = m.severity;
    f.title = m.title;
    std::string what = g.correlation ? fmt::format("{} firing(s), peak {} within {}s", g.count, g.peak,
                                                   corr_.correlations()[g.index].timespan)
                                     : fmt::format("{} matching event(s)", g.count);
    f.why = m.description.empty() ? what : m.description + " (" + what + ")";
    if (g.correlation) {
      const auto& c = corr_.correlations()[g.index];
      std::string_view key = g.key;
      for (Field gb : c.group_by) {
        auto cut = key.find('\x1f');
        f.add(std::string(field_name(gb)), std::string(key.substr(0, cut)));
        key = cut == std::string_view::npos ? std::string_view{} : key.substr(cut + 1);
      }
      if (auto it = attackers_.find(g.key.substr(0, g.key.find('\x1f'))); it != attackers_.end()) {
        std::string users;
        for (const auto& u : it->second.users) users += (users.empty() ? "" : ",") + u;
        if (!users.empty()) f.add("user.name", users);
      }
    } else {
      if (!g.key.empty()) f.add("source.ip", g.key);
      std::string users;
      for (const auto& u : g.users) users += (users.empty() ? "" : ",") + u;
      if (!users.empty()) f.add("user.name", users);
    }
    f.add("event.count", static_cast<std::int64_t>(g.count));
    f.add("event.start", report::iso8601_or_dash(g.first)).add("event.end", report::iso8601_or_dash(g.last));
    f.add("log.file.path", g.path).add("log.file.line", static_cast<std::int64_t>(g.line));
    if (!g.sample.empty()) f.add("event.original", excerpt(g.sample, 300));
    if (!m.id.empty()) f.add("rule.uuid", m.id);
    if (!m.author.empty()) f.add("rule.author", m.author);
    if (!m.references.empty()) f.add("rule.reference", m.references.front());
    f.add("rule.ruleset", m.file);
    f.remedy = m.remedy.empty() ? "Read the matching lines (log.file.path:log.file.line) and decide whether the "
                                  "source was only probing or got in; block sources that keep attacking."
                                : m.remedy;
    f.attack = m.attack;
    f.source = "logs";
    return f;
  }

  const ScanOptions& o_;
  const Engine& engine_;
  const sigma::RuleSet& rules_;
  Correlator& corr_;
  ScanResult& result_;
  const std::function<void(const MatchedLine&)>& on_match_;
  std::size_t ip_, user_, action_, outcome_, status_, dst_ip_, dst_port_;
  std::map<std::tuple<bool, std::size_t, std::string>, Group> groups_;
  std::unordered_map<std::string, Attacker> attackers_;
  std::unordered_map<std::string, std::set<std::string>> user_sources_;
  std::map<std::string, Finding> new_sources_;
};

// The last "#Fields:" line in a block, for the W3C state of the block after it.
std::optional<std::string> last_fields_line(std::string_view data) {
  std::optional<std::string> out;
  std::size_t pos = 0;
  while (true) {
    auto at = data.find("#Fields:", pos);
    if (at == std::string_view::npos) break;
    if (at == 0 || data[at - 1] == '\n') {
      auto nl = data.find('\n', at);
      out = std::string(data.substr(at, nl - at));
    }
    pos = at + 1;
  }
  return out;
}

}  // namespace

ScanResult scan_logs(const ScanOptions& o, const std::function<void(const MatchedLine&)>& on_match) {
  ScanResult result;
  auto files = sigma::load_rule_paths(o.rule_paths);
  result.rule_files = files.files;
  result.rule_problems = std::move(files.problems);
  auto rules = sigma::RuleSet::compile(std::move(files.rules), result.rule_problems);
  Correlator corr(std::move(files.correlations), rules.rules(), result.rule_problems);
  result.rules_loaded = rules.rules().size();
  result.correlations_loaded = corr.correlations().size();
  for (const auto& r : rules.rules()) result.loaded.push_back(r.meta);
  for (const auto& c : corr.correlations()) result.loaded.push_back(c.meta);

  auto inputs = expand_inputs(o.paths, result.errors);
  if (o.journal) inputs.push_back({"journal", true});
  result.inputs.resize(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) result.inputs[i].path = inputs[i].path;

  Engine engine(rules, corr);
  Aggregator agg(o, engine, rules, corr, result, on_match);

  unsigned jobs = o.jobs ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
  const std::size_t max_inflight = jobs * 2 + 1;
  std::mutex mu;
  std::condition_variable work_cv, done_cv;
  std::deque<Task> queue;
  std::map<std::uint64_t, BlockResult> done;
  bool closing = false;
  std::vector<std::thread> workers;
  for (unsigned i = 0; i < jobs; ++i)
    workers.emplace_back([&] {
      auto scratch = rules.make_scratch();
      while (true) {
        Task t;
        {
          std::unique_lock lk(mu);
          work_cv.wait(lk, [&] { return closing || !queue.empty(); });
          if (queue.empty()) return;
          t = std::move(queue.front());
          queue.pop_front();
        }
        BlockResult r = engine.process(t, *scratch);
        {
          std::lock_guard lk(mu);
          done.emplace(t.seq, std::move(r));
        }
        done_cv.notify_all();
      }
    });

  std::uint64_t next_seq = 0, next_consume = 0;
  auto consume_one = [&] {
    BlockResult r;
    {
      std::unique_lock lk(mu);
      done_cv.wait(lk, [&] { return done.count(next_consume) > 0; });
      r = std::move(done[next_consume]);
      done.erase(next_consume);
    }
    ++next_consume;
    agg.consume(r, inputs[r.input].path);
  };

  for (std::size_t i = 0; i < inputs.size(); ++i) {
    auto& report = result.inputs[i];
    LogFormat format = LogFormat::unknown;
    std::string w3c;
    bool first = true;
    auto emit = [&](Block&& b) {
      if (first) {
        format = detect_format(b.data);
        report.format = format;
        first = false;
      }
      Task t{next_seq++, std::move(b), format, w3c};
      if (format == LogFormat::w3c || format == LogFormat::unknown)
        if (auto f = last_fields_line(t.block.data)) w3c = *f;
      while (next_seq - next_consume > max_inflight) consume_one();
      {
        std::lock_guard lk(mu);
        queue.push_back(std::move(t));
      }
      work_cv.notify_one();
    };
    auto notes = read_input(inputs[i], i, o.limits, emit);
    report.messages = std::move(notes.messages);
    report.failed = notes.failed;
    report.compressed = notes.compressed;
  }
  while (next_consume < next_seq) consume_one();
  {
    std::lock_guard lk(mu);
    closing = true;
  }
  work_cv.notify_all();
  for (auto& w : workers) w.join();
  agg.finish();
  for (const auto& in : result.inputs) {
    result.lines += in.lines;
    result.events += in.events;
    result.unparsed += in.unparsed;
  }
  return result;
}

}  // namespace vigil::logs
