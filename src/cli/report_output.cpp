// Shared report output.
#include "cli/report_output.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/suppressions.hpp"
#include "core/outside_root.hpp"

namespace vigil::cli {

void add_report_options(CLI::App* cmd, ReportOptions& o, std::string_view what) {
  cmd->add_option("--format", o.format, "text (default), jsonl (one ECS alert per line) or json")
      ->check(CLI::IsMember({"text", "jsonl", "json"}));
  cmd->add_option("--fail-on", o.fail_on,
                  "exit 1 when " + std::string(what) + " is at or above this severity (default high)");
  cmd->add_option("--color", o.color, "auto, always or never")->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_option("--suppress", o.suppress,
                  "suppression file (default " + std::string(kDefaultSuppressionFile) + " when it exists)");
  cmd->add_flag("--no-suppress", o.no_suppress, "ignore every suppression file");
}

expected<ReportSetup, std::string> prepare_report(const ReportOptions& o) {
  auto fail_on = parse_severity(o.fail_on);
  if (!fail_on)
    return make_unexpected("--fail-on: unknown severity '" + o.fail_on + "' (info, low, medium, high, critical)");
  auto suppressions = load_suppressions(o.suppress, o.no_suppress);
  if (!suppressions) return make_unexpected(suppressions.error());
  return ReportSetup{*fail_on, std::move(*suppressions)};
}

int render_report(report::TriageReport& r, const ReportOptions& o, const ReportSetup& setup, bool text_inventory) {
  r.suppressed = apply_suppressions(setup.suppressions, r.findings);
  if (o.format == "jsonl")
    report::render_jsonl(r, std::cout);
  else if (o.format == "json")
    report::render_json(r, std::cout);
  else {
    bool color = o.color == "always" || (o.color == "auto" && ::isatty(1) && !std::getenv("NO_COLOR"));
    report::render_text(r, {color, text_inventory}, std::cout);
  }
  std::cout.flush();
  return fail_on_exit(r.findings, setup.fail_on);
}

int fail_on_exit(const Findings& findings, Severity fail_on) {
  for (const auto& f : findings)
    if (f.severity >= fail_on) return kExitFindings;
  return kExitClean;
}

int error_exit(std::string_view message) {
  std::cerr << "vigil: " << message << "\n";
  return kExitError;
}

int write_output(const std::string& path, const Root& root, const std::function<void(std::ostream&)>& write) {
  if (path.empty() || path == "-") {
    write(std::cout);
    return kExitClean;
  }
  if (auto outside = refuse_inside_root(root, path, "--out"); !outside) return error_exit(outside.error());
  std::ofstream f(path, std::ios::binary);
  if (!f) return error_exit(fmt::format("--out: cannot write {}: {}", path, std::strerror(errno)));
  write(f);
  f.flush();
  if (!f) return error_exit(fmt::format("--out: error writing {}", path));
  return kExitClean;
}

void warn(std::string_view message) { std::cerr << "vigil: warning: " << message << "\n"; }

}  // namespace vigil::cli
