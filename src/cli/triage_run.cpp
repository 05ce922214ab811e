// Collection and detection for vigil triage and vigil collect.
#include "cli/triage_run.hpp"

#include <fmt/format.h>

#include <chrono>
#include <iostream>

#include "cli/collect_setup.hpp"
#include "cli/progress.hpp"
#include "core/host_files.hpp"
#include "detect/detectors.hpp"
#include "scan/file_scan.hpp"
#include "scan/memory_scan.hpp"

namespace vigil::cli {

namespace {

// --yara: the bundled YARA rules over the drop zones and, on the live host, every process's memory.
Findings yara_findings(const Root& root, const TriageRunOptions& o) {
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

}  // namespace

expected<std::unique_ptr<TriageRun>, std::string> run_triage_collection(const TriageRunOptions& o) {
  auto run = std::make_unique<TriageRun>();
  auto opened = open_system_root(o.root, o.force);
  if (!opened) return make_unexpected(opened.error());
  run->root = std::move(*opened);
  const Root* root = &*run->root;
  auto base = collect::base_collect_options(o.rules_dir);
  if (!base) return make_unexpected(base.error());
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
  {
    Progress progress(Progress::wanted(o.quiet));
    progress.set("collecting");
    copts.on_step = [&](std::string_view done) { progress.set(fmt::format("collecting (done: {})", done)); };
    run->snapshot = collect::collect_snapshot(*root, copts);
  }
  auto& snapshot = run->snapshot;
  detect::Context ctx;
  ctx.now = snapshot.host.collected_at;
  ctx.failed_login_threshold = o.failed_login_threshold;
  ctx.since_days = o.since_days;
  run->findings = detect::run_triage(snapshot, ctx);
  if (o.yara) {
    for (auto& f : yara_findings(*root, o)) run->findings.push_back(std::move(f));
    sort_findings(run->findings);
  }
  run->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (o.timings) {
    for (const auto& [name, sec] : snapshot.timings) std::cerr << fmt::format("vigil: {:>8.1f} ms  {}\n", sec * 1e3, name);
    std::cerr << fmt::format("vigil: {:>8.1f} ms  total (collection and detection)\n", run->seconds * 1e3);
  }
  return run;
}

void add_triage_run_options(CLI::App* cmd, TriageRunOptions& o) {
  cmd->add_option("--root", o.root, "inspect a mounted image instead of the live host (read-only)");
  cmd->add_flag("--force", o.force, "inspect a --root that does not look like a system (no /etc/passwd or os-release)");
  cmd->add_flag("--hash", o.hash, "SHA-256 every process executable (unowned ones are always hashed)");
  cmd->add_flag("--yara", o.yara,
                "also run the YARA rules (rules/yara) over the drop zones and, live, every process's memory (vigil scan)");
  cmd->add_flag("--timings", o.timings, "print the time each collector took on stderr");
  cmd->add_option("--jobs", o.jobs, "threads for collection (default: one per core)");
  cmd->add_option("--rules", o.rules_dir, "rules directory (default: the one installed beside vigil)");
  cmd->add_flag("--no-port-probe", o.no_port_probe,
                "skip binding every TCP/UDP port to find hidden ones (about half a second)");
  cmd->add_flag("--quick", o.quick,
                "processes, network, accounts, logins, start-up items and the cheap rootkit probes only: no "
                "port sweep, file walks or package verification (about a tenth of the time)");
  cmd->add_option("--verify-packages", o.verify,
                  "package files to check against dpkg's checksums: common (the programs rootkits replace, "
                  "default), programs, all or none")
      ->check(CLI::IsMember({"none", "common", "programs", "all"}));
  cmd->add_option("--since", o.since_days,
                  "days that count as recent for changed files and keys (default 3; 0 turns those checks off)")
      ->check(CLI::Range(0, 36500));
  cmd->add_option("--failed-login-threshold", o.failed_login_threshold,
                  "failed logins from one source that make a low finding (default 10)");
}

}  // namespace vigil::cli
