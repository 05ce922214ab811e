// The HTML pages of vigil audit and vigil audit compare.
#include <fmt/format.h>

#include <map>

#include "audit/compare.hpp"
#include "core/time_format.hpp"
#include "report/audit_report.hpp"
#include "report/html_page.hpp"
#include "report/result_set.hpp"

namespace vigil::report {

namespace {

using Row = HtmlPage::Row;
using Cell = HtmlPage::Cell;

std::string result_class(std::string_view status) {
  return status == "failed" ? "res-failed" : status == "passed" ? "res-passed" : "res-na";
}

Cell status_cell(std::string s) {
  auto cls = "sv " + result_class(s);
  return Cell{std::move(s), {}, {}, {}, std::move(cls)};
}

std::string score_line(const audit::Score& s) {
  return fmt::format("{} passed, {} failed, {} not applicable", s.passed, s.failed, s.not_applicable);
}

std::vector<HtmlPage::Category> result_filters(const audit::Score& s) {
  return {{"failed", s.failed, "res-failed"}, {"passed", s.passed, "res-passed"},
          {"not applicable", s.not_applicable, "res-na"}};
}

// The checks: policy, id, title with the rationale and remedy folded, result, reason and
// evidence, references.
void checks_table(HtmlPage& page, const audit::AuditResult& r) {
  auto rs = audit_check_rows(r);  // policy id title result reason evidence rationale remediation references mitre compliance
  std::vector<Row> rows;
  for (const auto& v : rs.rows) {
    auto t = [&](std::size_t i) { return cell_text(v[i]); };
    Row row;
    row.severity = t(3);
    std::string title = "<b>" + html_escape(t(2)) + "</b>";
    if (!t(6).empty() || !t(7).empty())
      title += "<details><summary>rationale, remedy</summary>" +
               (t(6).empty() ? "" : "<p>" + html_escape(t(6)) + "</p>") +
               (t(7).empty() ? "" : "<p><em>Do:</em> " + html_escape(t(7)) + "</p>") + "</details>";
    std::string refs;
    for (std::size_t i : {8u, 9u, 10u})
      if (!t(i).empty()) refs += (refs.empty() ? "" : "\n") + t(i);
    row.cells = {Cell::plain(t(0)), Cell::plain(t(1)), Cell{t(2), {}, title, {}, {}}, status_cell(t(3)),
                 Cell{t(4) + (t(4).empty() || t(5).empty() ? "" : "\n") + t(5), {}, {}, {}, "ev"}, Cell::plain(refs)};
    rows.push_back(std::move(row));
  }
  page.section("checks", "Checks");
  page.table("checks", {"policy", "id", "check", "result", "reason and evidence", "references"}, rows);
}

void policy_gauges(HtmlPage& page, const audit::AuditResult& r) {
  page.gauge(r.score().percent(), "overall");
  for (const auto& p : r.policies)
    if (p.ran) page.gauge(p.score().percent(), p.id);
}

// The comparison, both results side by side; rows are filtered by their change.
void comparison_table(HtmlPage& page, const audit::Comparison& c, std::string_view left, std::string_view right) {
  auto rs = comparison_rows(c);  // change policy id title baseline current evidence
  std::vector<Row> rows;
  for (const auto& v : rs.rows) {
    auto t = [&](std::size_t i) { return cell_text(v[i]); };
    Row row;
    row.severity = t(0);
    row.flagged = t(0) == "newly failing";
    auto change_class = t(0) == "newly failing" ? "sv chg-bad" : t(0) == "fixed" ? "sv chg-good" : "sv chg-other";
    row.cells = {Cell{t(0), {}, {}, {}, t(0) == "unchanged" ? "" : change_class}, Cell::plain(t(1)), Cell::plain(t(2)), Cell::plain(t(3)),
                 status_cell(t(4)), status_cell(t(5)), Cell{t(6), {}, {}, {}, "ev"}};
    rows.push_back(std::move(row));
  }
  page.section("comparison", fmt::format("{} against {}", right, left),
               "Newly failing checks first; a result missing on one side is a check one of them did not have.");
  page.table("comparison", {"change", "policy", "id", "check", std::string(left), std::string(right), "evidence"}, rows);
}

std::vector<HtmlPage::Category> change_filters(const audit::Comparison& c) {
  std::map<std::string, std::size_t> counts;
  for (const auto& r : c.rows) ++counts[std::string(audit::change_name(r.change))];
  std::vector<HtmlPage::Category> out;
  for (auto ch : {audit::Change::newly_failing, audit::Change::newly_passing, audit::Change::became_applicable,
                  audit::Change::became_not_applicable, audit::Change::added, audit::Change::removed, audit::Change::same}) {
    std::string name(audit::change_name(ch));
    if (!counts.count(name)) continue;
    out.push_back({name, counts[name],
                   ch == audit::Change::newly_failing ? "chg-bad" : ch == audit::Change::newly_passing ? "chg-good" : "chg-other"});
  }
  return out;
}

}  // namespace

void render_audit_html(const audit::AuditResult& r, const audit::Comparison* c, std::ostream& out) {
  HtmlPage page("vigil audit — " + r.hostname);
  HtmlPage::Facts facts = {{"host", r.hostname}, {"root", r.root}, {"audited", iso8601_or_dash(r.started_at)},
                           {"vigil", VIGIL_VERSION}, {"took", fmt::format("{:.2f} s", r.seconds)},
                           {"overall", score_line(r.score())}};
  if (r.suppressed) facts.push_back({"accepted", fmt::format("{} failed checks (the suppression file)", r.suppressed)});
  page.header("vigil audit", facts, result_filters(r.score()));
  policy_gauges(page, r);
  page.section("policies", "Policies");
  page.table("policies", audit_summary_rows(r));
  if (c) comparison_table(page, *c, "baseline", "now");
  checks_table(page, r);
  page.write(out);
}

void render_comparison_html(const audit::Comparison& c, const audit::AuditResult& left, const audit::AuditResult& right,
                            std::string_view left_name, std::string_view right_name, std::ostream& out) {
  HtmlPage page(fmt::format("vigil audit compare — {} and {}", left_name, right_name));
  HtmlPage::Facts facts = {{std::string(left_name), fmt::format("{} of {} at {}", score_line(c.before), left.hostname,
                                                                iso8601_or_dash(left.started_at))},
                           {std::string(right_name), fmt::format("{} of {} at {}", score_line(c.after), right.hostname,
                                                                 iso8601_or_dash(right.started_at))},
                           {"changed", fmt::format("{} checks", c.changed())},
                           {"vigil", VIGIL_VERSION}};
  page.header("vigil audit compare", facts, change_filters(c));
  page.gauge(c.before.percent(), left_name);
  page.gauge(c.after.percent(), right_name);
  comparison_table(page, c, left_name, right_name);
  page.write(out);
}

}  // namespace vigil::report
