// Shared report output.
#include "cli/report_output.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>

#include "cli/collect_setup.hpp"
#include "cli/commands.hpp"
#include "core/suppressions_file.hpp"
#include "report/result_set.hpp"
#include "core/outside_root.hpp"
#include "core/text.hpp"

namespace vigil::cli {

namespace {

void json_error(std::string_view message) {
  nlohmann::json j = {{"error", {{"message", std::string(message)}}}, {"vigil", {{"exit_code", kExitError}}}};
  std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  std::cout.flush();
}

std::string lowered(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace


void add_report_options(CLI::App* cmd, ReportOptions& o, std::string_view what) {
  cmd->add_option("--format", o.format,
                  "text (default; table is the same), jsonl (one ECS alert per line), json (one document), csv, "
                  "html (one self-contained page: filters, sortable tables), or xlsx (a workbook: the findings and "
                  "the inventory tables, one sheet each; needs --out)")
      ->check(CLI::IsMember({"text", "table", "jsonl", "json", "csv", "html", "xlsx"}, CLI::ignore_case));
  cmd->add_option("--fail-on", o.fail_on,
                  "exit 1 when " + std::string(what) + " is at or above this severity: info, low, medium, high "
                  "(default), critical, or none");
  cmd->add_option("--out", o.out, "write the report to FILE instead of standard output");
  cmd->add_option("--color", o.color, "auto (a terminal, unless NO_COLOR is set), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}, CLI::ignore_case));
  cmd->add_option("--suppress", o.suppress,
                  "suppression file (default " + std::string(kDefaultSuppressionFile) + " when it exists)");
  cmd->add_flag("--no-suppress", o.no_suppress, "ignore every suppression file");
  cmd->add_flag("--quiet", o.quiet, "no progress line on the terminal (there is none in a pipe)");
  cmd->footer(std::string(kExitCodesHelp));
}

expected<std::optional<Severity>, std::string> parse_fail_on(std::string_view word) {
  std::string lower = ascii_lower(word);
  if (lower == "none") return std::optional<Severity>{};
  auto s = parse_severity(lower);
  if (!s) return make_unexpected("--fail-on: unknown severity '" + std::string(word) + "' (info, low, medium, high, "
                                 "critical or none)");
  return std::optional<Severity>(*s);
}

expected<ReportSetup, std::string> prepare_report(ReportOptions& o) {
  o.format = lowered(o.format);
  o.color = lowered(o.color);
  if (o.format == "table") o.format = "text";
  if (o.format == "xlsx" && (o.out.empty() || o.out == "-"))
    return make_unexpected(std::string("--format xlsx writes a workbook: give --out FILE.xlsx"));
  auto fail_on = parse_fail_on(o.fail_on);
  if (!fail_on) return make_unexpected(fail_on.error());
  auto suppressions = load_suppressions(o.suppress, o.no_suppress);
  if (!suppressions) return make_unexpected(suppressions.error());
  return ReportSetup{*fail_on, std::move(*suppressions), std::nullopt};
}

expected<Inspection, std::string> open_inspection(ReportOptions& o, const std::string& root, bool system_root,
                                                  bool force) {
  auto setup = prepare_report(o);
  if (!setup) return make_unexpected(setup.error());
  auto opened = system_root ? open_system_root(root, force) : open_root(root);
  if (!opened) return make_unexpected(opened.error());
  setup->inspected = *opened;
  return Inspection{std::move(*setup), std::move(*opened)};
}

collect::Snapshot host_header(const Root& root) {
  collect::Snapshot header;
  header.host = collect::collect_host_info(root);
  header.packages = collect::no_package_db();
  return header;
}

report::TriageReport findings_report(const collect::Snapshot& header, std::string title) {
  report::TriageReport r;
  r.snapshot = &header;
  r.title = std::move(title);
  r.inventory = false;
  return r;
}

void add_rows_options(CLI::App* cmd, RowsOptions& o) {
  cmd->add_option("--format", o.format, "text (default; table is the same), json (an array), jsonl or csv")
      ->check(CLI::IsMember({"text", "table", "jsonl", "json", "csv"}, CLI::ignore_case));
  cmd->add_option("--out", o.out, "write to FILE instead of standard output");
}

int RowsOptions::error(std::string_view message) const {
  if (machine()) json_error(message);
  return error_exit(message);
}

int render_rows(const ResultSet& rows, RowsOptions o, const Root* guard) {
  o.format = lowered(o.format);
  return write_output(o.out, guard, [&](std::ostream& out) {
    if (o.format == "json") report::render_result_json(rows, out);
    else if (o.format == "jsonl") report::render_result_jsonl(rows, out);
    else if (o.format == "csv") report::render_result_csv(rows, out);
    else report::render_result_table(rows, out);
  });
}

int ReportOptions::error(std::string_view message) const {
  if (machine()) json_error(message);
  return error_exit(message);
}

void render_findings(report::TriageReport& r, const ReportOptions& o, const ReportSetup& setup, bool text_inventory,
                     std::ostream& out, bool terminal) {
  r.suppressed = apply_suppressions(setup.suppressions, r.findings);
  if (o.format == "jsonl")
    report::render_jsonl(r, out);
  else if (o.format == "json")
    report::render_json(r, out);
  else if (o.format == "csv")
    report::render_csv(r, out);
  else if (o.format == "html")
    report::render_html(r, out);
  else if (o.format == "xlsx") {
    if (auto w = report::render_xlsx(r, out); !w) {
      std::cerr << "vigil: --format xlsx: " << w.error() << "\n";
      out.setstate(std::ios::failbit);
    }
  } else {
    bool color = o.color == "always" || (o.color == "auto" && terminal && !std::getenv("NO_COLOR"));
    report::render_text(r, {color, text_inventory}, out);
  }
  out.flush();
}

bool to_terminal(const ReportOptions& o) { return (o.out.empty() || o.out == "-") && ::isatty(1); }

int render_report(report::TriageReport& r, const ReportOptions& o, const ReportSetup& setup, bool text_inventory) {
  int written = write_output(o.out, setup.inspected ? &*setup.inspected : nullptr, [&](std::ostream& out) {
    render_findings(r, o, setup, text_inventory, out, to_terminal(o));
  });
  if (written != kExitClean) return written;
  return fail_on_exit(r.findings, setup.fail_on);
}

int fail_on_exit(const Findings& findings, std::optional<Severity> fail_on) {
  if (!fail_on) return kExitClean;
  for (const auto& f : findings)
    if (f.severity >= *fail_on) return kExitFindings;
  return kExitClean;
}

int error_exit(std::string_view message) {
  std::cerr << "vigil: " << message << "\n";
  return kExitError;
}

int write_output(const std::string& path, const Root* root, const std::function<void(std::ostream&)>& write) {
  if (path.empty() || path == "-") {
    write(std::cout);
    return kExitClean;
  }
  if (root)
    if (auto outside = refuse_inside_root(*root, path, "--out"); !outside) return error_exit(outside.error());
  std::ofstream f(path, std::ios::binary);
  if (!f) return error_exit(fmt::format("--out: cannot write {}: {}", path, std::strerror(errno)));
  write(f);
  f.flush();
  if (!f) return error_exit(fmt::format("--out: error writing {}", path));
  return kExitClean;
}

void warn(std::string_view message) { std::cerr << "vigil: warning: " << message << "\n"; }

}  // namespace vigil::cli
