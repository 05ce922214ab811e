// vigil scan: YARA rules over files (the attacker drop zones by default), live or under --root.
#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <memory>

#include "cli/collect_setup.hpp"
#include "cli/commands.hpp"
#include "cli/report_output.hpp"
#include "collect/snapshot.hpp"
#include "core/host_files.hpp"
#include "core/text.hpp"
#include "scan/file_scan.hpp"
#include "scan/memory_scan.hpp"

namespace vigil::cli {

namespace {

struct ScanCliOptions {
  std::vector<std::string> paths;
  std::vector<std::string> rules;
  bool no_builtin = false;
  std::string root = "/";
  unsigned jobs = 0;
  std::uint64_t max_size_mb = 64;
  int timeout = 10;
  bool memory = false;               // --pids given
  std::vector<std::string> pids;     // numbers, or "all" (none given: all)
  bool all_regions = false;
  std::uint64_t max_process_mb = 256;
  ReportOptions report;
};

int run(ScanCliOptions o) {
  auto in = open_inspection(o.report, o.root, false);
  if (!in) return o.report.error(in.error());
  const Root* root = &in->root;
  std::vector<std::string> rule_paths;
  if (!o.no_builtin) rule_paths.push_back(default_rules_dir() + "/yara");
  rule_paths.insert(rule_paths.end(), o.rules.begin(), o.rules.end());
  if (rule_paths.empty()) return o.report.error("scan: --no-builtin needs --rules");
  auto t0 = std::chrono::steady_clock::now();
  auto rules = scan::YaraRules::load(rule_paths);
  for (const auto& p : rules.problems())
    std::cerr << fmt::format("vigil: scan: {}{}: {} (left out; the other rule files still load)\n", p.file,
                             p.line ? ":" + std::to_string(p.line) : "", p.message);
  if (rules.empty()) return o.report.error("scan: no YARA rule could be loaded");
  scan::FileScanResult result;
  std::string what;
  if (o.memory) {
    if (!root->live()) return o.report.error("scan: --pids reads the memory of this host's processes: not with --root");
    scan::MemoryScanOptions mo;
    for (const auto& p : o.pids) {
      if (p == "all" || p.empty()) continue;
      auto pid = to_number<pid_t>(p);
      if (!pid || *pid <= 0) return o.report.error("scan: --pids: '" + p + "' is not a process id (or all)");
      mo.pids.push_back(*pid);
    }
    mo.all_regions = o.all_regions;
    mo.max_bytes = o.max_process_mb << 20;
    mo.jobs = o.jobs;
    mo.timeout = o.timeout;
    auto mem = scan::scan_processes(rules, mo);
    what = fmt::format("{} processes ({:.1f} MiB in {} regions; {} read-only regions of packaged files left out, {} "
                       "processes cut at {} MiB, {} gone meanwhile)",
                       mem.processes, static_cast<double>(mem.bytes) / (1 << 20), mem.regions,
                       mem.skipped_package_regions, mem.capped, o.max_process_mb, mem.vanished);
    result.findings = std::move(mem.findings);
  }
  if (!o.memory || !o.paths.empty()) {
    scan::FileScanOptions so;
    so.paths = o.paths;
    so.jobs = o.jobs;
    so.max_size = o.max_size_mb << 20;
    so.timeout = o.timeout;
    if (root->live()) so.exclude.push_back(scan::YaraRules::default_cache_dir());  // its compiled rules hold every string
    auto files = scan::scan_files(*root, rules, so);
    what += fmt::format("{}{} files ({:.1f} MiB), {} over {} MiB skipped; {} file(s) matched", what.empty() ? "" : "; ",
                        files.files, static_cast<double>(files.bytes) / (1 << 20), files.too_large, o.max_size_mb,
                        files.matched_files);
    for (auto& f : files.findings) result.findings.push_back(std::move(f));
    result.missing = std::move(files.missing);
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (const auto& m : result.missing) std::cerr << "vigil: scan: " << m << ": no such file or directory\n";
  auto header = host_header(*root);
  auto r = findings_report(header, "vigil scan");
  r.seconds = seconds;
  r.subtitle = fmt::format("{} YARA rules from {} file(s){}; scanned {}", rules.rule_count(), rules.files(),
                           rules.from_cache() ? " (compiled earlier: the cache)" : "", what);
  r.findings = std::move(result.findings);
  int code = render_report(r, o.report, in->setup, false);
  return result.missing.empty() ? code : kExitError;
}

}  // namespace

void add_scan_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<ScanCliOptions>();
  auto* cmd = app.add_subcommand(
      "scan", "YARA rules over files: by default the attacker drop zones (temporary directories, web roots, homes, "
              "cron, systemd units, init scripts)");
  cmd->add_option("paths", o->paths, "files or directories (inside --root) instead of the drop zones");
  cmd->add_option("--rules", o->rules, "more YARA rule files or directories, loaded unchanged (repeatable)")
      ->allow_extra_args(false);
  cmd->add_flag("--no-builtin", o->no_builtin, "use only the --rules given, not vigil's rules/yara");
  cmd->add_option("--root", o->root, "a mounted image to scan instead of this host");
  cmd->add_option("--jobs", o->jobs, "scanning threads (default: every core)");
  cmd->add_option("--max-size", o->max_size_mb, "skip files larger than this many MiB (default 64)");
  cmd->add_option("--timeout", o->timeout, "seconds a file may take before its scan is abandoned (default 10)");
  auto* pids = cmd->add_option("--pids", o->pids,
                               "scan the memory of these processes (process ids, or all; none given: all) instead "
                               "of the drop zones; with paths, both")
                   ->expected(0, -1);
  cmd->add_flag("--all-regions", o->all_regions, "--pids: also read-only mappings of files a package owns");
  cmd->add_option("--max-process-size", o->max_process_mb, "--pids: read at most this many MiB per process (256)");
  add_report_options(cmd, o->report);
  cmd->callback([o, pids, &exit_code] {
    o->memory = pids->count() > 0;
    exit_code = run(*o);
  });
}

}  // namespace vigil::cli
