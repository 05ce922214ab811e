// The output options every reporting command shares (--format, --fail-on, --color,
// --suppress, --no-suppress): declared, checked before any work, and applied in one place.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"
#include "core/root.hpp"
#include "core/severity.hpp"
#include "core/suppress.hpp"
#include "report/report.hpp"

namespace vigil::cli {

struct ReportOptions {
  std::string format = "text";
  std::string fail_on = "high";
  std::string color = "auto";
  std::string suppress;
  bool no_suppress = false;
};

// `what` names what --fail-on counts: "a finding", "a change".
void add_report_options(CLI::App* cmd, ReportOptions& o, std::string_view what = "a finding");

// The parsed --fail-on and suppression file: read before collecting, so a typo fails fast.
struct ReportSetup {
  Severity fail_on = Severity::high;
  std::vector<Suppression> suppressions;
};
expected<ReportSetup, std::string> prepare_report(const ReportOptions& o);

// Applies the suppressions, renders in the chosen format, and returns the exit code:
// 1 when a finding is at or above --fail-on, else 0.
int render_report(report::TriageReport& r, const ReportOptions& o, const ReportSetup& setup, bool text_inventory);

// 1 when a finding is at or above `fail_on`, else 0.
int fail_on_exit(const Findings& findings, Severity fail_on);

// Runs `write` on --out FILE (standard output for "" or "-"), which must not resolve inside
// the inspected root; returns the exit code of an error, or 0.
int write_output(const std::string& path, const Root& root, const std::function<void(std::ostream&)>& write);

// Prints "vigil: message" on stderr and returns the error exit code.
int error_exit(std::string_view message);
// Prints "vigil: warning: message" on stderr.
void warn(std::string_view message);

}  // namespace vigil::cli
