// The watch.yaml reader: a walk over yaml-cpp's nodes that checks each key against the keys
// its section knows, converts each value with its unit, and notes every error where it was
// written instead of stopping at the first.
#include "watch/config.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "core/text.hpp"
#include "watch/journal_source.hpp"
#include "watch/units.hpp"

namespace vigil::watch {

namespace {

constexpr std::pair<std::string_view, int> kFacilities[] = {
    {"kern", 0},    {"user", 1},    {"mail", 2},    {"daemon", 3},  {"auth", 4},    {"syslog", 5},
    {"lpr", 6},     {"news", 7},    {"uucp", 8},    {"cron", 9},    {"authpriv", 10}, {"ftp", 11},
    {"local0", 16}, {"local1", 17}, {"local2", 18}, {"local3", 19}, {"local4", 20}, {"local5", 21},
    {"local6", 22}, {"local7", 23}};

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  std::vector<ConfigError> errors;

  ConfigMark mark(const YAML::Node& n) const {
    auto m = n.Mark();
    if (m.is_null()) return {};
    return {m.line + 1, m.column + 1};
  }
  void fail(const YAML::Node& n, std::string message) { errors.push_back({file_, mark(n), std::move(message)}); }

  // The keys of `map`, each of which must be one of `known`; false when `map` is not a map.
  bool keys(const YAML::Node& map, std::string_view where, std::initializer_list<std::string_view> known) {
    if (!map.IsMap()) {
      fail(map, fmt::format("{}: expected a mapping of keys to values", where));
      return false;
    }
    for (const auto& kv : map) {
      auto k = kv.first.IsScalar() ? kv.first.Scalar() : std::string{};
      bool ok = false;
      for (auto n : known) ok = ok || k == n;
      if (!ok) {
        std::string list;
        for (auto n : known) list += (list.empty() ? "" : ", ") + std::string(n);
        fail(kv.first, fmt::format("{}: unknown key '{}' (expected one of: {})", where, k, list));
      }
    }
    return true;
  }

  std::optional<std::string> string(const YAML::Node& n, std::string_view what) {
    if (!n.IsScalar()) {
      fail(n, fmt::format("{}: expected a string", what));
      return std::nullopt;
    }
    return n.Scalar();
  }
  void boolean(const YAML::Node& n, std::string_view what, bool& out) {
    if (!n) return;
    bool v = false;
    if (n.IsScalar() && YAML::convert<bool>::decode(n, v)) out = v;
    else fail(n, fmt::format("{}: expected true or false", what));
  }
  template <typename Parse, typename T>
  void unit(const YAML::Node& n, std::string_view what, std::string_view expected, Parse parse, T& out) {
    if (!n) return;
    if (auto s = string(n, what)) {
      if (auto v = parse(*s); v && *v > 0) out = static_cast<T>(*v);
      else fail(n, fmt::format("{}: '{}' is not {}", what, *s, expected));
    }
  }
  void count(const YAML::Node& n, std::string_view what, std::int64_t lo, std::int64_t hi, std::int64_t& out) {
    if (!n) return;
    long long v = 0;
    if (n.IsScalar() && YAML::convert<long long>::decode(n, v) && v >= lo && v <= hi) out = v;
    else fail(n, fmt::format("{}: expected a whole number from {} to {}", what, lo, hi));
  }
  std::vector<std::string> strings(const YAML::Node& n, std::string_view what) {
    std::vector<std::string> out;
    if (!n) return out;
    if (!n.IsSequence()) {
      fail(n, fmt::format("{}: expected a list", what));
      return out;
    }
    for (const auto& item : n)
      if (auto s = string(item, what)) {
        if (s->empty()) fail(item, fmt::format("{}: an empty entry", what));
        else out.push_back(*s);
      }
    return out;
  }

  void sources(const YAML::Node& n, WatchConfig& c) {
    if (!keys(n, "sources", {"logs", "from_start", "triage", "processes", "fim", "scan"})) return;
    if (auto f = n["fim"]) fim(f, c.fim);
    if (auto f = n["scan"]) scan(f, c.scan);
    if (auto v = n["processes"]) {
      if (auto p = string(v, "sources.processes")) {
        if (*p == "auto" || *p == "bpf" || *p == "audit" || *p == "connector" || *p == "off") c.processes = *p;
        else fail(v, fmt::format("sources.processes: '{}' is not auto, bpf, audit, connector or off", *p));
      }
    }
    c.logs = strings(n["logs"], "sources.logs");
    boolean(n["from_start"], "sources.from_start", c.from_start);
    if (auto t = n["triage"]) {
      if (t.IsScalar() && (t.Scalar() == "off" || t.Scalar() == "false")) {
        c.triage_quick_ms = c.triage_full_ms = 0;
      } else if (keys(t, "sources.triage", {"quick", "full"})) {
        for (auto [key, out] : {std::pair{"quick", &c.triage_quick_ms}, std::pair{"full", &c.triage_full_ms}}) {
          auto v = t[key];
          if (v && v.IsScalar() && v.Scalar() == "off") *out = 0;
          else unit(v, std::string("sources.triage.") + key, "a duration such as 1m, or off", parse_duration_ms, *out);
        }
      }
    }
  }

  void fim(const YAML::Node& n, FimSourceConfig& f) {
    if (n.IsScalar() && (n.Scalar() == "off" || n.Scalar() == "false")) {
      f.mode = "off";
      return;
    }
    if (n.IsScalar() && n.Scalar() == "auto") return;
    if (!keys(n, "sources.fim", {"store", "baseline", "key", "events", "debounce"})) return;
    f.mode = "on";
    for (auto [key, out] : {std::pair{"store", &f.store}, std::pair{"baseline", &f.baseline}, std::pair{"key", &f.key}})
      if (auto v = n[key])
        if (auto s = string(v, std::string("sources.fim.") + key)) *out = *s;
    if (auto v = n["events"])
      if (auto e = string(v, "sources.fim.events")) {
        if (*e == "auto" || *e == "fanotify" || *e == "inotify") f.events = *e;
        else fail(v, fmt::format("sources.fim.events: '{}' is not auto, fanotify or inotify", *e));
      }
    if (auto v = n["debounce"]) unit(v, "sources.fim.debounce", "a duration such as 200ms", parse_duration_ms, f.debounce_ms);
  }

  void scan(const YAML::Node& n, ScanSourceConfig& f) {
    if (n.IsScalar() && (n.Scalar() == "off" || n.Scalar() == "false")) {
      f.mode = "off";
      return;
    }
    f.mode = "on";
    if (n.IsScalar() && (n.Scalar() == "on" || n.Scalar() == "true")) return;
    if (!keys(n, "sources.scan", {"paths", "rules", "builtin", "max_size", "debounce", "events"})) return;
    f.paths = strings(n["paths"], "sources.scan.paths");
    f.rules = strings(n["rules"], "sources.scan.rules");
    boolean(n["builtin"], "sources.scan.builtin", f.builtin);
    if (auto v = n["max_size"]) unit(v, "sources.scan.max_size", "a size such as 64MB", parse_size, f.max_size);
    if (auto v = n["debounce"]) unit(v, "sources.scan.debounce", "a duration such as 500ms", parse_duration_ms, f.debounce_ms);
    if (auto v = n["events"])
      if (auto e = string(v, "sources.scan.events")) {
        if (*e == "auto" || *e == "fanotify" || *e == "inotify") f.events = *e;
        else fail(v, fmt::format("sources.scan.events: '{}' is not auto, fanotify or inotify", *e));
      }
    if (!f.builtin && f.rules.empty()) fail(n, "sources.scan: builtin: false needs rules");
  }

  void events(const YAML::Node& n, EventsConfig& e) {
    if (n.IsScalar() && (n.Scalar() == "off" || n.Scalar() == "false")) {
      e.on = false;
      return;
    }
    if (!keys(n, "events", {"store", "keep", "max_rows"})) return;
    if (auto v = n["store"])
      if (auto s = string(v, "events.store")) e.store = *s;
    unit(n["keep"], "events.keep", "a duration such as 7d", parse_duration_ms, e.keep_ms);
    count(n["max_rows"], "events.max_rows", 1000, 1'000'000'000, e.max_rows);
  }

  void response(const YAML::Node& n, ResponseConfig& r) {
    if (!keys(n, "response", {"dry_run", "allowlist", "table", "captures_max"})) return;
    unit(n["captures_max"], "response.captures_max", "a size such as 1GB", parse_size, r.captures_max);
    boolean(n["dry_run"], "response.dry_run", r.dry_run);
    for (const auto& item : strings(n["allowlist"], "response.allowlist")) {
      if (auto net = Cidr::parse(item)) r.allowlist.push_back(*net);
      else fail(n["allowlist"], fmt::format("response.allowlist: '{}' is not an address or network", item));
    }
    if (auto v = n["table"])
      if (auto t = string(v, "response.table")) {
        if (!t->empty() && t->find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos) r.table = *t;
        else fail(v, fmt::format("response.table: '{}' is not a table name (lower-case letters, digits, _)", *t));
      }
  }

  void action(const YAML::Node& n, const std::string& where, TriggerConfig& t) {
    if (!keys(n, where, {"type", "argv", "timeout", "ttl", "duration", "max_size", "interface", "field"})) return;
    ActionConfig a;
    auto type = n["type"] ? string(n["type"], where + ".type") : std::nullopt;
    if (!n["type"]) fail(n, where + ": missing 'type' (exec, block or capture)");
    else if (type && *type == "exec") a.kind = ActionKind::exec;
    else if (type && *type == "block") a.kind = ActionKind::block;
    else if (type && *type == "capture") a.kind = ActionKind::capture;
    else if (type) fail(n["type"], fmt::format("{}.type: '{}' is not exec, block or capture", where, *type));
    if (a.kind == ActionKind::exec) {
      a.argv = strings(n["argv"], where + ".argv");
      if (a.argv.empty()) fail(n, where + ": an exec action needs argv: [PROGRAM, ARG…] (run without a shell)");
    } else if (n["argv"]) {
      fail(n["argv"], where + ".argv: only exec actions run a program");
    }
    unit(n["timeout"], where + ".timeout", "a duration such as 10s", parse_duration_ms, a.timeout_ms);
    unit(n["ttl"], where + ".ttl", "a duration such as 1h", parse_duration_ms, a.ttl_ms);
    unit(n["duration"], where + ".duration", "a duration such as 60s", parse_duration_ms, a.duration_ms);
    unit(n["max_size"], where + ".max_size", "a size such as 20MB", parse_size, a.max_size);
    if (auto v = n["interface"])
      if (auto i = string(v, where + ".interface")) a.interface = *i;
    if (auto v = n["field"])
      if (auto f = string(v, where + ".field")) a.field = *f;
    t.actions.push_back(std::move(a));
  }

  void trigger(const YAML::Node& n, std::size_t i, WatchConfig& c) {
    std::string where = fmt::format("triggers[{}]", i);
    if (!keys(n, where, {"name", "when", "severity", "key", "once_per", "max_per_minute", "actions"})) return;
    TriggerConfig t;
    t.name = fmt::format("trigger{}", i + 1);
    if (auto v = n["name"])
      if (auto s = string(v, where + ".name")) t.name = *s;
    if (auto v = n["when"]) {
      if (auto s = string(v, where + ".when")) {
        auto words = split_ws(*s);
        if (auto m = parse_finding_match(words)) t.when = std::move(*m);
        else fail(v, fmt::format("{}.when: {}", where, m.error()));
      }
    } else {
      fail(n, where + ": missing 'when' (RULE-GLOB [FIELD=GLOB …], as in the suppression file)");
    }
    if (auto v = n["severity"])
      if (auto w = string(v, where + ".severity")) {
        if (auto sev = parse_severity(*w)) t.min_severity = *sev;
        else fail(v, fmt::format("{}.severity: '{}' is not info, low, medium, high or critical", where, *w));
      }
    if (auto v = n["key"])
      if (auto k = string(v, where + ".key")) t.key = *k;
    unit(n["once_per"], where + ".once_per", "a duration such as 1h", parse_duration_ms, t.once_per_ms);
    std::int64_t rate = t.max_per_minute;
    count(n["max_per_minute"], where + ".max_per_minute", 1, 100'000, rate);
    t.max_per_minute = static_cast<int>(rate);
    auto actions = n["actions"];
    if (!actions || !actions.IsSequence() || actions.size() == 0) {
      fail(actions ? actions : n, where + ": expected a list of actions (exec, block, capture)");
    } else {
      for (std::size_t k = 0; k < actions.size(); ++k) action(actions[k], fmt::format("{}.actions[{}]", where, k), t);
    }
    for (const auto& other : c.triggers)
      if (other.name == t.name) fail(n, fmt::format("{}: a second trigger named '{}'", where, t.name));
    c.triggers.push_back(std::move(t));
  }

  void rules(const YAML::Node& n, WatchConfig& c) {
    if (!keys(n, "rules", {"builtin", "paths", "disable", "flush", "idle_close", "web_profile"})) return;
    boolean(n["builtin"], "rules.builtin", c.builtin_rules);
    if (auto v = n["web_profile"])
      if (auto s = string(v, "rules.web_profile")) c.web_profile = *s, c.web_profile_mark = mark(v);
    c.rule_paths = strings(n["paths"], "rules.paths");
    if (auto d = n["disable"]) {
      if (!d.IsSequence()) fail(d, "rules.disable: expected a list of rule ids");
      else
        for (const auto& item : d)
          if (auto s = string(item, "rules.disable")) c.disabled_rules.emplace_back(*s, mark(item));
    }
    unit(n["flush"], "rules.flush", "a duration such as 500ms or 2s", parse_duration_ms, c.flush_ms);
    unit(n["idle_close"], "rules.idle_close", "a duration such as 10m", parse_duration_ms, c.idle_close_ms);
  }

  void sink(const YAML::Node& n, std::size_t index, WatchConfig& c) {
    auto where = fmt::format("sinks[{}]", index);
    if (!keys(n, where,
              {"type", "name", "min_severity", "path", "max_size", "keep", "transport", "address", "facility",
               "buffer"}))
      return;
    SinkConfig s;
    auto type = n["type"] ? string(n["type"], where + ".type") : std::nullopt;
    bool known_type = false;
    if (!n["type"]) fail(n, where + ": 'type' is required (jsonl, stdout, syslog or journal)");
    else if (type) {
      known_type = true;
      if (*type == "jsonl") s.kind = SinkKind::jsonl;
      else if (*type == "stdout") s.kind = SinkKind::stdout_;
      else if (*type == "syslog") s.kind = SinkKind::syslog;
      else if (*type == "journal") s.kind = SinkKind::journal;
      else {
        fail(n["type"], fmt::format("{}.type: '{}' is not jsonl, stdout, syslog or journal", where, *type));
        known_type = false;
      }
    }
    if (!known_type) return;  // its other keys cannot be judged
    s.name = std::string(sink_kind_name(s.kind));
    if (auto v = n["name"]) {
      if (auto name = string(v, where + ".name")) {
        bool clean = !name->empty() && name->size() <= 64;
        for (char ch : *name) clean = clean && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_');
        if (clean) s.name = *name;
        else fail(v, where + ".name: expected 1 to 64 letters, digits, '-' or '_'");
      }
    }
    if (auto v = n["min_severity"]) {
      if (auto w = string(v, where + ".min_severity")) {
        if (auto sev = parse_severity(*w)) s.min_severity = *sev;
        else fail(v, fmt::format("{}.min_severity: '{}' is not info, low, medium, high or critical", where, *w));
      }
    }
    auto only = [&](const char* key, std::initializer_list<SinkKind> kinds, const char* said) {
      if (!n[key]) return;
      bool ok = false;
      for (auto k : kinds) ok = ok || k == s.kind;
      if (!ok) fail(n[key], fmt::format("{}.{}: only {} sinks take it", where, key, said));
    };
    only("path", {SinkKind::jsonl}, "jsonl");
    only("max_size", {SinkKind::jsonl}, "jsonl");
    only("keep", {SinkKind::jsonl}, "jsonl");
    only("transport", {SinkKind::syslog}, "syslog");
    only("address", {SinkKind::syslog}, "syslog");
    only("facility", {SinkKind::syslog}, "syslog");
    only("buffer", {SinkKind::syslog, SinkKind::journal}, "syslog and journal");
    if (auto v = n["path"]) {
      if (auto p = string(v, where + ".path")) s.path = *p;
    }
    unit(n["max_size"], where + ".max_size", "a size such as 100MB", parse_size, s.max_size);
    std::int64_t keep = s.keep;
    count(n["keep"], where + ".keep", 0, 100, keep);
    s.keep = static_cast<int>(keep);
    unit(n["buffer"], where + ".buffer", "a size such as 64MB", parse_size, s.buffer);
    if (s.kind == SinkKind::syslog) {
      if (auto v = n["transport"]) {
        if (auto t = string(v, where + ".transport")) {
          if (*t == "udp") s.transport = SyslogTransport::udp;
          else if (*t == "tcp") s.transport = SyslogTransport::tcp;
          else if (*t == "unix") s.transport = SyslogTransport::unix_;
          else fail(v, fmt::format("{}.transport: '{}' is not udp, tcp or unix", where, *t));
        }
      }
      if (auto v = n["address"]) {
        if (auto a = string(v, where + ".address")) s.address = *a;
      } else {
        fail(n, where + ": a syslog sink needs 'address' (host:port, or a socket path for unix)");
      }
      if (auto v = n["facility"]) {
        if (auto f = string(v, where + ".facility")) {
          bool found = false;
          for (auto [name, code] : kFacilities)
            if (name == *f) s.facility = code, found = true;
          if (!found) fail(v, fmt::format("{}.facility: '{}' is not a syslog facility (auth, authpriv, daemon, local0…7, …)", where, *f));
        }
      }
    }
    for (const auto& other : c.sinks)
      if (other.name == s.name)
        fail(n, fmt::format("{}: a second sink named '{}' (give each a distinct 'name')", where, s.name));
    c.sinks.push_back(std::move(s));
  }

  void limits(const YAML::Node& n, WatchConfig& c) {
    if (!keys(n, "limits", {"rss", "cpu", "queue"})) return;
    unit(n["rss"], "limits.rss", "a size such as 200MB", parse_size, c.rss_limit);
    unit(n["cpu"], "limits.cpu", "a percentage of one core such as 10%", parse_percent, c.cpu_limit);
    std::int64_t q = static_cast<std::int64_t>(c.queue);
    count(n["queue"], "limits.queue", 1, 10'000'000, q);
    c.queue = static_cast<std::size_t>(q);
  }

  void document(const YAML::Node& root, WatchConfig& c) {
    if (!root || root.IsNull()) return;  // an empty file: every default
    if (!keys(root, "watch.yaml", {"state_dir", "sources", "events", "rules", "suppressions", "sinks", "limits",
                                          "triggers", "response"})) return;
    if (auto v = root["state_dir"]) {
      if (auto s = string(v, "state_dir")) c.state_dir = *s;
    }
    if (auto v = root["suppressions"]) {
      if (auto s = string(v, "suppressions")) c.suppressions = *s, c.suppressions_mark = mark(v);
    }
    if (auto v = root["sources"]) sources(v, c);
    if (auto v = root["rules"]) rules(v, c);
    if (auto v = root["events"]) events(v, c.events);
    if (auto v = root["sinks"]) {
      if (!v.IsSequence()) fail(v, "sinks: expected a list of sinks");
      else
        for (std::size_t i = 0; i < v.size(); ++i) sink(v[i], i, c);
    }
    if (auto v = root["limits"]) limits(v, c);
    if (auto v = root["response"]) response(v, c.response);
    if (auto v = root["triggers"]) {
      if (!v.IsSequence()) fail(v, "triggers: expected a list of triggers");
      else
        for (std::size_t i = 0; i < v.size(); ++i) trigger(v[i], i, c);
    }
  }

 private:
  std::string file_;
};

}  // namespace

std::string format_error(const ConfigError& e) {
  if (e.mark.line == 0) return fmt::format("{}: {}", e.file, e.message);
  return fmt::format("{}:{}:{}: {}", e.file, e.mark.line, e.mark.column, e.message);
}

std::string_view sink_kind_name(SinkKind k) {
  switch (k) {
    case SinkKind::jsonl: return "jsonl";
    case SinkKind::stdout_: return "stdout";
    case SinkKind::syslog: return "syslog";
    case SinkKind::journal: return "journal";
  }
  return "?";
}

expected<WatchConfig, std::vector<ConfigError>> parse_config(std::string_view text, const std::string& file) {
  WatchConfig c;
  c.file = file;
  Reader r(file);
  try {
    r.document(YAML::Load(std::string(text)), c);
  } catch (const YAML::Exception& e) {
    ConfigMark m;
    if (!e.mark.is_null()) m = {e.mark.line + 1, e.mark.column + 1};
    r.errors.push_back({file, m, "not valid YAML: " + e.msg});
  }
  if (!r.errors.empty()) return make_unexpected(std::move(r.errors));
  for (auto& sink : c.sinks) sink.queue = c.queue;
  return c;
}

expected<WatchConfig, std::vector<ConfigError>> load_config(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return make_unexpected(std::vector<ConfigError>{{file, {}, "cannot be read"}});
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return make_unexpected(std::vector<ConfigError>{{file, {}, "cannot be read"}});
  return parse_config(text.str(), file);
}

std::vector<std::string> existing_default_logs() {
  // One of each pair: Debian's name first, then Red Hat's.
  static const std::vector<std::vector<std::string>> kCandidates = {
      {"/var/log/auth.log", "/var/log/secure"},
      {"/var/log/syslog", "/var/log/messages"},
      {"/var/log/apache2/access.log", "/var/log/httpd/access_log"},
      {"/var/log/apache2/error.log", "/var/log/httpd/error_log"},
      {"/var/log/nginx/access.log"},
      {"/var/log/nginx/error.log"},
  };
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& choices : kCandidates)
    for (const auto& p : choices)
      if (std::filesystem::is_regular_file(p, ec)) {
        out.push_back(p);
        break;
      }
  return out;
}

WatchConfig default_config() {
  WatchConfig c;
  c.logs = existing_default_logs();
  // The journal only where no syslog daemon writes the files: rsyslog copies the journal into
  // them, and following both would report every event twice.
  bool syslog_files = std::any_of(c.logs.begin(), c.logs.end(), [](const std::string& p) {
    return p == "/var/log/auth.log" || p == "/var/log/secure" || p == "/var/log/syslog" || p == "/var/log/messages";
  });
  if (journald_running() && !syslog_files) c.logs.push_back("journal");
  c.scan.mode = "on";  // the drop zones, with vigil's rules
  c.sinks.push_back(SinkConfig{});
  if (::isatty(STDOUT_FILENO)) {
    SinkConfig s;
    s.kind = SinkKind::stdout_;
    s.name = "stdout";
    c.sinks.push_back(s);
  }
  return c;
}

}  // namespace vigil::watch

namespace vigil::watch {

expected<WatchConfig, std::vector<ConfigError>> resolve_config(const CommandLine& cl) {
  WatchConfig c;
  std::error_code ec;
  std::string file = cl.config;
  if (file.empty() && cl.logs.empty() && std::filesystem::exists(kDefaultConfigPath, ec)) file = kDefaultConfigPath;
  if (!file.empty()) {
    auto loaded = load_config(file);
    if (!loaded) return loaded;
    c = std::move(*loaded);
    if (c.sinks.empty()) c.sinks.push_back(SinkConfig{});
  } else if (cl.logs.empty()) {
    c = default_config();
  } else {
    c.sinks.push_back(SinkConfig{});
    c.triage_quick_ms = c.triage_full_ms = 0;  // --log alone: those logs, nothing else
    c.processes = "off";
    c.fim.mode = "off";
  }
  c.logs.insert(c.logs.end(), cl.logs.begin(), cl.logs.end());
  if (!cl.state_dir.empty()) c.state_dir = cl.state_dir;
  if (cl.from_start) c.from_start = true;
  if (cl.dry_run) c.response.dry_run = true;
  if (!cl.output.empty()) {
    auto it = std::find_if(c.sinks.begin(), c.sinks.end(), [](const SinkConfig& s) { return s.kind == SinkKind::jsonl; });
    if (it == c.sinks.end()) it = c.sinks.insert(c.sinks.end(), SinkConfig{});
    it->path = cl.output;
  }
  c.rule_paths.insert(c.rule_paths.end(), cl.rules.begin(), cl.rules.end());
  if (cl.no_builtin) c.builtin_rules = false;
  if (c.builtin_rules && !cl.builtin_rules.empty()) c.rule_paths.push_back(cl.builtin_rules);
  if (c.logs.empty() && c.triage_quick_ms == 0 && c.triage_full_ms == 0 && c.processes == "off" && c.fim.mode != "on" &&
      c.scan.mode != "on")
    return make_unexpected(std::vector<ConfigError>{
        {file.empty() ? "vigil watch" : file, {},
         "nothing to watch: no log given (--log PATH, or sources.logs in the config), none of the usual logs "
         "exists here, and the periodic triage is off"}});
  return c;
}

}  // namespace vigil::watch
