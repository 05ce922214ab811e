// The HTML report of vigil logs scan: the findings page, the attacking sources, the matched
// lines per hour (an SVG bar chart vigil draws) and the rules that fired.
#include <fmt/format.h>

#include <algorithm>

#include "core/time_format.hpp"
#include "report/html_findings.hpp"
#include "report/logs_report.hpp"

namespace vigil::report {

namespace {

using Row = HtmlPage::Row;
using Cell = HtmlPage::Cell;

Cell number(std::uint64_t n) { return Cell::plain(std::to_string(n)); }
Cell when(std::int64_t t) { return Cell::plain(iso8601_or_dash(t), std::to_string(t)); }

// At most this many hours are drawn (the newest); a scan of years of logs shows its last month.
constexpr std::size_t kMaxHours = 24 * 31;

}  // namespace

void LogsChartData::add(const logs::MatchedLine& m) {
  if (m.time > 0) ++per_hour[m.time - m.time % 3600];
  for (const auto& list : {m.rules, m.feeding})
    for (const auto* rule : list)
      if (rule) ++per_rule[rule->title.empty() ? rule->id : rule->title];
}

void render_logs_html(const TriageReport& r, const logs::ScanResult& result, const LogsChartData& charts,
                      std::ostream& out) {
  auto page = findings_page(r);
  std::vector<Row> sources;
  for (const auto& a : result.attackers) {
    std::string kinds, users;
    for (const auto& [k, n] : a.kinds) kinds += fmt::format("{}{} ({})", kinds.empty() ? "" : "; ", k, n);
    for (const auto& u : a.users) users += (users.empty() ? "" : ", ") + u;
    Row row;
    row.flagged = a.successes > 0 || a.web_successes > 0;
    row.cells = {Cell::plain(a.ip), when(a.first), when(a.last), number(a.events), number(a.failures), number(a.successes),
                 number(a.invalid_users), number(a.web_successes), Cell::plain(kinds), Cell::plain(users)};
    sources.push_back(std::move(row));
  }
  page.section("sources", "Attacking sources",
               "Most events first; marked: a source that also logged in, or whose attack requests were answered 2xx.");
  page.table("sources", {"source", "first", "last", "events", "failed logins", "logins", "invalid users",
                         "attacks answered 2xx", "what", "users tried"},
             sources);
  std::vector<std::pair<std::string, std::uint64_t>> bars;
  auto from = charts.per_hour.empty() ? 0 : std::max(charts.per_hour.begin()->first,
                                                      charts.per_hour.rbegin()->first - 3600 * static_cast<std::int64_t>(kMaxHours - 1));
  for (auto t = from; !charts.per_hour.empty() && t <= charts.per_hour.rbegin()->first; t += 3600) {
    auto it = charts.per_hour.find(t);
    auto stamp = iso8601(t);  // 2026-11-17T10:00:00Z → 11-17 10h
    bars.push_back({stamp.substr(5, 5) + " " + stamp.substr(11, 2) + "h", it == charts.per_hour.end() ? 0 : it->second});
  }
  page.section("hours", "Attack lines per hour",
               charts.per_hour.empty() ? "" : fmt::format("{} hours from {} (UTC){}", bars.size(), iso8601(from),
                                                          from > charts.per_hour.begin()->first ? ", the last month of the logs" : ""));
  page.bar_chart("hours-chart", bars);
  std::vector<std::pair<std::string, std::uint64_t>> rules(charts.per_rule.begin(), charts.per_rule.end());
  std::sort(rules.begin(), rules.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<Row> rule_rows;
  for (const auto& [title, n] : rules) rule_rows.push_back({{Cell::plain(title), number(n)}, {}, false, 0});
  page.section("rules", "Rules that matched",
               "Lines per rule (a line can match several; failed logins count under the rule a brute force "
               "correlation counts).");
  page.table("rules", {"rule", "matched lines"}, rule_rows);
  page.write(out);
}

}  // namespace vigil::report
