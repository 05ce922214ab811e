// processes table: every process on the live host, read from /proc (live only).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "collect/packages.hpp"
#include "core/collect_issue.hpp"
#include "core/root.hpp"
#include "core/table.hpp"

namespace vigil::collect {

struct SocketFd {
  std::uint64_t inode = 0;
  std::int64_t fd = 0;
};

struct ProcessRow {
  std::int64_t pid = 0;
  std::int64_t ppid = 0;
  std::string name;        // comm: what the process calls itself
  std::string executable;  // /proc/PID/exe target, without " (deleted)"
  bool deleted = false;    // the executable was unlinked after it started
  bool fileless = false;   // runs from a memfd: no file on any disk
  bool kernel_thread = false;
  std::string cmdline;  // argv joined by spaces, control bytes escaped
  std::int64_t uid = -1;
  std::string user;
  std::int64_t start_time = 0;  // seconds since the epoch
  std::string cwd;
  std::string state;
  std::string package;        // owning package of the executable; "" when none or unknown
  bool in_container = false;  // another mount namespace: paths are the container's, not ours
  std::string sha256;         // of the executable; filled for unowned ones, or all with --hash
  std::string copy_of;        // a packaged file with identical content (unowned executables)
  std::int64_t cpu_seconds = 0;  // user + system CPU time used since it started
  std::string script;         // the script a shell or interpreter runs (bash's fd 255, or its argument)
  bool script_deleted = false;  // that script was deleted after the process started

  // Not columns: kept for detectors.
  std::vector<std::string> argv;
  std::vector<SocketFd> sockets;
  std::uint64_t net_ns = 0;
  std::string md5;    // only to match dpkg's own checksums
  bool self = false;  // vigil's own process: known, so never judged

  static constexpr std::string_view kTable = "processes";
  static constexpr std::array<Column, 20> kColumns{{
      {"pid", "process id"},
      {"ppid", "parent process id"},
      {"name", "process name (comm)"},
      {"executable", "path of the executable, from /proc/PID/exe"},
      {"deleted", "the executable was deleted after the process started"},
      {"fileless", "the executable is a memfd (fileless)"},
      {"kernel_thread", "a kernel thread (no executable)"},
      {"cmdline", "command line, arguments joined by spaces"},
      {"uid", "real user id"},
      {"user", "user name of uid"},
      {"start_time", "start time, seconds since the epoch"},
      {"cwd", "current working directory"},
      {"state", "R running, S sleeping, D disk wait, Z zombie, T stopped …"},
      {"package", "package that owns the executable; empty when none"},
      {"in_container", "runs in another mount namespace (a container)"},
      {"sha256", "SHA-256 of the executable (unowned executables, or all with --hash)"},
      {"copy_of", "packaged file whose content is identical to this unowned executable"},
      {"cpu_seconds", "user and system CPU time used since it started, seconds"},
      {"script", "the script a shell or interpreter runs (bash's descriptor 255, or its script argument)"},
      {"script_deleted", "that script was deleted after the process started"},
  }};
  auto fields() const {
    return std::tie(pid, ppid, name, executable, deleted, fileless, kernel_thread, cmdline, uid,
                    user, start_time, cwd, state, package, in_container, sha256, copy_of, cpu_seconds, script,
                    script_deleted);
  }
};
static_assert(columns_match<ProcessRow>());

struct ProcessOptions {
  bool hash_all = false;  // hash every executable, not only unowned ones
  unsigned threads = 0;   // 0: one per core
};

// Reads /proc. `users` maps uid to name. Needs the live root; processes that exit
// mid-scan are dropped and counted, anything unreadable is logged.
std::vector<ProcessRow> collect_processes(
    const Root& live, const std::unordered_map<std::int64_t, std::string>& users,
    const ProcessOptions& opts, IssueLog& log);

// One process, as collect_processes reads it (a process event's enrichment); nullopt when it
// is gone (or unreadable: said in `log`). The user name is left to the caller.
std::optional<ProcessRow> read_one_process(const Root& live, std::int64_t pid, IssueLog& log);

// Enrichment, in this order: the owning package of each executable (the paths to ask
// about, then the answers); SHA-256 (and MD5) of unowned executables, or all with
// hash_all; then, for unowned ones, the packaged file with identical content.
std::vector<std::string> package_query_paths(const std::vector<ProcessRow>& rows);
void apply_packages(std::vector<ProcessRow>& rows, const PathMap& owners);
void hash_executables(const Root& live, std::vector<ProcessRow>& rows, bool hash_all,
                      IssueLog& log);
// MD5s of unowned executables to look for among packaged files, and the answers back.
std::vector<std::string> copy_query_md5s(const std::vector<ProcessRow>& rows);
void apply_copies(std::vector<ProcessRow>& rows, const PathMap& md5_to_packaged_file);

}  // namespace vigil::collect
