// vigil triage: collect this host (or an image), run the triage detectors, render.
#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <optional>

#include "cli/collect_setup.hpp"
#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "cli/report_output.hpp"
#include "collect/snapshot.hpp"
#include "core/host_files.hpp"
#include "detect/detectors.hpp"
#include "report/report.hpp"
#include "scan/file_scan.hpp"
#include "scan/memory_scan.hpp"

namespace vigil::cli {

namespace {

struct TriageOptions {
  std::string root = "/";
  bool force = false;  // inspect a --root that holds no operating system
  ReportOptions report;
  bool hash = false;
  bool no_inventory = false;
  bool timings = false;
  unsigned jobs = 0;
  std::int64_t failed_login_threshold = 10;
  std::int64_t since_days = 3;
  std::string rules_dir;
  bool no_port_probe = false;
  std::string verify = "common";
  bool quick = false;
  bool yara = false;
};

// --yara: the bundled YARA rules over the drop zones and, on the live host, every process's memory.
Findings yara_findings(const Root& root, const TriageOptions& o) {
  std::string dir = (o.rules_dir.empty() ? default_rules_dir() : o.rules_dir) + "/yara";
  auto rules = scan::YaraRules::load({dir});
  for (const auto& p : rules.problems())
    std::cerr << fmt::format("vigil: triage --yara: {}{}: {}\n", p.file, p.line ? ":" + std::to_string(p.line) : "",
                             p.message);
  if (rules.empty()) return {};
  scan::FileScanOptions fo;
  fo.jobs = o.jobs;
  if (root.live()) fo.exclude.push_back(scan::YaraRules::default_cache_dir());
  auto out = scan::scan_files(root, rules, fo).findings;
  if (root.live()) {
    scan::MemoryScanOptions mo;
    mo.jobs = o.jobs;
    for (auto& f : scan::scan_processes(rules, mo).findings) out.push_back(std::move(f));
  }
  return out;
}

int run_triage(TriageOptions o) {
  auto setup = prepare_report(o.report);
  if (!setup) return o.report.error(setup.error());
  auto root = open_system_root(o.root, o.force);
  if (!root) return o.report.error(root.error());
  setup->inspected = *root;
  auto base = collect::base_collect_options(o.rules_dir);
  if (!base) return o.report.error(base.error());
  auto copts = std::move(*base);
  copts.hash_all = o.hash;
  copts.threads = o.jobs;
  copts.rootkit.port_probe = !o.no_port_probe;
  copts.files.since_days = o.since_days;
  copts.files.verify = *collect::parse_verify_scope(o.verify);
  if (o.quick) {
    copts.rootkit.port_probe = false;
    copts.files.walk = false;
    copts.files.verify = collect::VerifyScope::none;
  }
  auto t0 = std::chrono::steady_clock::now();
  std::optional<collect::Snapshot> collected;
  {
    Progress progress(Progress::wanted(o.report.quiet));
    progress.set("collecting");
    copts.on_step = [&](std::string_view done) { progress.set(fmt::format("collecting (done: {})", done)); };
    collected = collect::collect_snapshot(*root, copts);
  }
  auto& snapshot = *collected;
  detect::Context ctx;
  ctx.now = snapshot.host.collected_at;
  ctx.failed_login_threshold = o.failed_login_threshold;
  ctx.since_days = o.since_days;
  report::TriageReport r;
  r.snapshot = &snapshot;
  r.findings = detect::run_triage(snapshot, ctx);
  if (o.yara) {
    for (auto& f : yara_findings(*root, o)) r.findings.push_back(std::move(f));
    sort_findings(r.findings);
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (o.timings) {
    for (const auto& [name, sec] : snapshot.timings)
      std::cerr << fmt::format("vigil: {:>8.1f} ms  {}\n", sec * 1e3, name);
    std::cerr << fmt::format("vigil: {:>8.1f} ms  total (collection and detection)\n",
                             r.seconds * 1e3);
  }

  return render_report(r, o.report, *setup, !o.no_inventory);
}

}  // namespace

void add_triage_command(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<TriageOptions>();
  auto* cmd = app.add_subcommand("triage",
                                 "Has this host been hacked? Processes, ports, accounts, logins.");
  cmd->add_option("--root", opts->root,
                  "inspect a mounted image instead of the live host (read-only)");
  cmd->add_flag("--force", opts->force, "inspect a --root that does not look like a system (no /etc/passwd or os-release)");
  add_report_options(cmd, opts->report);
  cmd->add_flag("--hash", opts->hash,
                "SHA-256 every process executable (unowned ones are always hashed)");
  cmd->add_flag("--yara", opts->yara,
                "also run the YARA rules (rules/yara) over the drop zones and, live, every process's memory (vigil scan)");
  cmd->add_flag("--no-inventory", opts->no_inventory, "text format: findings only");
  cmd->add_flag("--timings", opts->timings, "print the time each collector took on stderr");
  cmd->add_option("--jobs", opts->jobs, "threads for collection (default: one per core)");
  cmd->add_option("--rules", opts->rules_dir, "rules directory (default: the one installed beside vigil)");
  cmd->add_flag("--no-port-probe", opts->no_port_probe,
                "skip binding every TCP/UDP port to find hidden ones (about half a second)");
  cmd->add_flag("--quick", opts->quick,
                "processes, network, accounts, logins, start-up items and the cheap rootkit probes only: no "
                "port sweep, file walks or package verification (about a tenth of the time)");
  cmd->add_option("--verify-packages", opts->verify,
                  "package files to check against dpkg's checksums: common (the programs rootkits replace, "
                  "default), programs, all or none")
      ->check(CLI::IsMember({"none", "common", "programs", "all"}));
  cmd->add_option("--since", opts->since_days, "days that count as recent for changed files and keys (default 3; 0 turns those checks off)")
      ->check(CLI::Range(0, 36500));
  cmd->add_option("--failed-login-threshold", opts->failed_login_threshold,
                  "failed logins from one source that make a low finding (default 10)");
  cmd->callback([opts, &exit_code] { exit_code = run_triage(*opts); });
}

}  // namespace vigil::cli
