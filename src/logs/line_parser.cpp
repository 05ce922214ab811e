#include "logs/line_parser.hpp"

#include <nlohmann/json.hpp>

#include <array>

#include "logs/timestamp.hpp"

namespace vigil::logs {

namespace {

constexpr std::array<LogFormat, 5> kOrder = {LogFormat::syslog, LogFormat::web_access, LogFormat::json,
                                             LogFormat::web_error, LogFormat::w3c};

// JSON keys, flat or dotted-path, mapped to fields: ECS names, journald export names, and
// the usual nginx/apache JSON log_format names.
struct JsonKey {
  std::string_view key;
  Field field;
};
constexpr JsonKey kJsonKeys[] = {
    {"MESSAGE", Field::message},
    {"SYSLOG_IDENTIFIER", Field::process_name},
    {"_COMM", Field::process_name},
    {"_PID", Field::process_pid},
    {"_HOSTNAME", Field::host_hostname},
    {"msg", Field::message},
    {"log", Field::message},
    {"remote_addr", Field::source_ip},
    {"client_ip", Field::source_ip},
    {"clientip", Field::source_ip},
    {"remote_user", Field::user_name},
    {"request_method", Field::http_method},
    {"method", Field::http_method},
    {"request_uri", Field::url_original},
    {"uri", Field::url_original},
    {"status", Field::http_status},
    {"body_bytes_sent", Field::http_bytes},
    {"http_referer", Field::http_referrer},
    {"referer", Field::http_referrer},
    {"http_user_agent", Field::user_agent},
    {"user_agent", Field::user_agent},
    {"host", Field::host_hostname},
    {"hostname", Field::host_hostname},
    {"program", Field::process_name},
    {"ident", Field::process_name},
    {"pid", Field::process_pid},
};

}  // namespace

bool LineParser::parse_json(std::string_view line, Event& e) {
  e.format = LogFormat::json;
  e.raw = line;
  auto doc = nlohmann::json::parse(line, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return false;
  scratch_.clear();
  scratch_.reserve(64);  // views stay valid: never more values than this
  auto put = [&](Field f, const nlohmann::json& v) {
    if (scratch_.size() >= 64 || e.has(f)) return;
    if (v.is_string()) scratch_.push_back(v.get<std::string>());
    else if (v.is_number() || v.is_boolean()) scratch_.push_back(v.dump());
    else return;
    e.set(f, scratch_.back());
  };
  // Walk nested objects with dotted paths: {"source":{"ip":…}} is source.ip.
  auto walk = [&](auto&& self, const nlohmann::json& obj, const std::string& prefix, int depth) -> void {
    if (depth > 4) return;
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      std::string key = prefix.empty() ? it.key() : prefix + "." + it.key();
      if (it->is_object()) {
        self(self, *it, key, depth + 1);
        continue;
      }
      if (auto f = field_by_name(key)) {
        put(*f, *it);
        continue;
      }
      for (const auto& k : kJsonKeys)
        if (k.key == key) put(k.field, *it);
      if ((key == "@timestamp" || key == "timestamp" || key == "time" || key == "time_local") && it->is_string()) {
        auto s = it->get<std::string>();
        if (auto t = parse_iso8601(s)) e.time = *t;
        else if (auto c = parse_clf_time(s)) e.time = *c;
      } else if (key == "__REALTIME_TIMESTAMP" && it->is_string()) {
        e.time = std::strtoll(it->get_ref<const std::string&>().c_str(), nullptr, 10) / 1000000;
      }
    }
  };
  walk(walk, doc, "", 0);
  if (auto req = doc.find("request"); req != doc.end() && req->is_string() && !e.has(Field::url_original)) {
    scratch_.push_back(req->get<std::string>());
    std::string_view r = scratch_.back();
    auto sp1 = r.find(' ');
    auto sp2 = r.rfind(' ');
    if (sp1 != std::string_view::npos && sp2 > sp1) {
      if (!e.has(Field::http_method)) e.set(Field::http_method, r.substr(0, sp1));
      e.set(Field::url_original, r.substr(sp1 + 1, sp2 - sp1 - 1));
    }
  }
  std::string_view url = e.get(Field::url_original);
  if (!url.empty() && !e.has(Field::url_path)) {
    auto q = url.find('?');
    e.set(Field::url_path, url.substr(0, q));
    if (q != std::string_view::npos) e.set(Field::url_query, url.substr(q + 1));
  }
  bool web = e.has(Field::http_method) || e.has(Field::http_status) || e.has(Field::url_original);
  e.family = web ? LogFamily::web : LogFamily::linux_system;
  if (!web) parse_auth_message(e);
  return true;
}

bool LineParser::parse_as(LogFormat f, std::string_view line, Event& e) {
  switch (f) {
    case LogFormat::syslog: return parse_syslog_line(line, ref_, e);
    case LogFormat::web_access: return parse_access_line(line, e);
    case LogFormat::json: return !line.empty() && line[0] == '{' && parse_json(line, e);
    case LogFormat::web_error: return parse_web_error_line(line, e);
    case LogFormat::w3c: return w3c_.has_fields() && w3c_.parse(line, e);
    case LogFormat::unknown: return false;
  }
  return false;
}

ParseResult LineParser::parse(std::string_view line, Event& e) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::size_t blank = 0;
  while (blank < line.size() && (line[blank] == ' ' || line[blank] == '\t')) ++blank;
  if (blank == line.size()) return ParseResult::blank;
  if (line[0] == '#' && (format_ == LogFormat::w3c || format_ == LogFormat::unknown) && w3c_.directive(line)) {
    if (w3c_.has_fields()) format_ = LogFormat::w3c;
    return ParseResult::directive;
  }
  e = Event{};
  if (format_ != LogFormat::unknown && parse_as(format_, line, e)) return ParseResult::event;
  for (LogFormat f : kOrder) {
    if (f == format_) continue;
    e = Event{};
    if (parse_as(f, line, e)) {
      if (format_ == LogFormat::unknown) format_ = f;
      return ParseResult::event;
    }
  }
  e = Event{};
  e.raw = line;
  return ParseResult::unparsed;
}

LogFormat detect_format(std::string_view sample) {
  std::array<int, 6> votes{};
  std::size_t pos = 0;
  int lines = 0;
  while (pos < sample.size() && lines < 50) {
    auto nl = sample.find('\n', pos);
    if (nl == std::string_view::npos) break;  // the last, maybe cut, line is not judged
    std::string_view line = sample.substr(pos, nl - pos);
    pos = nl + 1;
    ++lines;
    if (!line.empty() && line[0] == '#') {
      // A W3C header decides: its data lines ("2019-09-03 10:13:36 …") also read as ISO syslog.
      if (line.substr(0, 8) == "#Fields:") return LogFormat::w3c;
      continue;
    }
    for (LogFormat f : kOrder) {
      Event e;
      LineParser one({}, f);
      if (f != LogFormat::w3c && one.parse(line, e) == ParseResult::event && e.format == f) {
        ++votes[static_cast<int>(f)];
        break;
      }
    }
  }
  int best = static_cast<int>(LogFormat::unknown);
  for (int i = 0; i < 5; ++i)
    if (votes[i] > 0 && (best == static_cast<int>(LogFormat::unknown) || votes[i] > votes[best])) best = i;
  return static_cast<LogFormat>(best);
}

}  // namespace vigil::logs
