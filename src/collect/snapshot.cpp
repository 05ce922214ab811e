// Collects every table in dependency order: accounts and packages first, because processes
// need user names and ownership, and sockets need processes.
#include "collect/snapshot.hpp"
#include "core/time_format.hpp"

#include <chrono>
#include <thread>
#include <unordered_map>

#include "collect/tables.hpp"
#include "core/host_files.hpp"
#include "core/text.hpp"

namespace vigil::collect {

namespace {

std::string first_line(const expected<std::string, IoError>& text) {
  if (!text) return {};
  return std::string(trim(std::string_view(*text).substr(0, text->find('\n'))));
}

}  // namespace

OsRelease parse_os_release(std::string_view text) {
  OsRelease r;
  for_each_line(text, [&](std::string_view line, std::size_t) {
    auto eq = line.find('=');
    if (eq == std::string_view::npos) return;
    auto key = line.substr(0, eq), v = line.substr(eq + 1);
    if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) v = v.substr(1, v.size() - 2);
    if (key == "ID") r.id = printable(v);
    else if (key == "VERSION_ID") r.version_id = printable(v);
    else if (key == "VERSION_CODENAME") r.codename = printable(v);
    else if (key == "PRETTY_NAME") r.pretty_name = printable(v);
  });
  return r;
}

OsRelease read_os_release(const Root& root) {
  auto text = root.read("/etc/os-release");
  if (!text) text = root.read("/usr/lib/os-release");
  return text ? parse_os_release(*text) : OsRelease{};
}

HostInfo collect_host_info(const Root& root) {
  HostInfo h;
  h.live = root.live();
  h.root = root.path();
  h.collected_at = epoch_now();
  h.os = read_os_release(root).pretty_name;
  if (root.live()) {
    h.hostname = first_line(root.read_pseudo("/proc/sys/kernel/hostname"));
    h.kernel = first_line(root.read_pseudo("/proc/sys/kernel/osrelease"));
    auto up = first_line(root.read_pseudo("/proc/uptime"));
    h.uptime_seconds = static_cast<std::int64_t>(std::strtod(up.c_str(), nullptr));
    h.boot_time = h.collected_at - h.uptime_seconds;
  } else {
    h.hostname = printable(first_line(root.read("/etc/hostname")));
  }
  return h;
}

std::vector<std::string> all_table_names() {
  std::vector<std::string> names;
  for_each_table_type([&]<class Row>(std::string_view) { names.emplace_back(Row::kTable); });
  return names;
}

expected<CollectOptions, std::string> base_collect_options(const std::string& rules_dir) {
  CollectOptions copts;
  // Rules come from the analyst's machine, never from the inspected root.
  std::string rules = rules_dir.empty() ? default_rules_dir() : rules_dir;
  std::string artifacts = rules + "/rootkits/known-artifacts.tsv";
  if (auto text = read_host_file(artifacts)) {
    copts.rootkit.known_artifacts = std::move(*text);
    copts.rootkit.known_artifacts_name = artifacts;
  } else if (!rules_dir.empty()) {
    return make_unexpected("--rules: " + text.error().message());
  }
  return copts;
}

bool looks_like_system(const Root& root) {
  for (auto marker : {"/etc/passwd", "/etc/os-release", "/usr/lib/os-release"})
    if (root.lstat(marker)) return true;
  return false;
}

Snapshot collect_snapshot(const Root& root, const CollectOptions& opts) {
  auto t0 = std::chrono::steady_clock::now();
  Snapshot s;
  auto timed = [&s, &opts, last = t0](std::string name) mutable {
    auto now = std::chrono::steady_clock::now();
    if (opts.on_step) opts.on_step(name);
    s.timings.emplace_back(std::move(name), std::chrono::duration<double>(now - last).count());
    last = now;
  };
  auto wanted = [&](std::initializer_list<std::string_view> tables) {
    if (opts.tables.empty()) return true;
    for (auto t : tables)
      if (opts.tables.contains(t)) return true;
    return false;
  };
  const bool live = root.live();
  const bool want_processes = live && wanted({"processes", "sockets"});
  const bool want_network = live && wanted({"sockets", "interfaces"});
  const bool want_files = wanted({"file_checks"});
  const bool want_probes = wanted({"rootkit_probes"});
  s.host = collect_host_info(root);
  // Accounts are cheap and most collectors need the user list: always collected.
  s.accounts = collect_accounts(root, s.issues);
  s.tables = {"users", "groups", "sudo_rules", "sudo_defaults"};
  timed("users");
  s.packages = open_package_db(root, s.issues);
  if (wanted({"packages"})) {
    s.installed_packages = s.packages->installed(s.issues);
    s.tables.insert("packages");
    timed("packages");
  }
  if (wanted({"login_records", "lastlog"})) {
    s.logins = collect_logins(root, s.accounts.users, s.issues);
    s.tables.insert({"login_records", "lastlog"});
    timed("logins");
  }
  // Start-up files with a suspicious line are checked against their package's checksums (in
  // the same pass as the file checks' verification): as the package shipped it, the line is
  // the package's own.
  std::set<std::string, std::less<>> startup;
  auto verify_startup = [&](VerifyScope scope) {
    std::set<std::string, std::less<>> checked, differ;
    auto modified = verify_package_files(root, *s.packages, scope, startup, s.issues, &checked);
    for (const auto& r : modified) differ.insert(r.path);
    apply_verification(s.persistence, startup, checked, differ);
    return modified;
  };
  // The SSH server's settings say where it looks for keys and what it runs at login.
  if (wanted({"sshd_config", "persistence"})) {
    s.sshd_config = collect_sshd_config(root, s.issues);
    s.tables.insert("sshd_config");
    timed("sshd_config");
  }
  if (wanted({"persistence"})) {
    s.persistence = collect_persistence(root, s.accounts.users, s.sshd_config, s.issues);
    for (auto& p : content_check_paths(s.persistence)) startup.insert(std::move(p));
    s.tables.insert("persistence");
    timed("persistence");
    if (!want_files && !startup.empty()) {
      verify_startup(VerifyScope::none);
      timed("package checksums of start-up files");
    }
  }
  // The rootkit probes ask the kernel directly and share nothing with the collectors below:
  // they run beside them, on their own issue log.
  IssueLog probe_log;
  RootkitProbeResult probes;
  std::jthread probe_thread;
  if (want_probes) probe_thread = std::jthread([&] { probes = collect_rootkit_probes(root, opts.rootkit, probe_log); });
  if (want_files) {
    auto fopts = opts.files;
    fopts.now = s.host.collected_at;
    if (fopts.walk) {
      s.file_checks = collect_file_checks(root, s.accounts.users, fopts, s.issues);
      timed("file checks");
    }
    if (fopts.verify != VerifyScope::none || !startup.empty()) {
      auto modified = verify_startup(fopts.verify);
      s.file_checks.insert(s.file_checks.end(), modified.begin(), modified.end());
      timed("package file verification");
    }
    s.tables.insert("file_checks");
  }
  if (want_processes) {
    std::unordered_map<std::int64_t, std::string> names;
    for (const auto& u : s.accounts.users) names.try_emplace(u.uid, u.name);
    s.processes = collect_processes(root, names, {opts.hash_all, opts.threads}, s.issues);
    s.tables.insert("processes");
    timed("processes");
  }
  if (want_probes) {
    probe_thread.join();
    s.rootkit_probes = std::move(probes.rows);
    s.probes_skipped = std::move(probes.skipped);
    for (auto& i : probe_log.issues()) s.issues.issues().push_back(std::move(i));
    s.tables.insert("rootkit_probes");
    timed("rootkit probes (alongside the steps above)");
  }
  // One pass over the package database answers every table's ownership question.
  {
    auto paths = package_query_paths(s.persistence);
    auto exes = package_query_paths(s.processes);
    paths.insert(paths.end(), exes.begin(), exes.end());
    auto files = package_query_paths(s.file_checks);
    paths.insert(paths.end(), files.begin(), files.end());
    auto file_probe = [](const RootkitProbeRow& r) {
      return (r.probe == "known-artifact" || r.probe == "module-file") && r.target.starts_with('/');
    };
    for (const auto& r : s.rootkit_probes)
      if (file_probe(r)) paths.push_back(r.target);
    if (!paths.empty() && opts.ownership) {
      auto owners = s.packages->owners(paths, s.issues);
      apply_packages(s.persistence, owners);
      apply_packages(s.file_checks, owners);
      for (auto& r : s.rootkit_probes)
        if (auto it = owners.find(r.target); file_probe(r) && it != owners.end()) r.package = it->second;
      apply_packages(s.processes, owners);
      timed("package ownership");
    }
  }
  if (want_processes && (opts.ownership || opts.hash_all)) {
    hash_executables(root, s.processes, opts.hash_all, s.issues);
    timed("hashing executables");
  }
  if (want_network) {
    s.interfaces = collect_interfaces(root, s.issues);
    s.sockets = collect_sockets(root, s.processes, s.interfaces, s.issues);
    s.tables.insert({"sockets", "interfaces"});
    timed("sockets and interfaces");
  }
  if (!live) s.skipped = {"processes", "sockets", "interfaces"};
  // Unowned executables and setuid programs that are byte-for-byte packaged ones: one search.
  {
    auto md5s = copy_query_md5s(s.processes);
    auto setuid = copy_query_md5s(root, s.file_checks, s.issues);
    md5s.insert(md5s.end(), setuid.begin(), setuid.end());
    if (!md5s.empty() && opts.ownership) {
      auto copies = s.packages->files_with_md5(md5s, s.issues);
      apply_copies(s.processes, copies);
      apply_copies(s.file_checks, copies);
      timed("packaged copies of unowned files");
    }
  }
  s.collect_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return s;
}

}  // namespace vigil::collect
