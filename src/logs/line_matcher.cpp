// Line matching.
#include "logs/line_matcher.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include "core/text.hpp"

namespace vigil::logs {

namespace {

// The last "#Fields:" line starting a line in `data`.
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

// A crypt(3) hash ($id$salt$hash, $2b$10$…) or a private key: a line of /etc/shadow or a key
// file handed to vigil logs by mistake, whose samples must not reach a terminal or a report.
bool looks_secret(std::string_view line) {
  if (line.find("PRIVATE KEY") != std::string_view::npos) return true;
  // A shadow entry: name:hash:lastchange:min:max:warn:inactive:expire:reserved.
  if (std::count(line.begin(), line.end(), ':') == 8 && line.find(' ') == std::string_view::npos) return true;
  for (auto d = line.find('$'); d != std::string_view::npos && d + 3 < line.size(); d = line.find('$', d + 1)) {
    auto id_end = line.find('$', d + 1);
    if (id_end == std::string_view::npos || id_end - d > 6 || id_end == d + 1) continue;
    std::size_t run = 0;
    for (std::size_t i = id_end + 1; i < line.size() && run < 20; ++i) {
      char c = line[i];
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '/' || c == '$') ++run;
      else break;
    }
    if (run >= 20) return true;
  }
  return false;
}

}  // namespace

void SourceCursor::detect(std::string_view sample) {
  if (detected) return;
  format = detect_format(sample);
  detected = true;
}

void SourceCursor::advance(std::string_view lines) {
  next_line += static_cast<std::uint64_t>(std::count(lines.begin(), lines.end(), '\n'));
  follow_headers(lines);
}

void SourceCursor::follow_headers(std::string_view lines) {
  if (format == LogFormat::w3c || format == LogFormat::unknown)
    if (auto f = last_fields_line(lines)) w3c_fields = std::move(*f);
}

std::string excerpt(std::string_view s, std::size_t n) {
  std::string out = printable(s.substr(0, n));
  if (s.size() > n) out += "…";
  return out;
}

LineMatcher::LineMatcher(const LogRules& rules) : rules_(rules) {
  capture_ = {Field::source_ip, Field::user_name, Field::event_action, Field::event_outcome, Field::http_status,
              Field::destination_ip, Field::destination_port, Field::process_name};
  for (Field f : rules.correlations.needed_fields())
    if (std::find(capture_.begin(), capture_.end(), f) == capture_.end()) capture_.push_back(f);
}

std::size_t LineMatcher::capture_index(Field f) const {
  return static_cast<std::size_t>(std::find(capture_.begin(), capture_.end(), f) - capture_.begin());
}

MatchedBlock LineMatcher::match(std::string_view data, const SourceCursor& at, sigma::RuleSet::Scratch& scratch) const {
  MatchedBlock r;
  LineParser parser(at.year, at.format);
  if (!at.w3c_fields.empty()) parser.set_w3c_fields(at.w3c_fields);
  std::uint64_t line_no = at.next_line;
  Event e;
  std::vector<int> matched;
  std::vector<ProfileAnomaly> anomalies;
  const WebProfile* profile = rules_.profile.get();
  for_each_line(data, [&](std::string_view line, std::size_t) {
    ++r.lines;
    auto res = parser.parse(line, e);
    if (res == ParseResult::event) {
      ++r.events;
      matched.clear();
      rules_.rules.match(e, scratch, matched);
      anomalies.clear();
      if (profile && e.family == LogFamily::web) profile->judge(e, anomalies);
      if (!matched.empty() || e.has(Field::event_action) || !anomalies.empty()) {
        Hit h;
        h.line = line_no;
        h.time = e.time;
        h.rules = matched;
        h.values.reserve(capture_.size());
        for (Field f : capture_) h.values.emplace_back(e.get(f));
        if (!matched.empty() || !anomalies.empty()) h.raw = std::string(e.raw.substr(0, kRawKeep));
        h.anomalies = std::move(anomalies);
        anomalies = {};
        r.hits.push_back(std::move(h));
      }
    } else if (res == ParseResult::unparsed) {
      ++r.unparsed;
      if (r.unparsed_samples.size() < 3)
        r.unparsed_samples.emplace_back(line_no, looks_secret(line) ? "(looks like a password hash or a key: not shown)"
                                                                    : excerpt(line));
    } else if (res == ParseResult::directive) {
      ++r.directives;
    } else {
      ++r.blank;
    }
    ++line_no;
  });
  return r;
}

}  // namespace vigil::logs
