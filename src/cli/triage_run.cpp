// Collection and detection for vigil triage and vigil collect.
#include "cli/triage_run.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "cli/collect_setup.hpp"
#include "cli/progress.hpp"
#include "core/host_files.hpp"
#include "detect/detectors.hpp"
#include "report/bundle_read.hpp"
#include "report/ecs.hpp"
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

// A bundle's triage.json holds what the live host showed when it was collected (processes,
// sockets, memory): the findings the files alone do not give again are added, saying so.
void add_recorded_findings(TriageRun& run, const std::string& bundle) {
  std::ifstream in(run.unpacked + "/triage.json");
  auto doc = nlohmann::json::parse(in, nullptr, false);
  if (doc.is_discarded() || !doc.contains("findings") || !doc["findings"].is_array()) return;
  std::set<std::string> seen;
  for (const auto& f : run.findings) seen.insert(f.fingerprint());
  std::string when = doc.contains("host") && doc["host"].is_object() && doc["host"].contains("collected_at") &&
                             doc["host"]["collected_at"].is_string()
                         ? doc["host"]["collected_at"].get<std::string>()
                         : std::string("collection");
  for (const auto& j : doc["findings"]) {
    std::string fingerprint;
    auto f = report::finding_from_ecs(j, &fingerprint);
    if (f.rule.empty() || seen.count(fingerprint)) continue;
    f.add("vigil.bundle", "recorded live at " + when + " (" + bundle + "): not derived again from its files");
    run.findings.push_back(std::move(f));
  }
  sort_findings(run.findings);
  run.snapshot.host.root = bundle;
}

}  // namespace

TriageRun::~TriageRun() {
  std::error_code ec;
  if (!unpacked.empty()) std::filesystem::remove_all(unpacked, ec);
}

expected<std::unique_ptr<TriageRun>, std::string> run_triage_collection(const TriageRunOptions& o) {
  auto run = std::make_unique<TriageRun>();
  std::string root_dir = o.root;
  if (!o.bundle.empty()) {
    if (o.root != "/") return make_unexpected("--bundle and --root: give one");
    const char* tmp = std::getenv("TMPDIR");
    auto unpacked = report::unpack_bundle(o.bundle, tmp && *tmp ? tmp : "/tmp");
    if (!unpacked) return make_unexpected(unpacked.error());
    run->unpacked = unpacked->dir;
    root_dir = unpacked->dir + "/files";
    std::error_code ec;
    std::filesystem::create_directories(root_dir, ec);  // a bundle with no artefact at all
  }
  auto opened = open_system_root(root_dir, o.force || !o.bundle.empty());
  // A bundle's files were unpacked now: their ctime cannot be put back, so the checks of what
  // changed recently come from the triage recorded at collection, not from these files.
  std::int64_t since_days = o.bundle.empty() ? o.since_days : 0;
  if (!opened) return make_unexpected(opened.error());
  run->root = std::move(*opened);
  const Root* root = &*run->root;
  auto base = collect::base_collect_options(o.rules_dir);
  if (!base) return make_unexpected(base.error());
  auto copts = std::move(*base);
  copts.hash_all = o.hash;
  copts.threads = o.jobs;
  copts.rootkit.port_probe = !o.no_port_probe;
  copts.files.since_days = since_days;
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
  ctx.since_days = since_days;
  run->findings = detect::run_triage(snapshot, ctx);
  if (o.yara) {
    for (auto& f : yara_findings(*root, o)) run->findings.push_back(std::move(f));
    sort_findings(run->findings);
  }
  if (!run->unpacked.empty()) add_recorded_findings(*run, o.bundle);
  run->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (o.timings) {
    for (const auto& [name, sec] : snapshot.timings) std::cerr << fmt::format("vigil: {:>8.1f} ms  {}\n", sec * 1e3, name);
    std::cerr << fmt::format("vigil: {:>8.1f} ms  total (collection and detection)\n", run->seconds * 1e3);
  }
  return run;
}

void add_triage_run_options(CLI::App* cmd, TriageRunOptions& o, bool bundle) {
  cmd->add_option("--root", o.root, "inspect a mounted image instead of the live host (read-only)");
  if (bundle)
    cmd->add_option("--bundle", o.bundle,
                    "analyse a bundle of vigil collect offline: verified against its manifest, its files triaged as "
                    "a root, the live findings it recorded added (saying so)");
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
