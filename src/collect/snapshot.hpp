// A snapshot: every table collected from one root at one moment.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "collect/accounts.hpp"
#include "collect/file_checks.hpp"
#include "collect/logins.hpp"
#include "collect/packages.hpp"
#include "collect/persistence.hpp"
#include "collect/processes.hpp"
#include "collect/rootkit_probes.hpp"
#include "collect/sockets.hpp"
#include "collect/sshd_config.hpp"
#include "core/collect_issue.hpp"
#include "core/expected.hpp"
#include "core/root.hpp"

namespace vigil::collect {

struct HostInfo {
  std::string hostname, os, kernel, root;
  bool live = true;
  std::int64_t boot_time = 0;       // epoch seconds; 0 for an image
  std::int64_t uptime_seconds = 0;  // 0 for an image
  std::int64_t collected_at = 0;    // epoch seconds
};

struct Snapshot {
  HostInfo host;
  std::vector<ProcessRow> processes;
  std::vector<SocketRow> sockets;
  std::vector<InterfaceRow> interfaces;
  Accounts accounts;
  Logins logins;
  std::vector<PersistenceRow> persistence;
  std::vector<SshdSettingRow> sshd_config;
  std::vector<RootkitProbeRow> rootkit_probes;
  std::vector<FileCheckRow> file_checks;
  std::vector<PackageRow> installed_packages;
  std::shared_ptr<PackageDb> packages;
  IssueLog issues;
  std::vector<std::string> skipped;  // live-only tables not collected for an image
  std::vector<std::string> probes_skipped;  // rootkit probes that could not run, with why
  double collect_seconds = 0;
  std::vector<std::pair<std::string, double>> timings;  // seconds per collector, in order
  // The tables this snapshot holds; a table left out was not asked for (not "empty").
  std::set<std::string, std::less<>> tables;

  bool has(std::string_view table) const { return tables.contains(table); }
};

struct CollectOptions {
  bool hash_all = false;
  unsigned threads = 0;
  RootkitProbeOptions rootkit;
  FileCheckOptions files;  // `now` is filled in at collection
  // Tables to collect (and the ones they need); empty for every table. Live-only tables
  // are never collected from an image.
  std::set<std::string, std::less<>> tables;
  // Ask the package database who owns executables and files, hash unowned executables and
  // look for packaged copies of them (the package, sha256 and copy_of columns). A query that
  // reads none of those columns turns it off.
  bool ownership = true;
  // Told the name of each step as it ends (a progress line); on the collecting thread.
  std::function<void(std::string_view)> on_step = {};
};

// Every table name a snapshot can hold, in schema order.
std::vector<std::string> all_table_names();

// Collection options with the known-artefact list loaded from `rules_dir` on the analyst's
// machine (the bundled rules when empty; an explicit directory that cannot be read is an error).
expected<CollectOptions, std::string> base_collect_options(const std::string& rules_dir);

Snapshot collect_snapshot(const Root& root, const CollectOptions& opts);
// Whether the root holds an operating system (/etc/passwd, /etc/os-release or
// /usr/lib/os-release): an empty or wrong directory given as --root would triage as "clean".
bool looks_like_system(const Root& root);
HostInfo collect_host_info(const Root& root);

// The fields of /etc/os-release (or /usr/lib/os-release) that name the release.
struct OsRelease {
  std::string id, version_id, codename, pretty_name;  // debian, 12, bookworm, Debian GNU/Linux 12 (bookworm)
};
OsRelease read_os_release(const Root& root);
OsRelease parse_os_release(std::string_view text);

}  // namespace vigil::collect
