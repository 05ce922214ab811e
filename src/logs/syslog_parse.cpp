#include "logs/syslog_parse.hpp"

#include <cctype>

#include "logs/timestamp.hpp"

namespace vigil::logs {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view next_token(std::string_view& s) {
  auto sp = s.find(' ');
  auto tok = s.substr(0, sp);
  s = sp == std::string_view::npos ? std::string_view{} : s.substr(sp + 1);
  return tok;
}

// "prog[pid]: message", "prog: message", "sshd(pam_unix)[123]: message".
void parse_tag_and_message(std::string_view rest, Event& e) {
  auto colon = rest.find(": ");
  std::string_view tag = colon == std::string_view::npos ? std::string_view{} : rest.substr(0, colon);
  if (colon == std::string_view::npos || tag.find(' ') != std::string_view::npos || tag.empty()) {
    if (!rest.empty() && rest.back() == ':' && rest.find(' ') == std::string_view::npos) {
      e.set(Field::process_name, rest.substr(0, rest.size() - 1));
      return;
    }
    e.set(Field::message, rest);
    return;
  }
  e.set(Field::message, rest.substr(colon + 2));
  if (tag.back() == ']') {
    auto open = tag.rfind('[');
    if (open != std::string_view::npos) {
      e.set(Field::process_pid, tag.substr(open + 1, tag.size() - open - 2));
      tag = tag.substr(0, open);
    }
  }
  e.set(Field::process_name, tag);
}

bool parse_classic(std::string_view line, const YearReference& ref, Event& e) {
  // Mmm dd hh:mm:ss host rest
  if (line.size() < 16 || line[3] != ' ' || line[6] != ' ' || line[9] != ':' || line[12] != ':') return false;
  int month = month_number(line.substr(0, 3));
  if (!month) return false;
  int day = (line[4] == ' ' ? 0 : line[4] - '0') * 10 + (line[5] - '0');
  if ((line[4] != ' ' && !is_digit(line[4])) || !is_digit(line[5]) || !is_digit(line[7]) || !is_digit(line[8]) ||
      !is_digit(line[10]) || !is_digit(line[11]) || !is_digit(line[13]) || !is_digit(line[14]))
    return false;
  int h = (line[7] - '0') * 10 + line[8] - '0', mi = (line[10] - '0') * 10 + line[11] - '0',
      s = (line[13] - '0') * 10 + line[14] - '0';
  if (day < 1 || day > 31 || h > 23 || mi > 59 || s > 60) return false;
  std::size_t pos = 15;
  // Some writers add the year or fractions: "Mmm dd hh:mm:ss.123" is skipped over.
  while (pos < line.size() && line[pos] != ' ') ++pos;
  e.time = epoch_seconds(ref.year, month, day, h, mi, s);
  constexpr std::int64_t kZoneSlack = 86400;  // syslog writes local time; the mtime is UTC
  if (ref.at ? e.time > ref.at + kZoneSlack : month > ref.month) e.time = epoch_seconds(ref.year - 1, month, day, h, mi, s);
  std::string_view rest = pos < line.size() ? line.substr(pos + 1) : std::string_view{};
  e.set(Field::host_hostname, next_token(rest));
  parse_tag_and_message(rest, e);
  return true;
}

bool parse_iso(std::string_view line, Event& e) {
  std::size_t used = 0;
  auto t = parse_iso8601(line, &used);
  if (!t || used >= line.size() || line[used] != ' ') return false;
  e.time = *t;
  std::string_view rest = line.substr(used + 1);
  e.set(Field::host_hostname, next_token(rest));
  parse_tag_and_message(rest, e);
  return true;
}

bool parse_rfc5424(std::string_view line, Event& e) {
  // after <PRI>: "1 TIMESTAMP HOST APP PROCID MSGID [SD|-] MSG"
  if (line.size() < 2 || line[0] != '1' || line[1] != ' ') return false;
  std::string_view rest = line.substr(2);
  auto ts = next_token(rest);
  if (ts != "-") {
    auto t = parse_iso8601(ts);
    if (!t) return false;
    e.time = *t;
  }
  auto host = next_token(rest), app = next_token(rest), procid = next_token(rest);
  next_token(rest);  // msgid
  if (host != "-") e.set(Field::host_hostname, host);
  if (app != "-") e.set(Field::process_name, app);
  if (procid != "-") e.set(Field::process_pid, procid);
  if (!rest.empty() && rest[0] == '[') {  // structured data: skip the elements
    std::size_t i = 0;
    bool quoted = false;
    while (i < rest.size()) {
      char c = rest[i];
      if (quoted) {
        if (c == '\\') ++i;
        else if (c == '"') quoted = false;
      } else if (c == '"') {
        quoted = true;
      } else if (c == ']' && (i + 1 == rest.size() || rest[i + 1] != '[')) {
        ++i;
        break;
      }
      ++i;
    }
    rest = i < rest.size() ? rest.substr(i) : std::string_view{};
    if (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
  } else {
    next_token(rest);  // "-"
  }
  if (rest.size() >= 3 && static_cast<unsigned char>(rest[0]) == 0xEF && static_cast<unsigned char>(rest[1]) == 0xBB &&
      static_cast<unsigned char>(rest[2]) == 0xBF)
    rest.remove_prefix(3);  // BOM
  e.set(Field::message, rest);
  return true;
}

}  // namespace

bool parse_syslog_line(std::string_view line, const YearReference& ref, Event& e) {
  e.format = LogFormat::syslog;
  e.raw = line;
  if (!line.empty() && line[0] == '<') {  // <PRI>
    auto close = line.find('>');
    if (close == std::string_view::npos || close > 4) return false;
    line = line.substr(close + 1);
  }
  if (parse_rfc5424(line, e) || parse_classic(line, ref, e) || parse_iso(line, e)) {
    parse_auth_message(e);
    return true;
  }
  return false;
}

}  // namespace vigil::logs
