// The parts of a `vigil logs scan` report that are not findings: what was read, the
// rules that did not load, the attacker table, DShield lines and matched-line JSONL.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>

#include "collect/snapshot.hpp"
#include "core/result_set.hpp"
#include "logs/rules.hpp"
#include "logs/scan.hpp"
#include "report/report.hpp"

namespace vigil::report {

// "3 files, 86,839 lines (86,802 events, 37 in no known format), 230 rules" and per-file notes.
std::string logs_summary(const logs::ScanResult& r);
void render_input_notes(const logs::ScanResult& r, std::ostream& out);
void render_attackers_text(const logs::ScanResult& r, std::size_t limit, std::ostream& out);
// DShield (Internet Storm Center) tab-separated submission lines, one per source and target
// port: date of first event, submitter id, count, source IP, source port, target IP,
// target port, protocol, flags.
void render_dshield(const logs::ScanResult& r, const std::string& submitter_id, std::ostream& out);
void render_logs_json(const logs::ScanResult& r, const collect::HostInfo& host, std::size_t suppressed,
                      double seconds, std::ostream& out);
void render_matched_line(const logs::MatchedLine& m, std::ostream& out);

// What the HTML report draws beyond the findings, gathered from every matched line.
struct LogsChartData {
  std::map<std::int64_t, std::uint64_t> per_hour;  // the hour's start (epoch seconds) → lines a rule matched
  std::map<std::string, std::uint64_t> per_rule;   // rule title → lines it matched
  void add(const logs::MatchedLine& m);
};
// The findings page, then the attacking sources (most events first), the matched lines per
// hour as a bar chart and the rules that fired with their counts.
void render_logs_html(const TriageReport& r, const logs::ScanResult& result, const LogsChartData& charts,
                      std::ostream& out);
// The rules a scan would load (Sigma rules and correlations, then the built-ins), with the
// ones that did not load and why.
void render_rule_list(const logs::LogRules& r, bool markdown, std::ostream& out);
// The same as rows (id, title, level, attack, file, loaded: yes / the reason it did not load).
ResultSet rule_list_rows(const logs::LogRules& r);

}  // namespace vigil::report
