// The HTML page: escaping, tables, and the inline style and script.
#include "report/html_page.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <algorithm>

#include "report/result_set.hpp"

namespace vigil::report {

namespace {

// Rows shown at first per table (the script's limit, #limit=N changes it); a button shows all.
constexpr std::size_t kShownRows = 500;

constexpr std::string_view kSeverities[] = {"critical", "high", "medium", "low", "info"};

constexpr std::string_view kStyle = R"CSS(
body{font-family:system-ui,sans-serif;margin:1.5em;color:#1b1b1b;background:#fff}
h1{margin:0 0 .3em}h2{margin:1.6em 0 .4em;border-bottom:1px solid #ccc}
.facts{display:grid;grid-template-columns:max-content auto;gap:.1em 1em;font-size:90%;margin:.5em 0}
.facts dt{color:#555}.facts dd{margin:0}
.controls{position:sticky;top:0;background:#fff;padding:.5em 0;border-bottom:1px solid #ddd;z-index:2}
.badge{display:inline-block;padding:.15em .6em;border-radius:1em;color:#fff;font-weight:600;font-size:85%;margin-right:.3em}
.sev-critical{background:#6d0000}.sev-high{background:#c62828}.sev-medium{background:#e07000}
.sev-low{background:#1e63b0}.sev-info{background:#6b6b6b}
td.sv{color:#fff;font-weight:600;text-align:center;font-size:85%}
.res-failed{background:#c62828}.res-passed{background:#2e7d32}.res-na{background:#8a8a8a}
.chg-bad{background:#c62828}.chg-good{background:#2e7d32}.chg-other{background:#6b6b6b}
.controls label{margin-right:.8em;white-space:nowrap}#q{padding:.2em .4em;min-width:18em}
table{border-collapse:collapse;width:100%;font-size:88%;margin:.3em 0}
th,td{border:1px solid #d4d4d4;padding:.25em .45em;vertical-align:top;text-align:left}
th{background:#e8edf5;cursor:pointer;position:sticky;top:2.6em}th[aria-sort=ascending]::after{content:" \25B2"}
th[aria-sort=descending]::after{content:" \25BC"}tr.flag td{background:#fff1e6}
#findings td:nth-child(3){min-width:16em}.ev{font-family:ui-monospace,monospace;font-size:92%;white-space:pre-wrap;word-break:break-all}
details summary{cursor:pointer}.count{color:#555;font-size:85%}.note{color:#555}
body:not([data-ready]) table.rows tbody tr:nth-child(n+501){display:none}
button.more{margin:.3em 0}
@media print{.controls{position:static}th{position:static}}
)CSS";

constexpr std::string_view kScript = R"JS(
(function () {
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input.sev'));
  var query = document.getElementById('q');
  var limit = 500, limits = {};
  function apply() {
    var on = {};
    boxes.forEach(function (b) { on[b.value] = b.checked; });
    var q = query ? query.value.toLowerCase() : '';
    document.querySelectorAll('table.rows').forEach(function (t) {
      var matching = 0, shown = 0, rows = t.tBodies[0].rows, most = limits[t.id] || limit;
      for (var i = 0; i < rows.length; i++) {
        var s = rows[i].getAttribute('data-sev');
        var match = !((s && on[s] === false) || (q && rows[i].textContent.toLowerCase().indexOf(q) < 0));
        if (match) matching++;
        var show = match && shown < most;
        rows[i].hidden = !show;
        if (show) shown++;
      }
      var c = document.getElementById(t.id + '-count');
      if (c) c.textContent = shown < matching ? shown + ' of ' + matching + ' matching shown (' + rows.length + ' in all)'
                                              : shown + ' of ' + rows.length + ' shown';
      var more = document.getElementById(t.id + '-more');
      if (more) more.hidden = shown >= matching;
    });
  }
  var rank = {info: '0', low: '1', medium: '2', high: '3', critical: '4'};
  function key(td) {
    if (!td) return '';
    var k = td.getAttribute('data-sort');
    if (k !== null) return k;
    var text = td.textContent.trim();
    return td.classList.contains('sv') && rank[text] ? rank[text] : text;
  }
  function sortBy(t, col, desc) {
    var body = t.tBodies[0], rows = Array.prototype.slice.call(body.rows);
    var vals = rows.map(function (r) { return key(r.cells[col]); });
    var num = vals.every(function (v) { return v === '' || !isNaN(Number(v)); });
    var order = rows.map(function (r, i) { return i; });
    order.sort(function (a, b) {
      var c = num ? Number(vals[a]) - Number(vals[b]) : vals[a].localeCompare(vals[b]);
      if (c === 0) c = a - b;
      return desc ? -c : c;
    });
    order.forEach(function (i) { body.appendChild(rows[i]); });
    var heads = t.tHead.rows[0].cells;
    for (var h = 0; h < heads.length; h++) heads[h].removeAttribute('aria-sort');
    heads[col].setAttribute('aria-sort', desc ? 'descending' : 'ascending');
  }
  document.querySelectorAll('table.rows').forEach(function (t) {
    var heads = t.tHead.rows[0].cells;
    for (var h = 0; h < heads.length; h++) (function (col) {
      heads[col].addEventListener('click', function () {
        sortBy(t, col, heads[col].getAttribute('aria-sort') === 'ascending');
      });
    })(h);
  });
  boxes.forEach(function (b) { b.addEventListener('change', apply); });
  document.querySelectorAll('button.more').forEach(function (b) {
    b.addEventListener('click', function () { limits[b.getAttribute('data-table')] = Infinity; apply(); });
  });
  if (query) query.addEventListener('input', apply);
  var order = ['info', 'low', 'medium', 'high', 'critical'];
  var params = new URLSearchParams(location.hash.slice(1));
  var min = params.get('min');
  if (min && order.indexOf(min) >= 0)
    boxes.forEach(function (b) { b.checked = order.indexOf(b.value) >= order.indexOf(min); });
  var only = params.get('only');
  if (only) boxes.forEach(function (b) { b.checked = only.split(',').indexOf(b.value) >= 0; });
  if (query && params.get('q')) query.value = params.get('q');
  if (Number(params.get('limit')) > 0) limit = Number(params.get('limit'));
  var sort = params.get('sort');
  if (sort) {
    var p = sort.split(':'), t = document.getElementById(p[0]), col = Number(p[1]);
    if (t && t.tHead && col >= 0 && col < t.tHead.rows[0].cells.length) sortBy(t, col, p[2] === 'desc');
  }
  apply();
  document.body.setAttribute('data-ready', '1');
})();
)JS";

// The CSP source of the script: base64 of its SHA-256.
std::string script_hash() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_Digest(kScript.data(), kScript.size(), digest, &len, EVP_sha256(), nullptr);
  unsigned char b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
  int n = EVP_EncodeBlock(b64, digest, static_cast<int>(len));
  return std::string(reinterpret_cast<const char*>(b64), static_cast<std::size_t>(n));
}

std::string cell_markup(const HtmlPage::Cell& c) {
  std::string inner = !c.html.empty() ? c.html
                      : c.href.empty() ? html_escape(c.text)
                                       : fmt::format("<a href=\"{}\">{}</a>", html_escape(c.href), html_escape(c.text));
  std::string attrs = c.sort.empty() ? "" : fmt::format(" data-sort=\"{}\"", html_escape(c.sort));
  if (!c.cls.empty()) attrs += fmt::format(" class=\"{}\"", html_escape(c.cls));
  return fmt::format("<td{}>{}</td>", attrs, inner);
}

}  // namespace

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

void HtmlPage::header(std::string_view heading, const Facts& facts, const std::array<std::size_t, 5>* counts) {
  std::vector<Category> filters;
  if (counts)
    for (std::size_t i = 0; i < 5; ++i)
      filters.push_back({std::string(kSeverities[i]), (*counts)[4 - i], "sev-" + std::string(kSeverities[i])});
  header(heading, facts, filters);
}

void HtmlPage::header(std::string_view heading, const Facts& facts, const std::vector<Category>& filters) {
  body_ += fmt::format("<h1>{}</h1>\n<dl class=\"facts\">", html_escape(heading));
  for (const auto& [label, value] : facts)
    body_ += fmt::format("<dt>{}</dt><dd>{}</dd>", html_escape(label), html_escape(value));
  body_ += "</dl>\n";
  if (filters.empty()) return;
  body_ += "<div class=\"controls\">";
  for (const auto& f : filters)
    body_ += fmt::format("<label><input type=\"checkbox\" class=\"sev\" value=\"{0}\" checked> <span class=\"badge "
                         "{2}\">{1} {0}</span></label>",
                         html_escape(f.value), f.count, html_escape(f.css));
  body_ += "<input id=\"q\" type=\"search\" placeholder=\"filter the rows: any text\" aria-label=\"filter\"></div>\n";
}

void HtmlPage::gauge(double percent, std::string_view label) {
  percent = std::clamp(percent, 0.0, 100.0);
  constexpr double kLength = 157.08;  // the half circle of radius 50
  const char* colour = percent >= 80 ? "#2e7d32" : percent >= 50 ? "#e07000" : "#c62828";
  body_ += fmt::format(
      "<svg class=\"gauge\" role=\"img\" width=\"180\" height=\"110\" viewBox=\"0 0 120 74\" "
      "xmlns=\"http://www.w3.org/2000/svg\"><title>{0}: {1:.1f} %</title>"
      "<path d=\"M10,64 A50,50 0 0 1 110,64\" stroke=\"#e3e3e3\" stroke-width=\"14\" fill=\"none\"/>"
      "<path d=\"M10,64 A50,50 0 0 1 110,64\" stroke=\"{2}\" stroke-width=\"14\" fill=\"none\" "
      "stroke-dasharray=\"{3:.2f} {4:.2f}\"/>"
      "<text x=\"60\" y=\"60\" text-anchor=\"middle\" font-size=\"18\" font-weight=\"700\">{1:.0f} %</text>"
      "<text x=\"60\" y=\"73\" text-anchor=\"middle\" font-size=\"8\">{0}</text></svg>\n",
      html_escape(label), percent, colour, kLength * percent / 100, kLength);
}

void HtmlPage::section(std::string_view id, std::string_view heading, std::string_view note) {
  body_ += fmt::format("<h2 id=\"sec-{}\">{} <span class=\"count\" id=\"{}-count\"></span></h2>\n", html_escape(id),
                       html_escape(heading), html_escape(id));
  if (!note.empty()) body_ += fmt::format("<p class=\"note\">{}</p>\n", html_escape(note));
}

void HtmlPage::paragraph(std::string_view text) { body_ += fmt::format("<p>{}</p>\n", html_escape(text)); }

void HtmlPage::table(std::string_view id, const std::vector<std::string>& columns, const std::vector<Row>& rows) {
  if (rows.empty()) {
    body_ += "<p class=\"note\">None.</p>\n";
    return;
  }
  body_ += fmt::format("<table class=\"rows\" id=\"{}\"><thead><tr>", html_escape(id));
  for (const auto& c : columns) body_ += "<th>" + html_escape(c) + "</th>";
  body_ += "</tr></thead><tbody>\n";
  for (const auto& r : rows) {
    body_ += "<tr";
    if (!r.severity.empty()) body_ += fmt::format(" data-sev=\"{}\"", html_escape(r.severity));
    if (r.flagged) body_ += " class=\"flag\"";
    body_ += ">";
    for (std::size_t i = 0; i < r.cells.size(); ++i) {
      auto markup = cell_markup(r.cells[i]);
      if (i == 0 && r.depth > 0)
        markup.insert(3, fmt::format(" style=\"padding-left:{:.1f}em\"", 0.45 + 1.2 * std::min(r.depth, 30)));
      body_ += markup;
    }
    body_ += "</tr>\n";
  }
  body_ += "</tbody></table>\n";
  if (rows.size() > kShownRows)
    body_ += fmt::format("<button class=\"more\" id=\"{0}-more\" data-table=\"{0}\" hidden>show all {1} rows</button>\n",
                         html_escape(id), rows.size());
}

void HtmlPage::table(std::string_view id, const ResultSet& rows) {
  std::vector<Row> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) {
    Row row;
    for (const auto& v : r) row.cells.push_back({cell_text(v), {}, {}, {}});
    out.push_back(std::move(row));
  }
  table(id, rows.columns, out);
}

void HtmlPage::bar_chart(std::string_view id, const std::vector<std::pair<std::string, std::uint64_t>>& bars) {
  if (bars.empty()) {
    body_ += "<p class=\"note\">None.</p>\n";
    return;
  }
  std::uint64_t top = 1;
  for (const auto& b : bars) top = std::max(top, b.second);
  constexpr double kHeight = 160, kBottom = 56, kTop = 14;
  double width = std::max(4.0, std::min(28.0, 1100.0 / static_cast<double>(bars.size())));
  double total = width * static_cast<double>(bars.size()) + 110;
  body_ += fmt::format("<svg id=\"{}\" class=\"chart\" role=\"img\" width=\"{:.0f}\" height=\"{:.0f}\" "
                       "viewBox=\"0 0 {:.0f} {:.0f}\" xmlns=\"http://www.w3.org/2000/svg\">",
                       html_escape(id), total, kHeight + kBottom + kTop, total, kHeight + kBottom + kTop);
  body_ += fmt::format("<text x=\"0\" y=\"{:.0f}\" font-size=\"10\">{}</text>", kTop - 3, top);
  std::size_t every = std::max<std::size_t>(1, bars.size() / 12);  // at most about 12 labels
  for (std::size_t i = 0; i < bars.size(); ++i) {
    double h = kHeight * static_cast<double>(bars[i].second) / static_cast<double>(top);
    double x = 50 + width * static_cast<double>(i);
    body_ += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"#c62828\">"
                         "<title>{}: {}</title></rect>",
                         x, kTop + kHeight - h, std::max(1.0, width - 1), h, html_escape(bars[i].first), bars[i].second);
    if (i % every == 0)
      body_ += fmt::format("<text x=\"{:.1f}\" y=\"{:.0f}\" font-size=\"9\" transform=\"rotate(35 {:.1f} {:.0f})\">{}"
                           "</text>",
                           x, kTop + kHeight + 12, x, kTop + kHeight + 12, html_escape(bars[i].first));
  }
  body_ += "</svg>\n";
}

void HtmlPage::write(std::ostream& out) const {
  // Only vigil's own script may run (by its hash), even if something escaped the escaping.
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
         "script-src 'sha256-"
      << script_hash() << "'; img-src data:\"><meta name=\"referrer\" content=\"no-referrer\"><meta name=\"viewport\" content=\"width=device-width\"><title>"
      << html_escape(title_) << "</title>\n<style>" << kStyle << "</style></head><body>\n"
      << body_ << "<script>" << kScript << "</script>\n</body></html>\n";
}

}  // namespace vigil::report
