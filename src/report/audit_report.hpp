// vigil audit output: the human table, rows for CSV/XLSX (one per check, one per policy, one
// per compared check), HTML, and the password audit.
#pragma once

#include <ostream>

#include "audit/compare.hpp"
#include "audit/passwords.hpp"
#include "audit/policy.hpp"
#include "audit/result.hpp"
#include "core/result_set.hpp"
#include "report/xlsx.hpp"

namespace vigil::report {

ResultSet audit_check_rows(const audit::AuditResult& r);
ResultSet audit_summary_rows(const audit::AuditResult& r);
ResultSet comparison_rows(const audit::Comparison& c);
ResultSet password_rows(const audit::PasswordAudit& p, bool show_passwords);

// `all`: every check, not only the failed ones.
void render_audit_text(const audit::AuditResult& r, std::ostream& out, bool all);
void render_comparison_text(const audit::Comparison& c, std::string_view before_name, std::ostream& out, bool all);
void render_audit_jsonl(const audit::AuditResult& r, std::ostream& out);
// One self-contained page (report/html_page.hpp): the score as a gauge per policy and overall,
// the checks with their result, reason, evidence, rationale and remedy, filterable by result;
// with a comparison, the changed checks first with both results side by side.
void render_audit_html(const audit::AuditResult& r, const audit::Comparison* c, std::ostream& out);
// `vigil audit compare A B`: both scores as gauges, every check side by side, the changes marked.
void render_comparison_html(const audit::Comparison& c, const audit::AuditResult& left, const audit::AuditResult& right,
                            std::string_view left_name, std::string_view right_name, std::ostream& out);
std::vector<Sheet> audit_sheets(const audit::AuditResult& r, const audit::Comparison* c);

// Every check of the loaded policies (docs/AUDIT_CHECKS.md is the Markdown form), then the
// load problems.
// Every check of every policy as rows (policy, id, title, CIS, ATT&CK, evaluable), and the
// load problems after them.
ResultSet check_list_rows(const audit::PolicySet& set);
void render_check_list(const audit::PolicySet& set, bool markdown, std::ostream& out);

void render_passwords_text(const audit::PasswordAudit& p, bool show_passwords, std::ostream& out);
// {"summary": {accounts, weak, candidates, seconds, threads, wordlist_words}, "accounts": [rows]}
void render_passwords_json(const audit::PasswordAudit& p, bool show_passwords, std::ostream& out);

}  // namespace vigil::report
