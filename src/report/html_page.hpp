// A self-contained HTML report page: one file with its CSS and script inline, no fetch of
// anything, readable from file:// offline. Every value is escaped here; the script only
// shows, hides and reorders rows that are already in the page, so content taken from the
// inspected host (a process called <script>…) is shown as text and never runs.
//
// In the page: a severity filter (checkboxes) and a text filter over every table marked
// filterable, and each column header sorts its table. The address's fragment sets them at
// load, so a link can carry a view: report.html#min=medium&q=nginx&sort=findings:1:desc, or
// audit.html#only=failed (the categories to keep, comma-separated).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result_set.hpp"

namespace vigil::report {

std::string html_escape(std::string_view s);

class HtmlPage {
 public:
  struct Cell {
    std::string text;  // escaped when written
    std::string href;  // a link (vigil's own: ATT&CK pages), escaped
    std::string html;  // markup vigil built from escaped parts; used instead of text when set
    std::string sort;  // the sort key when it differs from the text (a time)
    std::string cls = {};  // a class of vigil's (ev: evidence, shown monospaced)
    // Text only, with a sort key when it differs from the text (a time).
    static Cell plain(std::string text, std::string sort = {}) { return Cell{std::move(text), {}, {}, std::move(sort), {}}; }
  };
  struct Row {
    std::vector<Cell> cells;
    std::string severity;  // for the severity filter; "" for rows it does not apply to
    bool flagged = false;  // marked (a process a finding names)
    int depth = 0;         // indentation of the first cell (a process tree)
  };

  // A value rows are filtered by (a severity, an audit result): a checkbox with its count.
  struct Category {
    std::string value;  // what rows carry as their `severity`
    std::size_t count = 0;
    std::string css;    // the badge's colour class: sev-high, res-failed …
  };
  using Facts = std::vector<std::pair<std::string, std::string>>;

  explicit HtmlPage(std::string title) : title_(std::move(title)) {}

  // The heading, facts (label, value) and, when given, the counts by severity (info first) as
  // badges with the filter controls. Links carry no referrer (the page's policy).
  void header(std::string_view heading, const Facts& facts, const std::array<std::size_t, 5>* counts);
  // The same with other categories to filter by (an audit's passed, failed, not applicable).
  void header(std::string_view heading, const Facts& facts, const std::vector<Category>& filters);
  // A score as a half-circle gauge drawn in SVG: green from 80 %, orange from 50 %, red below.
  void gauge(double percent, std::string_view label);
  void section(std::string_view id, std::string_view heading, std::string_view note = {});
  void paragraph(std::string_view text);
  void table(std::string_view id, const std::vector<std::string>& columns, const std::vector<Row>& rows);
  void table(std::string_view id, const ResultSet& rows);
  // A bar chart drawn by vigil as inline SVG (no charting library): one bar per (label,
  // value), in order, each with its value as a tooltip; labels escaped.
  void bar_chart(std::string_view id, const std::vector<std::pair<std::string, std::uint64_t>>& bars);
  void write(std::ostream& out) const;

 private:
  std::string title_, body_;
};

}  // namespace vigil::report
