// The output options every reporting command shares (--format, --fail-on, --out, --color,
// --suppress, --no-suppress): declared, checked before any work, and applied in one place,
// so every command speaks the same words: text (or table), json, jsonl, csv; a severity or
// none; NO_COLOR honoured.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"
#include "core/result_set.hpp"
#include "core/root.hpp"
#include "core/severity.hpp"
#include "core/suppress.hpp"
#include "report/report.hpp"

namespace vigil::cli {

struct ReportOptions {
  std::string format = "text";   // text (table is the same), json, jsonl, csv
  std::string fail_on = "high";  // a severity, any case, or none
  std::string color = "auto";
  std::string out;               // --out FILE; standard output when empty or "-"
  std::string suppress;
  bool no_suppress = false;
  bool quiet = false;            // no progress line

  bool machine() const { return format == "json" || format == "jsonl"; }
  // Prints "vigil: message" on stderr and, for --format json or jsonl, an {"error": …} object
  // on standard output, so a pipeline that reads JSON sees the failure; returns exit code 2.
  int error(std::string_view message) const;
};

// `what` names what --fail-on counts: "a finding", "a change".
void add_report_options(CLI::App* cmd, ReportOptions& o, std::string_view what = "a finding");

// The parsed --fail-on and suppression file: read before collecting, so a typo fails fast.
struct ReportSetup {
  std::optional<Severity> fail_on = Severity::high;  // nothing: --fail-on none, never exit 1
  std::vector<Suppression> suppressions;
  std::optional<Root> inspected;  // the root --out must not lie inside (set once it is open)
};
// Normalises o.format (table → text) and reads --fail-on and the suppressions.
expected<ReportSetup, std::string> prepare_report(ReportOptions& o);

// prepare_report, then --root opened (refused when it holds no operating system and
// `system_root` unless `force`) and recorded as the root --out must not lie in.
struct Inspection {
  ReportSetup setup;
  Root root;
};
expected<Inspection, std::string> open_inspection(ReportOptions& o, const std::string& root, bool system_root,
                                                  bool force = false);

// The header of a report that has findings and no inventory: the host's name, OS and kernel.
collect::Snapshot host_header(const Root& root);
// A report of findings under that header (which must outlive it).
report::TriageReport findings_report(const collect::Snapshot& header, std::string title);

// Applies the suppressions, renders in the chosen format to --out (or standard output), and
// returns the exit code: 1 when a finding is at or above --fail-on, else 0 (2 when --out
// cannot be written).
int render_report(report::TriageReport& r, const ReportOptions& o, const ReportSetup& setup, bool text_inventory);
// The same into a stream the caller opened (a report with more than findings in it);
// `terminal`: the stream is a terminal, colour is allowed.
void render_findings(report::TriageReport& r, const ReportOptions& o, const ReportSetup& setup, bool text_inventory,
                     std::ostream& out, bool terminal);
// Whether the report goes to a terminal (no --out, standard output a tty).
bool to_terminal(const ReportOptions& o);

// 1 when a finding is at or above `fail_on`, else 0.
int fail_on_exit(const Findings& findings, std::optional<Severity> fail_on);
// --fail-on's word: info … critical in any case, or none.
expected<std::optional<Severity>, std::string> parse_fail_on(std::string_view word);

// Runs `write` on --out FILE (standard output for "" or "-"), which must not resolve inside
// the inspected root (none given: the analyst's own files, no check); returns the exit code
// of an error, or 0.
int write_output(const std::string& path, const Root* root, const std::function<void(std::ostream&)>& write);
inline int write_output(const std::string& path, const Root& root, const std::function<void(std::ostream&)>& write) {
  return write_output(path, &root, write);
}

// The footer every command's --help ends with.
inline constexpr std::string_view kExitCodesHelp =
    "Exit codes: 0 ran, nothing at or above --fail-on; 1 something at or above it; 2 error (bad option, "
    "unreadable input, refused path).";

// The same words for commands that print rows (query, listings, password results): text
// (table), json (an array of objects), jsonl, csv; --out.
struct RowsOptions {
  std::string format = "text";
  std::string out;
  bool machine() const { return format == "json" || format == "jsonl"; }
  int error(std::string_view message) const;  // as ReportOptions::error
};
void add_rows_options(CLI::App* cmd, RowsOptions& o);
// Renders the rows in the chosen format to --out (refused inside `guard` when one is given).
int render_rows(const ResultSet& rows, RowsOptions o, const Root* guard = nullptr);

// Prints "vigil: message" on stderr and returns the error exit code.
int error_exit(std::string_view message);
// Prints "vigil: warning: message" on stderr.
void warn(std::string_view message);

}  // namespace vigil::cli
