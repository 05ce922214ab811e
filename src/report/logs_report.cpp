#include "report/logs_report.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>

#include "core/rule_catalog.hpp"
#include "core/text.hpp"
#include "report/ecs.hpp"

namespace vigil::report {

using nlohmann::json;

namespace {

std::string join_users(const std::set<std::string>& users, std::size_t max) {
  std::string out;
  std::size_t n = 0;
  for (const auto& u : users) {
    if (n++ == max) {
      out += ",…";
      break;
    }
    out += (out.empty() ? "" : ",") + u;
  }
  return out.empty() ? "-" : out;
}

}  // namespace

std::string logs_summary(const logs::ScanResult& r) {
  std::size_t failed = 0;
  for (const auto& in : r.inputs) failed += in.failed;
  std::string s = fmt::format("{} input(s), {} lines: {} events, {} in no known format, {} matched; {} rules and {} "
                              "correlations from {} file(s)",
                              r.inputs.size(), r.lines, r.events, r.unparsed, r.matched_lines, r.rules_loaded,
                              r.correlations_loaded, r.rule_files);
  if (!r.rule_problems.empty())
    s += fmt::format(", {} not loaded (vigil logs rules lists them with the reason)", r.rule_problems.size());
  if (failed) s += fmt::format("; {} input(s) could not be read", failed);
  return s;
}

void render_input_notes(const logs::ScanResult& r, std::ostream& out) {
  for (const auto& e : r.errors) out << "vigil: " << e << "\n";
  for (const auto& in : r.inputs) {
    for (const auto& m : in.messages) out << "vigil: " << in.path << ": " << m << "\n";
    if (!in.failed && !in.binary && in.lines == 0)
      out << "vigil: " << in.path << ": empty" << (in.path == "journal" ? " (no entries)" : "") << ": nothing to read\n";
    if (in.unparsed) {
      out << fmt::format("vigil: {}: {} of {} lines in no known format (read as {}); first:", in.path, in.unparsed,
                         in.lines, logs::format_name(in.format));
      for (const auto& [line, text] : in.unparsed_samples) out << fmt::format(" line {}: {};", line, text);
      out << "\n";
    }
  }
}

void render_attackers_text(const logs::ScanResult& r, std::size_t limit, std::ostream& out) {
  if (r.attackers.empty()) return;
  out << fmt::format("Attackers ({} source(s) named by a finding{})\n", r.attackers.size(),
                     r.attackers.size() > limit ? fmt::format("; the {} busiest, --attackers for all", limit) : "");
  out << fmt::format("  {:<39} {:<20} {:<20} {:>7} {:>7} {:>6}  {}\n", "source", "first seen", "last seen", "matched",
                     "failed", "logins", "what (count) · users tried");
  std::size_t n = 0;
  for (const auto& a : r.attackers) {
    if (n++ == limit) break;
    std::string kinds;
    std::vector<std::pair<std::uint64_t, std::string>> top;
    for (const auto& [k, c] : a.kinds) top.push_back({c, k});
    std::sort(top.rbegin(), top.rend());
    for (std::size_t i = 0; i < top.size() && i < 3; ++i)
      kinds += fmt::format("{}{} ({})", i ? "; " : "", top[i].second, top[i].first);
    if (!a.users.empty()) kinds += " · " + join_users(a.users, 6);
    std::string logins = a.successes ? fmt::format("{} OK", a.successes) : "0";
    if (a.web_successes) kinds += fmt::format(" · {} answered 2xx", a.web_successes);
    out << fmt::format("  {:<39} {:<20} {:<20} {:>7} {:>7} {:>6}  {}\n", a.ip, iso8601_or_dash(a.first), iso8601_or_dash(a.last), a.events,
                       a.failures + a.invalid_users, logins, kinds);
  }
  out << "\n";
}

void render_dshield(const logs::ScanResult& r, const std::string& submitter_id, std::ostream& out) {
  for (const auto& a : r.attackers) {
    if (!is_ip_address(a.ip)) continue;  // DShield takes addresses; a host name from rhost= is not one
    std::time_t t = static_cast<std::time_t>(a.first);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::uint64_t count = std::max<std::uint64_t>(1, a.events + a.failures + a.invalid_users);
    out << fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02} +00:00\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                       tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, submitter_id,
                       count, a.ip, "???", a.destination_ip.empty() ? "0.0.0.0" : a.destination_ip,
                       a.destination_port ? std::to_string(a.destination_port) : "???", "6", "");
  }
}

void render_logs_json(const logs::ScanResult& r, const collect::HostInfo& host, std::size_t suppressed,
                      double seconds, std::ostream& out) {
  json doc;
  doc["summary"] = {{"lines", r.lines},
                    {"events", r.events},
                    {"unparsed", r.unparsed},
                    {"matched_lines", r.matched_lines},
                    {"rules", r.rules_loaded},
                    {"correlations", r.correlations_loaded},
                    {"rules_not_loaded", r.rule_problems.size()},
                    {"findings", r.findings.size()},
                    {"suppressed", suppressed},
                    {"seconds", seconds}};
  doc["inputs"] = json::array();
  for (const auto& in : r.inputs) {
    json samples = json::array();
    for (const auto& [line, text] : in.unparsed_samples) samples.push_back({{"line", line}, {"text", text}});
    doc["inputs"].push_back({{"path", in.path},
                             {"format", std::string(logs::format_name(in.format))},
                             {"lines", in.lines},
                             {"events", in.events},
                             {"unparsed", in.unparsed},
                             {"unparsed_samples", samples},
                             {"compressed", in.compressed},
                             {"failed", in.failed},
                             {"messages", in.messages}});
  }
  doc["findings"] = json::array();
  for (const auto& f : r.findings) doc["findings"].push_back(finding_to_ecs(f, host));
  doc["attackers"] = json::array();
  for (const auto& a : r.attackers)
    doc["attackers"].push_back({{is_ip_address(a.ip) ? "source.ip" : "source.domain", a.ip},
                                {"first_seen", iso8601_or_dash(a.first)},
                                {"last_seen", iso8601_or_dash(a.last)},
                                {"matched", a.events},
                                {"failed_logins", a.failures},
                                {"invalid_users", a.invalid_users},
                                {"successful_logins", a.successes},
                                {"answered_2xx", a.web_successes},
                                {"users", a.users},
                                {"kinds", a.kinds}});
  doc["rules_not_loaded"] = json::array();
  for (const auto& p : r.rule_problems)
    doc["rules_not_loaded"].push_back({{"file", p.file}, {"rule", p.rule}, {"reason", p.reason}});
  out << doc.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
}

void render_matched_line(const logs::MatchedLine& m, std::ostream& out) {
  json j = json::object();  // ECS, nested as every other vigil document
  if (m.time) j["@timestamp"] = iso8601(m.time);
  set_dotted(j, "log.file.path", *m.path);
  set_dotted(j, "log.file.line", m.line);
  if (!m.source_ip.empty()) set_dotted(j, is_ip_address(m.source_ip) ? "source.ip" : "source.domain", std::string(m.source_ip));
  json rules = json::array();
  for (const auto* r : m.rules)
    rules.push_back({{"id", logs::sigma::finding_rule_id(*r)}, {"uuid", r->id}, {"name", r->title},
                     {"author", r->author}, {"level", r->level}});  // as a finding's rule.id and rule.uuid
  j["rule"] = rules;
  if (m.anomalies) {  // what the learned web profile did not expect, model by model
    json anomalies = json::array();
    for (const auto& an : *m.anomalies)
      anomalies.push_back({{"model", std::string(logs::model_name(an.model))}, {"detail", an.detail}});
    set_dotted(j, "vigil.profile.anomalies", std::move(anomalies));
  }
  set_dotted(j, "event.original", std::string(m.raw));
  out << j.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
}

void render_rule_list(const logs::LogRules& r, bool markdown, std::ostream& out) {
  const auto& rules = r.loaded;
  auto builtins = logs::builtin_rule_ids();
  if (markdown) {
    out << "# Log rules\n\nGenerated by `vigil logs rules --markdown`; the files are under `rules/logs/`. "
           "Sigma rules, matched by `vigil logs scan`, then the built-in detections that need the absence of an "
           "event (in code, described in the rule catalog).\n\n";
    out << "| rule | title | level | ATT&CK | file |\n|---|---|---|---|---|\n";
  } else {
    out << fmt::format("{} rules and correlations loaded from {} file(s); {} not loaded; {} built-in detections\n",
                       rules.size(), r.files, r.problems.size(), builtins.size());
    std::size_t process = 0;
    for (const auto& rule : r.rules.rules())
      process += rule.source.family == logs::LogFamily::process_creation ||
                 rule.source.family == logs::LogFamily::network_connection;
    if (process > 0)
      out << fmt::format("{} of them judge process events (process_creation, network_connection): vigil watch "
                         "runs them on each exec and connection, vigil logs scan never meets them\n",
                         process);
  }
  for (const auto& m : rules) {
    std::string attack;
    for (const auto& a : m.attack) attack += (attack.empty() ? "" : " ") + a;
    std::string id = logs::sigma::finding_rule_id(m);
    if (markdown) {
      auto at = m.file.rfind("rules/logs/");  // the same text in every checkout
      out << fmt::format("| `{}` | {} | {} | {} | {} |\n", id, m.title, m.level, attack,
                         at == std::string::npos ? m.file : m.file.substr(at));
    }
    else
      out << fmt::format("  {:<14} {:<44} {}\n", m.level, id, m.title);
  }
  for (auto id : builtins) {
    const auto& info = rule_info(id);
    std::string attack(info.attack);
    std::replace(attack.begin(), attack.end(), ',', ' ');
    if (markdown)
      out << fmt::format("| `{}` | {} | {} | {} | built-in |\n", id, info.title, info.severities, attack);
    else
      out << fmt::format("  {:<14} {:<44} {}\n", "built-in", id, info.title);
  }
  if (!markdown && !r.problems.empty()) {
    out << "\nNot loaded:\n";
    for (const auto& p : r.problems)
      out << fmt::format("  {}{}: {}\n", p.file, p.rule.empty() ? "" : " (" + p.rule + ")", p.reason);
  }
}

ResultSet rule_list_rows(const logs::LogRules& r) {
  ResultSet rs;
  rs.columns = {"id", "title", "level", "attack", "file", "loaded"};
  for (const auto& m : r.loaded)
    rs.rows.push_back({logs::sigma::finding_rule_id(m), m.title, m.level, fmt::format("{}", fmt::join(m.attack, ",")),
                       m.file, "yes"});
  for (auto id : logs::builtin_rule_ids()) {
    const auto& info = rule_info(id);
    rs.rows.push_back({std::string(id), std::string(info.title), std::string(info.severities), std::string(info.attack),
                       "built-in", "yes"});
  }
  for (const auto& p : r.problems) rs.rows.push_back({SqlValue{}, p.rule, SqlValue{}, SqlValue{}, p.file, p.reason});
  return rs;
}

}  // namespace vigil::report
