// The HTML report of findings (triage, diff, scan, fim check, logs): the findings by severity
// with why, remedy and ATT&CK links; for a triage with its inventory, the listening ports with
// the programs holding them, the process tree with the processes a finding names marked, the
// login records and the start-up items.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "core/severity.hpp"
#include "core/table.hpp"
#include "core/text.hpp"
#include "core/time_format.hpp"
#include "report/html_findings.hpp"

namespace vigil::report {

namespace {

using Row = HtmlPage::Row;
using Cell = HtmlPage::Cell;

std::string technique_url(std::string_view id) {
  std::string path(id);
  std::replace(path.begin(), path.end(), '.', '/');
  return "https://attack.mitre.org/techniques/" + path;
}

// The why and remedy of each kind of finding, said once: 10,000 findings of one rule share them.
class Explanations {
 public:
  explicit Explanations(const Findings& findings) {
    for (const auto& f : findings) ++uses_[key(f)];
  }
  // Inline when the text appears once; otherwise a link to its entry in the list at the end.
  std::string markup(const Finding& f) {
    if (f.why.empty() && f.remedy.empty()) return {};
    auto k = key(f);
    if (uses_[k] < 2) return "<details><summary>why, remedy</summary>" + body(f) + "</details>";
    auto [it, fresh] = ids_.emplace(k, ids_.size() + 1);
    if (fresh) list_.push_back({it->second, &f});
    return fmt::format("<br><a href=\"#why-{}\">why, remedy</a>", it->second);
  }
  void write(HtmlPage& page) const {
    if (list_.empty()) return;
    std::vector<Row> rows;
    for (const auto& [id, f] : list_)
      rows.push_back({{Cell{{}, {}, fmt::format("<span id=\"why-{}\">{}</span>", id, html_escape(f->rule)), {}},
                       Cell{{}, {}, body(*f), {}}},
                      {}, false, 0});
    page.section("why", "Why, and what to do", "For the findings that share them.");
    page.table("why", {"rule", "why, and what to do"}, rows);
  }

 private:
  static std::string key(const Finding& f) { return f.rule + '\n' + f.why + '\n' + f.remedy; }
  static std::string body(const Finding& f) {
    std::string out;
    if (!f.why.empty()) out += "<p>" + html_escape(f.why) + "</p>";
    if (!f.remedy.empty()) out += "<p><em>Do:</em> " + html_escape(f.remedy) + "</p>";
    return out;
  }
  std::unordered_map<std::string, std::size_t> uses_, ids_;
  std::vector<std::pair<std::size_t, const Finding*>> list_;
};

Row finding_row(const Finding& f, Explanations& explain) {
  Row row;
  row.severity = std::string(to_string(f.severity));
  row.cells.push_back(Cell{row.severity, {}, {}, {}, "sv sev-" + row.severity});
  row.cells.push_back(Cell::plain(f.rule));
  std::string body = "<b>" + html_escape(f.title) + "</b>" + explain.markup(f);
  row.cells.push_back(Cell{f.title, {}, body, {}});
  std::string evidence;
  for (const auto& e : f.evidence) evidence += html_escape(e.key) + "=" + html_escape(evidence_text(e.value)) + "\n";
  if (!evidence.empty()) evidence.pop_back();
  row.cells.push_back(Cell{{}, {}, evidence, {}, "ev"});
  std::string attack;
  for (const auto& t : f.attack)
    attack += fmt::format("{}<a href=\"{}\">{}</a>", attack.empty() ? "" : " ",
                          html_escape(technique_url(t)), html_escape(t));
  row.cells.push_back(Cell{{}, {}, attack, {}});
  return row;
}

void ports(HtmlPage& page, const collect::Snapshot& s, const std::set<std::int64_t>& flagged) {
  std::unordered_map<std::int64_t, const collect::ProcessRow*> by_pid;
  for (const auto& p : s.processes) by_pid[p.pid] = &p;
  std::vector<Row> rows;
  for (const auto& so : s.sockets) {
    if (!so.listening()) continue;
    const collect::ProcessRow* p = by_pid.count(so.pid) ? by_pid[so.pid] : nullptr;
    Row r;
    r.flagged = flagged.count(so.pid) > 0;
    r.cells = {Cell::plain(so.protocol), Cell::plain(so.local_address), Cell::plain(std::to_string(so.local_port)),
               Cell::plain(so.pid >= 0 ? std::to_string(so.pid) : "?"),
               Cell::plain(!so.executable.empty() ? so.executable : so.process),
               Cell::plain(p ? p->user : ""),
               Cell::plain(p ? (p->package.empty() ? (s.packages && s.packages->knows_ownership() ? "(no package)" : "") : p->package) : "")};
    rows.push_back(std::move(r));
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::stoll(a.cells[2].text) < std::stoll(b.cells[2].text);
  });
  page.section("ports", "Listening ports and the programs holding them");
  page.table("ports", {"protocol", "address", "port", "pid", "program", "user", "package"}, rows);
}

void process_tree(HtmlPage& page, const collect::Snapshot& s, const std::set<std::int64_t>& flagged) {
  std::map<std::int64_t, std::vector<const collect::ProcessRow*>> children;
  std::set<std::int64_t> pids;
  for (const auto& p : s.processes) pids.insert(p.pid);
  std::vector<const collect::ProcessRow*> roots;
  for (const auto& p : s.processes) {
    if (p.kernel_thread) continue;
    if (pids.count(p.ppid) && p.ppid != p.pid) children[p.ppid].push_back(&p);
    else roots.push_back(&p);
  }
  std::vector<Row> rows;
  std::set<std::int64_t> done;
  auto visit = [&](auto&& self, const collect::ProcessRow* p, int depth) -> void {
    if (!done.insert(p->pid).second || rows.size() > 100000) return;
    Row r;
    r.depth = depth;
    r.flagged = flagged.count(p->pid) > 0;
    r.cells = {Cell::plain(std::to_string(p->pid)), Cell::plain(std::to_string(p->ppid)), Cell::plain(p->user), Cell::plain(p->name),
               Cell::plain(p->executable + (p->deleted ? " (deleted)" : "")), Cell::plain(p->cmdline),
               Cell::plain(iso8601_or_dash(p->start_time), std::to_string(p->start_time)), Cell::plain(p->package)};
    rows.push_back(std::move(r));
    for (const auto* c : children[p->pid]) self(self, c, depth + 1);
  };
  for (const auto* p : roots) visit(visit, p, 0);
  page.section("processes", "Processes (parent → child)",
               "Indented under their parent; the processes a medium or worse finding names are marked.");
  page.table("processes", {"pid", "ppid", "user", "name", "program", "command line", "started", "package"}, rows);
}

void logins(HtmlPage& page, const collect::Snapshot& s) {
  std::vector<const collect::LoginRecordRow*> records;
  for (const auto& l : s.logins.records)
    if (!l.zeroed && (l.type == "USER_PROCESS" || l.file == "btmp" || l.type == "BOOT_TIME")) records.push_back(&l);
  std::sort(records.begin(), records.end(), [](auto* a, auto* b) { return a->time > b->time; });
  std::vector<Row> rows;
  for (const auto* l : records) {
    Row r;
    r.cells = {Cell::plain(iso8601_or_dash(l->time), std::to_string(l->time)),
               Cell::plain(l->file == "btmp" ? "failed" : l->type == "BOOT_TIME" ? "boot" : l->file == "utmp" ? "session now" : "login"),
               Cell::plain(l->user), Cell::plain(l->line), Cell::plain(l->host), Cell::plain(l->address)};
    rows.push_back(std::move(r));
  }
  page.section("logins", "Logins, newest first", "From utmp, wtmp and btmp.");
  page.table("logins", {"time", "what", "user", "terminal", "host", "address"}, rows);
}

// Any typed table, every column.
template <TableRow T>
void typed_table(HtmlPage& page, std::string_view id, std::string_view heading, const std::vector<T>& items) {
  std::vector<std::string> columns;
  for (const auto& c : T::kColumns) columns.emplace_back(c.name);
  std::vector<Row> rows;
  for (const auto& item : items) {
    Row r;
    for_each_column(item, [&](const Column& c, const auto& v) {
      using V = std::remove_cvref_t<decltype(v)>;
      if constexpr (std::is_same_v<V, std::string>) r.cells.push_back(Cell::plain(v));
      else if constexpr (std::is_same_v<V, bool>) r.cells.push_back(Cell::plain(v ? "yes" : ""));
      else if (std::string_view(c.name).ends_with("time") && v > 0)  // epoch seconds, shown as a date
        r.cells.push_back(Cell::plain(iso8601(static_cast<std::int64_t>(v)), std::to_string(v)));
      else r.cells.push_back(Cell::plain(std::to_string(v)));
    });
    rows.push_back(std::move(r));
  }
  page.section(id, heading);
  page.table(id, columns, rows);
}

}  // namespace

std::set<std::int64_t> flagged_pids(const Findings& findings, Severity floor) {
  std::set<std::int64_t> out;
  for (const auto& f : findings) {
    if (f.severity < floor) continue;
    for (const auto& e : f.evidence)
      if (e.key == "process.pid")
        if (const auto* v = std::get_if<std::int64_t>(&e.value)) out.insert(*v);
  }
  return out;
}

HtmlPage findings_page(const TriageReport& r) {
  const auto* s = r.snapshot;
  std::string host = s ? s->host.hostname : "";
  HtmlPage page(r.title + (host.empty() ? "" : " — " + host));
  std::vector<std::pair<std::string, std::string>> facts;
  if (s) {
    facts.push_back({"host", s->host.hostname});
    if (!s->host.os.empty()) facts.push_back({"system", s->host.os});
    if (!s->host.kernel.empty()) facts.push_back({"kernel", s->host.kernel});
    facts.push_back({"root", s->host.root.empty() ? "/" : s->host.root});
    facts.push_back({"collected", iso8601_or_dash(s->host.collected_at)});
  }
  facts.push_back({"vigil", VIGIL_VERSION});
  if (r.seconds > 0) facts.push_back({"took", fmt::format("{:.2f} s", r.seconds)});
  if (!r.subtitle.empty()) facts.push_back({"what", r.subtitle});
  if (r.suppressed) facts.push_back({"suppressed", fmt::format("{} findings (the suppression file)", r.suppressed)});
  auto counts = r.counts();
  page.header(r.title, facts, &counts);
  std::vector<Row> rows;
  rows.reserve(r.findings.size());
  Explanations explain(r.findings);
  for (const auto& f : r.findings) rows.push_back(finding_row(f, explain));
  page.section("findings", "Findings");
  page.table("findings", {"severity", "rule", "finding", "evidence", "ATT&CK"}, rows);
  explain.write(page);
  return page;
}

void render_html(const TriageReport& r, std::ostream& out) {
  auto page = findings_page(r);
  const auto* s = r.snapshot;
  if (s && r.inventory) {
    auto flagged = flagged_pids(r.findings);
    if (s->has("sockets")) ports(page, *s, flagged);
    if (s->has("processes")) process_tree(page, *s, flagged);
    if (s->has("login_records")) logins(page, *s);
    if (s->has("persistence")) typed_table(page, "persistence", "Start-up items", s->persistence);
  }
  page.write(out);
}

}  // namespace vigil::report
