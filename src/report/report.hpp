// A triage result ready to render: the snapshot it came from and what was found.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <set>
#include <ostream>
#include <string>

#include "collect/snapshot.hpp"
#include "core/expected.hpp"
#include "core/finding.hpp"
#include "core/result_set.hpp"

namespace vigil::report {

struct TriageReport {
  const collect::Snapshot* snapshot = nullptr;
  Findings findings;
  std::size_t suppressed = 0;
  double seconds = 0;  // wall time of collection and detection
  std::string title = "vigil triage";
  std::string subtitle;    // one line under the header (a diff names its two snapshots)
  bool inventory = true;   // json: include the snapshot's tables

  std::array<std::size_t, 5> counts() const;  // by severity, info first
};

struct TextOptions {
  bool color = false;
  bool inventory = true;
};

void render_text(const TriageReport& r, const TextOptions& opts, std::ostream& out);
void render_jsonl(const TriageReport& r, std::ostream& out);
void render_json(const TriageReport& r, std::ostream& out);
// One finding per row: severity, rule, title, why, the evidence as key=value; pairs, remedy,
// ATT&CK, source, fingerprint, host (RFC 4180 CSV, for a spreadsheet).
void render_csv(const TriageReport& r, std::ostream& out);
// The same rows, for a spreadsheet.
ResultSet findings_rows(const TriageReport& r);
// An .xlsx workbook: a Findings sheet (the CSV's rows) and, with the inventory, one sheet per
// table collected (processes, sockets, users, persistence …).
expected<void, std::string> render_xlsx(const TriageReport& r, std::ostream& out);
// The processes that findings at or above `floor` name (process.pid): marked in a report,
// kept with their /proc files in a bundle.
std::set<std::int64_t> flagged_pids(const Findings& findings, Severity floor = Severity::medium);
// One self-contained HTML file (report/html_page.hpp): the findings, and with the inventory the
// ports, the process tree, the logins and the start-up items.
void render_html(const TriageReport& r, std::ostream& out);

}  // namespace vigil::report
