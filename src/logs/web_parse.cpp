#include "logs/web_parse.hpp"

#include <cctype>
#include <cstdlib>

#include "logs/timestamp.hpp"

namespace vigil::logs {

namespace {

using sv = std::string_view;

sv dash_empty(sv v) { return v == "-" ? sv{} : v; }

// A quoted field starting at s[pos] == '"'; honours backslash escapes. Returns the
// contents and moves pos past the closing quote (to the end when unterminated).
sv quoted(sv s, std::size_t& pos) {
  std::size_t start = ++pos;
  while (pos < s.size()) {
    if (s[pos] == '\\' && pos + 1 < s.size()) {
      pos += 2;
      continue;
    }
    if (s[pos] == '"') break;
    ++pos;
  }
  sv out = s.substr(start, pos - start);
  if (pos < s.size()) ++pos;
  return out;
}

// The request field ends at the quote that is followed by " <status>": request lines can
// hold raw quotes and binary bytes.
sv request_field(sv s, std::size_t& pos) {
  std::size_t start = ++pos;
  std::size_t at = start;
  while (true) {
    auto q = s.find('"', at);
    if (q == sv::npos) return {};
    if (q + 2 < s.size() && s[q + 1] == ' ' && (std::isdigit(static_cast<unsigned char>(s[q + 2])) || s[q + 2] == '-')) {
      pos = q + 1;
      return s.substr(start, q - start);
    }
    if (q + 1 == s.size()) return {};
    at = q + 1;
  }
}

sv token(sv s, std::size_t& pos) {
  while (pos < s.size() && s[pos] == ' ') ++pos;
  std::size_t start = pos;
  while (pos < s.size() && s[pos] != ' ') ++pos;
  return s.substr(start, pos - start);
}

void split_request(sv request, Event& e) {
  auto sp1 = request.find(' ');
  if (sp1 == sv::npos) {
    e.set(Field::url_original, request);
    return;
  }
  e.set(Field::http_method, request.substr(0, sp1));
  auto sp2 = request.rfind(' ');
  sv target = sp2 > sp1 && request.substr(sp2 + 1, 5) == "HTTP/" ? request.substr(sp1 + 1, sp2 - sp1 - 1)
                                                                   : request.substr(sp1 + 1);
  if (sp2 > sp1 && request.substr(sp2 + 1, 5) == "HTTP/") e.set(Field::http_version, request.substr(sp2 + 6));
  e.set(Field::url_original, target);
  auto q = target.find('?');
  e.set(Field::url_path, target.substr(0, q));
  if (q != sv::npos) e.set(Field::url_query, target.substr(q + 1));
}

bool looks_like_host(sv t) {
  if (t.empty()) return false;
  for (char c : t)
    if (!std::isxdigit(static_cast<unsigned char>(c)) && c != '.' && c != ':' && c != '-' && c != '_' &&
        !std::isalpha(static_cast<unsigned char>(c)))
      return false;
  return true;
}

}  // namespace

bool parse_access_line(sv line, Event& e) {
  e.format = LogFormat::web_access;
  e.family = LogFamily::web;
  e.raw = line;
  // Exports that wrap each line in quotes: "1.2.3.4 - - [...] "GET / HTTP/1.1" 200 1 "-" "UA""
  if (line.size() > 2 && line.front() == '"' && std::isxdigit(static_cast<unsigned char>(line[1])) &&
      line.back() == '"')
    line = line.substr(1, line.size() - 2);
  std::size_t pos = 0;
  sv first = token(line, pos);
  sv second = token(line, pos);
  sv third = token(line, pos);
  // vhost_combined: "host:port client ident user [time]"
  sv ip = first, user = third;
  while (pos < line.size() && line[pos] == ' ') ++pos;
  if (pos < line.size() && line[pos] != '[') {
    sv fourth = token(line, pos);
    ip = second;
    user = fourth;
    while (pos < line.size() && line[pos] == ' ') ++pos;
  }
  if (!looks_like_host(ip) || pos >= line.size() || line[pos] != '[') return false;
  auto close = line.find(']', pos);
  if (close == sv::npos) return false;
  auto t = parse_clf_time(line.substr(pos + 1, close - pos - 1));
  if (!t) return false;
  e.time = *t;
  pos = close + 1;
  while (pos < line.size() && line[pos] == ' ') ++pos;
  if (pos >= line.size() || line[pos] != '"') return false;
  std::size_t before = pos;
  sv request = request_field(line, pos);
  if (pos == before) return false;
  split_request(request, e);
  e.set(Field::source_ip, ip);
  e.set(Field::user_name, dash_empty(user));
  e.set(Field::http_status, token(line, pos));
  e.set(Field::http_bytes, dash_empty(token(line, pos)));
  while (pos < line.size() && line[pos] == ' ') ++pos;
  if (pos < line.size() && line[pos] == '"') e.set(Field::http_referrer, dash_empty(quoted(line, pos)));
  while (pos < line.size() && line[pos] == ' ') ++pos;
  if (pos < line.size() && line[pos] == '"') e.set(Field::user_agent, dash_empty(quoted(line, pos)));
  return true;
}

bool parse_web_error_line(sv line, Event& e) {
  e.format = LogFormat::web_error;
  e.family = LogFamily::web;
  e.raw = line;
  if (!line.empty() && line[0] == '[') {
    // Apache: [Sun Dec 04 04:47:44 2005] [error] [client 1.2.3.4] message
    //         [Wed Oct 11 14:32:52.123 2000] [core:error] [pid 1:tid 2] [client 1.2.3.4:5] message
    auto close = line.find(']');
    if (close == sv::npos || close < 20) return false;
    sv date = line.substr(1, close - 1);
    if (date.size() < 24 || date[3] != ' ' || date[7] != ' ') return false;
    int month = month_number(date.substr(4, 3));
    if (!month) return false;
    auto year_pos = date.rfind(' ');
    int day = std::atoi(std::string(date.substr(8, 2)).c_str());
    int h = std::atoi(std::string(date.substr(11, 2)).c_str());
    int mi = std::atoi(std::string(date.substr(14, 2)).c_str());
    int s = std::atoi(std::string(date.substr(17, 2)).c_str());
    int y = std::atoi(std::string(date.substr(year_pos + 1)).c_str());
    e.time = epoch_seconds(y, month, day, h, mi, s);
    sv rest = line.substr(close + 1);
    while (rest.size() > 1 && rest[0] == ' ' && rest[1] == '[') {
      auto end = rest.find(']');
      if (end == sv::npos) break;
      sv part = rest.substr(2, end - 2);
      if (part.substr(0, 7) == "client ") {
        sv client = part.substr(7);
        auto colon = client.rfind(':');
        if (colon != sv::npos && client.find(':') == colon) client = client.substr(0, colon);
        e.set(Field::source_ip, client);
      } else if (part.substr(0, 4) != "pid ") {
        auto colon = part.find(':');
        e.set(Field::log_level, colon == sv::npos ? part : part.substr(colon + 1));
      }
      rest = rest.substr(end + 1);
    }
    if (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
    e.set(Field::message, rest);
    return true;
  }
  // Nginx: 2024/01/02 03:04:05 [error] 123#0: *1 message, client: 1.2.3.4, server: …
  if (line.size() < 22 || line[4] != '/' || line[7] != '/' || line[10] != ' ' || line[13] != ':' || line[19] != ' ' ||
      line[20] != '[')
    return false;
  std::string iso(line.substr(0, 19));
  iso[4] = iso[7] = '-';
  auto t = parse_iso8601(iso);
  if (!t) return false;
  e.time = *t;
  auto close = line.find(']', 20);
  if (close == sv::npos) return false;
  e.set(Field::log_level, line.substr(21, close - 21));
  sv rest = line.substr(close + 1);
  if (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
  e.set(Field::message, rest);
  auto client = rest.find(", client: ");
  if (client != sv::npos) {
    auto end = rest.find(',', client + 10);
    e.set(Field::source_ip, rest.substr(client + 10, end == sv::npos ? sv::npos : end - client - 10));
  }
  return true;
}

namespace {

enum Special { kIgnore = -1, kDate = -2, kTime = -3, kStem = -4, kQuery = -5 };

int w3c_column(sv name) {
  struct Map {
    sv name;
    int code;
  };
  static const Map map[] = {
      {"date", kDate},
      {"time", kTime},
      {"c-ip", static_cast<int>(Field::source_ip)},
      {"c-port", static_cast<int>(Field::source_port)},
      {"cs-username", static_cast<int>(Field::user_name)},
      {"cs-method", static_cast<int>(Field::http_method)},
      {"cs-uri-stem", kStem},
      {"cs-uri-query", kQuery},
      {"cs-uri", static_cast<int>(Field::url_original)},
      {"sc-status", static_cast<int>(Field::http_status)},
      {"sc-bytes", static_cast<int>(Field::http_bytes)},
      {"cs(user-agent)", static_cast<int>(Field::user_agent)},
      {"cs(referer)", static_cast<int>(Field::http_referrer)},
      {"cs-host", static_cast<int>(Field::url_domain)},
      {"cs(host)", static_cast<int>(Field::url_domain)},
      {"cs-version", static_cast<int>(Field::http_version)},
      {"s-ip", static_cast<int>(Field::destination_ip)},
      {"s-port", static_cast<int>(Field::destination_port)},
      {"s-computername", static_cast<int>(Field::host_hostname)},
  };
  std::string lower(name);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& m : map)
    if (m.name == lower) return m.code;
  return kIgnore;
}

}  // namespace

bool W3cParser::directive(sv line) {
  if (line.empty() || line[0] != '#') return false;
  if (line.substr(0, 8) == "#Fields:") {
    fields_line_ = std::string(line);
    columns_.clear();
    std::size_t pos = 8;
    while (true) {
      sv name = token(line, pos);
      if (name.empty()) break;
      columns_.push_back(w3c_column(name));
    }
  }
  return true;
}

bool W3cParser::parse(sv line, Event& e) {
  e.format = LogFormat::w3c;
  e.family = LogFamily::web;
  e.raw = line;
  if (columns_.empty()) return false;
  std::size_t pos = 0;
  sv date, time, stem, query;
  std::size_t n = 0;
  for (int code : columns_) {
    sv v = token(line, pos);
    if (v.empty()) break;
    ++n;
    if (code >= 0) e.set(static_cast<Field>(code), dash_empty(v));
    else if (code == kDate) date = v;
    else if (code == kTime) time = v;
    else if (code == kStem) stem = dash_empty(v);
    else if (code == kQuery) query = dash_empty(v);
  }
  if (n < columns_.size()) return false;
  if (!date.empty() && !time.empty()) {
    std::string iso = std::string(date) + "T" + std::string(time);
    if (auto t = parse_iso8601(iso)) e.time = *t;
  }
  if (!stem.empty() || !query.empty()) {
    e.set(Field::url_path, stem);
    e.set(Field::url_query, query);
    if (!e.has(Field::url_original)) {
      url_.assign(stem);
      if (!query.empty()) {
        url_ += '?';
        url_ += query;
      }
      e.set(Field::url_original, url_);
    }
  }
  return true;
}

}  // namespace vigil::logs
