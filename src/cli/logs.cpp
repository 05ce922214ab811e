// vigil logs: find attacks in auth and web server logs, with Sigma rules.
#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <optional>

#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "cli/report_output.hpp"
#include "core/suppressions_file.hpp"
#include "collect/snapshot.hpp"
#include "core/host_files.hpp"
#include "core/root.hpp"
#include "core/time_format.hpp"
#include "logs/learn.hpp"
#include "logs/scan.hpp"
#include "report/logs_report.hpp"

namespace vigil::cli {

namespace {

struct LogsOptions {
  std::vector<std::string> paths;
  bool journal = false;
  std::vector<std::string> rules;
  bool no_builtin = false;
  unsigned jobs = 0;
  ReportOptions report;
  bool events = false;
  bool all_attackers = false;
  std::string dshield;
  std::string dshield_id = "0";
  std::uint64_t slow_failures = 5;
  bool markdown = false;
  RowsOptions listing;  // logs rules
  std::string profile;  // scan: judge web requests by it; learn: write it
  logs::ProfileSettings learning;
  bool quiet = false;   // learn
};

std::vector<std::string> rule_paths(const LogsOptions& o) {
  std::vector<std::string> paths;
  if (!o.no_builtin) paths.push_back(default_rules_dir() + "/logs");
  for (const auto& r : o.rules) paths.push_back(r);
  return paths;
}

collect::HostInfo analyst_host() {
  auto root = Root::open("/");
  return root ? collect::collect_host_info(*root) : collect::HostInfo{};
}

int run_scan(LogsOptions o) {
  auto setup = prepare_report(o.report);
  if (!setup) return o.report.error(setup.error());
  if (o.paths.empty() && !o.journal) return o.report.error("logs scan: name files, directories, - (stdin) or --journal");
  if (o.dshield == "-" && (o.events || o.report.format != "text"))
    return o.report.error("--dshield - writes DShield lines to standard output: give it a file (--dshield FILE) to have "
                      "--format json/jsonl or --events there too");
  logs::ScanOptions so;
  so.paths = o.paths;
  so.journal = o.journal;
  so.jobs = o.jobs;
  auto rules = logs::load_log_rules(rule_paths(o));
  if (!o.profile.empty()) {
    auto profile = logs::load_profile(o.profile);
    if (!profile) return o.report.error("--profile " + profile.error());
    rules.profile = std::make_shared<const logs::WebProfile>(std::move(*profile));
  }
  so.engine.slow_failures = o.slow_failures;
  // Everything the scan prints goes to --out (or standard output), matched lines as they come.
  int code = kExitClean;
  bool nothing_read = false, missing = false;
  int written = write_output(o.report.out, nullptr, [&](std::ostream& out) {
    auto t0 = std::chrono::steady_clock::now();
    std::optional<Progress> progress(std::in_place, Progress::wanted(o.report.quiet));
    so.on_input = [&](const std::string& path, std::size_t i, std::size_t n) {
      progress->set(fmt::format("reading {} ({} of {})", path, i + 1, n));
    };
    logs::LogEngine::MatchSink on_match;
    report::LogsChartData charts;
    if (o.events)
      on_match = [&out](const logs::MatchedLine& m) {
        if (m.reported()) report::render_matched_line(m, out);
      };
    else if (o.report.format == "html") on_match = [&charts](const logs::MatchedLine& m) { charts.add(m); };
    auto result = logs::scan_logs(rules, so, on_match);
    progress.reset();  // the line is gone before anything else is printed
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    report::render_input_notes(result, std::cerr);
    if (!o.dshield.empty()) {
      if (o.dshield == "-") {
        report::render_dshield(result, o.dshield_id, out);
      } else if (write_output(o.dshield, nullptr, [&](std::ostream& d) { report::render_dshield(result, o.dshield_id, d); }) !=
                 kExitClean) {
        code = kExitError;
        return;
      }
    }
    // Nothing could be read as a log at all (unreadable, missing, binary): an error. An empty
    // file is not: it is said on stderr, and there is simply nothing to find.
    nothing_read = !result.inputs.empty() && std::all_of(result.inputs.begin(), result.inputs.end(),
                                                         [](const auto& in) { return in.failed || in.binary; });
    missing = !result.errors.empty();
    if (o.events || o.dshield == "-") {
      code = fail_on_exit(result.findings, setup->fail_on);
    } else if (o.report.format == "json") {
      std::size_t suppressed = apply_suppressions(setup->suppressions, result.findings);
      report::render_logs_json(result, analyst_host(), suppressed, seconds, out);
      code = fail_on_exit(result.findings, setup->fail_on);
    } else {
      collect::Snapshot snap;
      snap.host = analyst_host();
      report::TriageReport r;
      r.snapshot = &snap;
      r.title = "vigil logs scan";
      r.inventory = false;
      r.seconds = seconds;
      r.subtitle = report::logs_summary(result);
      r.findings = std::move(result.findings);
      if (o.report.format == "html") {
        r.suppressed = apply_suppressions(setup->suppressions, r.findings);
        report::render_logs_html(r, result, charts, out);
      } else {
        render_findings(r, o.report, *setup, false, out, to_terminal(o.report));
      }
      code = fail_on_exit(r.findings, setup->fail_on);
      if (o.report.format == "text") report::render_attackers_text(result, o.all_attackers ? SIZE_MAX : 20, out);
    }
    out.flush();
  });
  if (written != kExitClean) return written;
  return nothing_read || missing ? kExitError : code;
}

int run_learn(const LogsOptions& o) {
  if (o.paths.empty()) {
    std::cerr << "vigil: logs learn: name the logs of normal traffic to learn from\n";
    return kExitError;
  }
  logs::LearnOptions lo;
  lo.paths = o.paths;
  lo.settings = o.learning;
  auto rules = logs::load_log_rules(rule_paths(o));
  lo.rules = &rules;
  auto t0 = std::chrono::steady_clock::now();
  auto r = logs::learn_profile(lo);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (const auto& e : r.errors) std::cerr << "vigil: logs learn: " << e << "\n";
  for (const auto& m : r.messages) std::cerr << "vigil: logs learn: " << m << "\n";
  if (r.profile.requests == 0) {
    std::cerr << fmt::format("vigil: logs learn: no web request answered below 400 in {} line(s): nothing to learn, "
                             "no profile written\n",
                             r.lines);
    return kExitError;
  }
  r.profile.learned_at = iso8601(std::time(nullptr));
  int written = write_output(o.profile, nullptr, [&](std::ostream& out) { out << logs::profile_json(r.profile); });
  if (written != kExitClean) return written;
  std::size_t params = 0, enums = 0, required = 0;
  for (const auto& [k, p] : r.profile.paths)
    for (const auto& [n, pp] : p.params) {
      ++params;
      enums += !pp.values.empty();
      required += pp.required;
    }
  if (!o.quiet)
    std::cerr << fmt::format(
        "vigil logs learn: {} request(s) learned from {} line(s) in {:.1f}s ({} matched an attack signature and {} "
        "were answered 400 or more: not learned); "
        "{} path(s), {} parameter(s) ({} required, {} enumerations), {} extension(s), {} open director(ies) -> "
        "{}\n",
        r.profile.requests, r.lines, seconds, r.attacks, r.profile.skipped, r.profile.paths.size(), params, required, enums,
        r.profile.extensions.size(), r.profile.open_directories.size(), o.profile);
  std::string off;
  for (std::size_t m = 0; m < logs::kProfileModels; ++m)
    if (!r.profile.models[m].enabled)
      off += fmt::format("{}{} ({:.1f} %)", off.empty() ? "" : ", ", logs::model_name(static_cast<logs::ProfileModel>(m)),
                         100 * r.profile.models[m].holdout_rate);
  if (!o.quiet && !off.empty())
    std::cerr << fmt::format("vigil logs learn: turned off, as they flagged more than {:.1f} % of {} held-out normal "
                             "requests: {} (\"enabled\" under \"models\" in the profile turns one back on)\n",
                             100 * r.profile.settings.model_fp_max, r.profile.holdout, off);
  return r.errors.empty() ? kExitClean : kExitError;
}

int run_rules(const LogsOptions& o) {
  auto rules = logs::load_log_rules(rule_paths(o));
  if (o.markdown || o.listing.format == "text" || o.listing.format == "table")
    return write_output(o.listing.out, nullptr, [&](std::ostream& out) { report::render_rule_list(rules, o.markdown, out); });
  return render_rows(report::rule_list_rows(rules), o.listing);
}

}  // namespace

void add_logs_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<LogsOptions>();
  auto* logs = app.add_subcommand("logs", "Find attacks in auth and web server logs with Sigma rules");
  logs->require_subcommand(1);
  auto* scan = logs->add_subcommand(
      "scan",
      "Scan log files, directories (rotated sets oldest first, .gz included), - for stdin, or the journal: brute "
      "force, logins after failures, web attacks (decoded), Sigma rules");
  scan->add_option("paths", o->paths, "files, directories, or - for standard input");
  scan->add_flag("--journal", o->journal, "also read the systemd journal of this host");
  scan->add_option("--rules", o->rules, "more Sigma rule files or directories (repeatable)")->allow_extra_args(false);
  scan->add_flag("--no-builtin", o->no_builtin, "use only the --rules given, not vigil's rules/logs");
  scan->add_option("--jobs", o->jobs, "parser threads (default: every core)");
  add_report_options(scan, o->report);
  scan->add_flag("--events", o->events, "print every matched line as JSON Lines (file, line, rules) instead of findings");
  scan->add_flag("--attackers", o->all_attackers, "list every attacking source, not the 20 busiest");
  scan->add_option("--dshield", o->dshield,
                   "write the attacking sources in DShield/ISC submission format to FILE (- for stdout, alone)");
  scan->add_option("--dshield-id", o->dshield_id, "your DShield user id for --dshield (default 0)");
  scan->add_option("--slow-failures", o->slow_failures,
                   "report a source with this many failed logins and no successful one (default 5; 0 off)");
  scan->add_option("--profile", o->profile,
                   "judge every web request by a learned profile (vigil logs learn): unknown paths, extensions and "
                   "parameters, missing ones, values too long, with new characters or outside an enumeration");
  scan->callback([o, &exit_code] { exit_code = run_scan(*o); });

  auto* learn = logs->add_subcommand(
      "learn", "Learn a web profile from logs of normal traffic: per path the parameters, their lengths, characters "
               "and values (for logs scan --profile and vigil watch)");
  learn->add_option("paths", o->paths, "access logs of normal traffic (files, directories, - for stdin)")->required();
  learn->add_option("--profile", o->profile, "the profile file to write (JSON; a person may edit it)")->required();
  learn->add_option("--min-support", o->learning.min_support,
                    "requests a path, name, character class or value needs to be learned (default 2)");
  learn->add_option("--rare", o->learning.rare_fraction,
                    "…and the share of the requests concerned it needs (default 0.001): rarer is not learned")
      ->check(CLI::Range(0.0, 1.0));
  learn->add_option("--length-p", o->learning.length_p,
                    "Chebyshev probability below which a length is anomalous (default 0.01: mean + 10 sigma)")
      ->check(CLI::Range(1e-6, 1.0));
  learn->add_option("--enum-max", o->learning.enum_max, "most values an enumeration has (default 10)");
  learn->add_option("--model-fp", o->learning.model_fp_max,
                    "turn off a model that flags more than this share of held-out normal requests (default 0.005)")
      ->check(CLI::Range(0.0, 1.0));
  learn->add_option("--rules", o->rules, "more Sigma rules whose matches are not learned (repeatable)")
      ->allow_extra_args(false);
  learn->add_flag("--no-builtin", o->no_builtin, "only the --rules given clean the training logs");
  learn->add_flag("--quiet", o->quiet, "no summary on standard error");
  learn->callback([o, &exit_code] { exit_code = run_learn(*o); });

  auto* rules = logs->add_subcommand("rules", "List the log rules vigil loads, and those it cannot load with why");
  rules->add_option("--rules", o->rules, "more Sigma rule files or directories (repeatable)")->allow_extra_args(false);
  rules->add_flag("--no-builtin", o->no_builtin, "only the --rules given");
  rules->add_flag("--markdown", o->markdown, "as the Markdown table in docs/LOG_RULES.md");
  add_rows_options(rules, o->listing);
  rules->callback([o, &exit_code] { exit_code = run_rules(*o); });
}

}  // namespace vigil::cli
