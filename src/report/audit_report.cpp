// Renderers for vigil audit. Rows are built once (ResultSet) and shared by the table, CSV
// and XLSX writers, so every export has the same columns.
#include "report/audit_report.hpp"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>

#include "audit/result_json.hpp"
#include "report/ecs.hpp"
#include "report/result_set.hpp"

namespace vigil::report {

using audit::Status;

namespace {

std::string joined(const std::vector<std::string>& v, std::string_view sep = "\n") { return fmt::format("{}", fmt::join(v, sep)); }

SqlValue num(std::size_t n) { return static_cast<std::int64_t>(n); }

std::string score_text(const audit::Score& s) {
  return s.applicable() ? fmt::format("{:.0f}% ({} of {} applicable checks passed; {} not applicable)", s.percent(), s.passed,
                                      s.applicable(), s.not_applicable)
                        : fmt::format("no applicable checks ({} not applicable)", s.not_applicable);
}

}  // namespace

ResultSet audit_check_rows(const audit::AuditResult& r) {
  ResultSet rs;
  rs.columns = {"policy", "id", "title", "result", "reason", "evidence", "rationale", "remediation", "references", "mitre", "compliance"};
  for (const auto& p : r.policies)
    for (const auto& c : p.checks)
      rs.rows.push_back({c.policy_id, c.check_id, c.title, std::string(audit::status_name(c.status)), c.reason,
                         joined(c.evidence), c.rationale, c.remediation, joined(c.references), joined(c.mitre, "; "),
                         c.compliance});
  return rs;
}

ResultSet audit_summary_rows(const audit::AuditResult& r) {
  ResultSet rs;
  rs.columns = {"policy", "name", "ran", "passed", "failed", "not_applicable", "score_percent", "note"};
  for (const auto& p : r.policies) {
    auto s = p.score();
    rs.rows.push_back({p.id, p.name, std::string(p.ran ? "yes" : "no"), num(s.passed), num(s.failed), num(s.not_applicable),
                       s.applicable() ? SqlValue(std::round(s.percent() * 10) / 10) : SqlValue{}, p.skipped_why});
  }
  auto s = r.score();
  rs.rows.push_back({std::string("(all)"), std::string("every policy that ran"), std::string(""), num(s.passed), num(s.failed),
                     num(s.not_applicable), s.applicable() ? SqlValue(std::round(s.percent() * 10) / 10) : SqlValue{},
                     fmt::format("host {} root {} at {}", r.hostname, r.root, iso8601(r.started_at))});
  return rs;
}

ResultSet comparison_rows(const audit::Comparison& c) {
  ResultSet rs;
  rs.columns = {"change", "policy", "id", "title", "baseline", "current", "evidence"};
  auto st = [](const std::optional<Status>& s) { return s ? std::string(audit::status_name(*s)) : std::string("-"); };
  for (const auto& row : c.rows)
    rs.rows.push_back({std::string(audit::change_name(row.change)), row.policy_id, row.check_id, row.title, st(row.before),
                       st(row.after), row.evidence});
  return rs;
}

ResultSet password_rows(const audit::PasswordAudit& p, bool show) {
  ResultSet rs;
  rs.columns = {"user", "uid", "shell", "state", "scheme", "severity", "issues", "found_by", "password"};
  for (const auto& a : p.accounts)
    rs.rows.push_back({a.user, a.uid >= 0 ? SqlValue(a.uid) : SqlValue{}, a.shell, a.state, a.scheme, a.severity,
                       joined(a.issues, "; "), a.found_by,
                       a.weak ? (show ? a.password : std::string("(hidden; --show)")) : std::string("")});
  return rs;
}

void render_audit_text(const audit::AuditResult& r, std::ostream& out, bool all) {
  out << fmt::format("vigil audit of {}{} — {} polic{}, {:.2f} s\n\n", r.root, r.live ? " (live host)" : "",
                     r.policies.size(), r.policies.size() == 1 ? "y" : "ies", r.seconds);
  for (const auto& p : r.policies) {
    out << fmt::format("== {} [{}]\n", p.name.empty() ? p.id : p.name, p.id);
    if (!p.ran) {
      out << "   skipped: " << p.skipped_why << "\n\n";
      continue;
    }
    out << "   score: " << score_text(p.score()) << "\n";
    std::map<std::string, std::size_t> na_reasons;
    for (const auto& c : p.checks) {
      if (c.status == Status::not_applicable) {
        ++na_reasons[c.reason.size() > 110 ? c.reason.substr(0, 110) + "…" : c.reason];
        if (!all) continue;
      }
      if (c.status == Status::passed && !all) continue;
      std::string_view mark = c.status == Status::failed ? "FAIL" : c.status == Status::passed ? "pass" : "n/a ";
      out << fmt::format("   {} {:>6}  {}\n", mark, c.check_id, c.title);
      if (c.status == Status::not_applicable) out << "              why: " << c.reason << "\n";
      else if (!c.evidence.empty()) out << "              evidence: " << c.evidence.front() << "\n";
      if (c.status == Status::failed && !c.remediation.empty())
        out << "              fix: " << c.remediation.substr(0, 300) << (c.remediation.size() > 300 ? "…" : "") << "\n";
    }
    if (!na_reasons.empty() && !all) {
      out << "   not applicable:\n";
      for (const auto& [why, n] : na_reasons) out << fmt::format("     {:>4} × {}\n", n, why);
    }
    out << "\n";
  }
  if (!r.problems.empty()) {
    out << "policy problems:\n";
    for (const auto& pr : r.problems)
      out << fmt::format("   {}{}: {}\n", pr.file, pr.check.empty() ? "" : " check " + pr.check, pr.message);
    out << "\n";
  }
  out << "overall score: " << score_text(r.score()) << "\n";
  if (r.suppressed)
    out << fmt::format("{} failed check{} accepted by the suppression file (shown with --all)\n", r.suppressed,
                       r.suppressed == 1 ? "" : "s");
}

void render_comparison_text(const audit::Comparison& c, std::string_view before_name, std::ostream& out, bool all) {
  out << fmt::format("compared with {}: {} of {} checks changed; score {:.0f}% → {:.0f}%\n", before_name, c.changed(),
                     c.rows.size(), c.before.percent(), c.after.percent());
  auto rs = comparison_rows(c);
  if (!all) {
    std::erase_if(rs.rows, [](const auto& row) { return std::get<std::string>(row[0]) == "unchanged"; });
  }
  if (rs.rows.empty()) {
    out << "no check changed\n";
    return;
  }
  for (const auto& row : rs.rows)
    out << fmt::format("  {:<20} {:>6}  {:<15} → {:<15} {}\n", std::get<std::string>(row[0]), std::get<std::string>(row[2]),
                       std::get<std::string>(row[4]), std::get<std::string>(row[5]), std::get<std::string>(row[3]));
}

void render_audit_jsonl(const audit::AuditResult& r, std::ostream& out) {
  for (const auto& p : r.policies)
    for (const auto& c : p.checks) out << audit::json_text(audit::check_to_json(c)) << "\n";
}

std::vector<Sheet> audit_sheets(const audit::AuditResult& r, const audit::Comparison* c) {
  std::vector<Sheet> sheets = {{"Results", audit_check_rows(r)}, {"Summary", audit_summary_rows(r)}};
  if (c) sheets.push_back({"Comparison", comparison_rows(*c)});
  return sheets;
}

ResultSet check_list_rows(const audit::PolicySet& set) {
  ResultSet rs;
  rs.columns = {"policy", "id", "title", "references", "attack", "evaluable"};
  for (const auto& p : set.policies)
    for (const auto& c : p.checks) {
      std::vector<std::string> mitre;
      for (const auto* list : {&c.mitigations, &c.techniques})
        for (const auto& m : *list) mitre.push_back(m.id);
      rs.rows.push_back({p.id, c.id, c.title, joined(c.references, "; "), joined(mitre, ","),
                         c.unevaluable.empty() ? std::string("yes") : c.unevaluable});
    }
  for (const auto& pr : set.problems) rs.rows.push_back({pr.file, pr.check, SqlValue{}, SqlValue{}, SqlValue{}, pr.message});
  return rs;
}

void render_check_list(const audit::PolicySet& set, bool markdown, std::ostream& out) {
  auto refs = [](const audit::Check& c) {
    std::vector<std::string> v;
    for (const auto& r : c.references)
      if (r.starts_with("CIS ")) v.push_back(r.substr(r.rfind(' ') + 1));
    return joined(v, ", ");
  };
  auto mitre = [](const audit::Check& c) {
    std::vector<std::string> v;
    for (const auto* list : {&c.mitigations, &c.techniques})
      for (const auto& m : *list) v.push_back(m.id);
    return joined(v, " ");
  };
  if (markdown) {
    out << "# Hardening checks\n\nGenerated by `vigil audit checks --markdown`; an end-to-end test keeps it in sync "
           "with `rules/policies/`.\n";
  }
  for (const auto& p : set.policies) {
    if (markdown) {
      out << fmt::format("\n## {} (`{}`, {} checks)\n\n{}\n\n| id | check | CIS | ATT&CK |\n|---|---|---|---|\n", p.name,
                         p.id, p.checks.size(), p.description);
      for (const auto& c : p.checks) {
        std::string title = c.title;
        for (std::size_t pos = 0; (pos = title.find('|', pos)) != std::string::npos; pos += 2) title.replace(pos, 1, "\\|");
        out << fmt::format("| {} | {} | {} | {} |\n", c.id, title, refs(c), mitre(c));
      }
    } else {
      out << fmt::format("{} [{}] {} checks — {}\n", p.name, p.id, p.checks.size(), p.path);
      for (const auto& c : p.checks)
        out << fmt::format("  {:>6}  {}{}\n", c.id, c.title, c.unevaluable.empty() ? "" : "  (cannot be evaluated: " + c.unevaluable + ")");
    }
  }
  if (!markdown)
    for (const auto& pr : set.problems)
      out << fmt::format("problem: {}{}: {}\n", pr.file, pr.check.empty() ? "" : " check " + pr.check, pr.message);
}

void render_passwords_json(const audit::PasswordAudit& p, bool show_passwords, std::ostream& out) {
  std::size_t weak = 0;
  for (const auto& a : p.accounts) weak += a.weak || a.state == "empty";
  nlohmann::json doc = {{"summary",
                         {{"accounts", p.accounts.size()},
                          {"weak", weak},
                          {"candidates", p.candidates},
                          {"seconds", p.seconds},
                          {"threads", p.threads},
                          {"wordlist_words", p.wordlist_words},
                          {"problems", p.problems}}},
                        {"accounts", result_rows_json(password_rows(p, show_passwords))}};
  out << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

void render_passwords_text(const audit::PasswordAudit& p, bool show, std::ostream& out) {
  std::size_t weak = 0, flagged = 0;
  for (const auto& a : p.accounts) {
    if (a.issues.empty()) continue;
    if (flagged++ == 0) out << fmt::format("{:<8} {:<16} {}\n", "SEVERITY", "USER", "ISSUES");
    weak += a.weak;
    out << fmt::format("{:<8} {:<16} {}{}\n", a.severity, a.user, joined(a.issues, "; "),
                       a.weak && show ? fmt::format(" — password: {}", a.password) : "");
  }
  out << fmt::format(
      "\n{} accounts, {} with a weak or empty password, {} flagged; {} candidates tested in {:.2f} s ({:.0f}/s on {} "
      "thread{}, wordlist of {} words)\n",
      p.accounts.size(), weak, flagged, p.candidates, p.seconds, p.seconds > 0 ? p.candidates / p.seconds : 0.0, p.threads,
      p.threads == 1 ? "" : "s", p.wordlist_words);
  if (weak && !show) out << "passwords are not shown; add --show to see them\n";
}

}  // namespace vigil::report
