// Rootkit probes. The live ones ask the kernel twice, by listing and by direct request,
// and re-check every difference once so a process or port that came and went mid-probe
// is not reported.
#include "collect/rootkit_probes.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <fmt/format.h>
#include <map>
#include <set>
#include <thread>

#include "collect/net_parse.hpp"
#include "collect/rootkit_compare.hpp"
#include "collect/walk.hpp"
#include "core/text.hpp"

namespace vigil::collect {

namespace {

constexpr std::string_view kCollector = "rootkit";

unsigned worker_count() { return std::clamp(std::thread::hardware_concurrency(), 1u, 8u); }

std::int64_t read_number(const Root& live, std::string_view path) {
  auto text = live.read_pseudo(path);
  return text ? to_number<std::int64_t>(trim(std::string_view(*text).substr(0, text->find('\n')))).value_or(0) : 0;
}

// Every pid the /proc listing shows.
std::set<std::int64_t> listed_pids(const Root& live) {
  std::set<std::int64_t> out;
  if (auto entries = live.list("/proc"))
    for (const auto& e : *entries)
      if (auto pid = to_number<std::int64_t>(e.name)) out.insert(*pid);
  return out;
}

bool answers(std::int64_t pid) {
  if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM) return true;
  return ::getpgid(static_cast<pid_t>(pid)) >= 0;
}

// The thread group (process) a task id belongs to, from /proc/ID/status; 0 if unknown.
std::int64_t thread_group_of(const Root& live, std::int64_t id) {
  auto text = live.read_pseudo("/proc/" + std::to_string(id) + "/status");
  if (!text) return 0;
  std::int64_t tgid = 0;
  for_each_line(*text, [&](std::string_view line, std::size_t) {
    if (line.starts_with("Tgid:")) tgid = to_number<std::int64_t>(trim(line.substr(5))).value_or(0);
  });
  return tgid;
}

void hidden_processes(const Root& live, std::vector<RootkitProbeRow>& rows) {
  auto listed = listed_pids(live);
  std::int64_t limit = pid_probe_limit(read_number(live, "/proc/sys/kernel/ns_last_pid"),
                                       std::max<std::int64_t>(read_number(live, "/proc/sys/kernel/pid_max"), 32768),
                                       listed.empty() ? 0 : *listed.rbegin());
  unsigned n = worker_count();
  std::vector<std::set<std::int64_t>> parts(n);
  {
    std::vector<std::jthread> workers;
    for (unsigned t = 0; t < n; ++t)
      workers.emplace_back([&, t] {
        for (std::int64_t pid = 1 + t; pid <= limit; pid += n)
          if (answers(pid)) parts[t].insert(pid);
      });
  }
  std::set<std::int64_t> answered;
  for (auto& p : parts) answered.merge(p);
  auto candidates = missing_from_listing(answered, listed);
  if (candidates.empty()) return;
  // Thread ids answer kill() too: a thread of a listed process is not hidden.
  std::vector<std::int64_t> unexplained;
  for (auto id : candidates)
    if (auto tgid = thread_group_of(live, id); tgid == 0 || tgid == id || !listed.count(tgid)) unexplained.push_back(id);
  if (unexplained.empty()) return;
  auto relisted = listed_pids(live);  // whatever started meanwhile is listed now
  for (auto pid : unexplained) {
    if (relisted.count(pid) || !answers(pid)) continue;
    auto tgid = thread_group_of(live, pid);
    if (tgid != 0 && tgid != pid && relisted.count(tgid)) continue;
    bool proc_entry = live.stat("/proc/" + std::to_string(pid)).has_value();
    rows.push_back({"hidden-process", std::to_string(pid),
                    fmt::format("answers kill()/getpgid(){} but is missing from the /proc listing",
                                proc_entry ? " and /proc/" + std::to_string(pid) + " opens" : ""),
                    "", ""});
  }
}

// Local ports of every socket of one protocol family in our network namespace.
std::set<std::int64_t> listed_ports(const Root& live, std::string_view proto) {
  std::set<std::int64_t> out;
  for (std::string file : {std::string(proto), std::string(proto) + "6"})
    if (auto text = live.read_pseudo("/proc/net/" + file))
      for (const auto& s : parse_proc_net_inet(*text, file.ends_with('6')).rows) out.insert(s.local_port);
  return out;
}

}  // namespace

bool port_in_use(int family, int type, std::int64_t port) {
  int s = ::socket(family, type | SOCK_CLOEXEC, 0);
  if (s < 0) return false;
  int one = 1;
  ::setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);  // TIME_WAIT is not "in use"
  int rc;
  if (family == AF_INET6) {
    // Dual stack ([::] with IPV6_V6ONLY off, whatever net.ipv6.bindv6only says): the bind
    // conflicts with an IPv4 holder of the port as well as an IPv6 one, so one sweep covers both.
    int zero = 0;
    ::setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_port = htons(static_cast<std::uint16_t>(port));
    a.sin6_addr = in6addr_any;
    rc = ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  } else {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_ANY);
    rc = ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  }
  bool in_use = rc != 0 && errno == EADDRINUSE;
  ::close(s);
  return in_use;
}

namespace {

// Whether this namespace has IPv6 at all (a kernel booted with ipv6.disable=1 has no
// AF_INET6 sockets; then there is nothing to sweep).
bool ipv6_available() {
  int s = ::socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) return false;
  ::close(s);
  return true;
}

void hidden_ports(const Root& live, std::vector<RootkitProbeRow>& rows, std::vector<std::string>& skipped) {
  const std::int64_t first = ::geteuid() == 0 ? 1 : 1024;
  if (first > 1) skipped.push_back("hidden ports below 1024: binding them needs root");
  // One sweep for both families where IPv6 exists (a dual-stack bind conflicts with either);
  // IPv4 alone where it does not.
  const int family = ipv6_available() ? AF_INET6 : AF_INET;
  if (family == AF_INET) skipped.push_back("hidden IPv6 ports: no IPv6 in this network namespace");
  for (auto [proto, type] : {std::pair{std::string("tcp"), SOCK_STREAM}, std::pair{std::string("udp"), SOCK_DGRAM}}) {
    auto listed = listed_ports(live, proto);  // IPv4 and IPv6 sockets
    unsigned n = worker_count();
    std::vector<std::set<std::int64_t>> parts(n);
    {
      std::vector<std::jthread> workers;
      for (unsigned t = 0; t < n; ++t)
        workers.emplace_back([&, t, type = type] {
          for (std::int64_t port = first + t; port <= 65535; port += n)
            if (port_in_use(family, type, port)) parts[t].insert(port);
        });
    }
    std::set<std::int64_t> in_use;
    for (auto& p : parts) in_use.merge(p);
    auto candidates = missing_from_listing(in_use, listed);
    if (candidates.empty()) continue;
    auto relisted = listed_ports(live, proto);
    for (auto port : candidates) {
      if (relisted.count(port) || !port_in_use(family, type, port)) continue;
      // Which family holds it: the IPv4 probe tells them apart.
      bool v4 = port_in_use(AF_INET, type, port);
      rows.push_back({"hidden-port", fmt::format("{}{}/{}", proto, v4 ? "" : "6", port),
                      "bind() says the port is in use, but no socket in /proc/net lists it", "", ""});
    }
  }
}

void hidden_kernel_modules(const Root& live, std::vector<RootkitProbeRow>& rows, IssueLog& log) {
  auto read_sets = [&](std::set<std::string>& sys, std::set<std::string>& proc) {
    auto text = live.read_pseudo("/proc/modules");
    if (!text) {
      if (!text.error().vanished()) log.add(std::string(kCollector), text.error());
      return false;
    }
    proc = parse_proc_modules(*text);
    auto entries = live.list("/sys/module");
    if (!entries) return false;
    for (const auto& e : *entries)
      if (live.lstat("/sys/module/" + e.name + "/initstate")) sys.insert(e.name);  // loadable, not built in
    return true;
  };
  std::set<std::string> sys, proc;
  if (!read_sets(sys, proc)) return;
  auto hidden = hidden_modules(sys, proc);
  if (hidden.empty()) return;
  std::set<std::string> sys2, proc2;  // a module loaded between the two reads is not hidden
  read_sets(sys2, proc2);
  for (const auto& m : hidden)
    if (sys2.count(m) && !proc2.count(m))
      rows.push_back({"hidden-module", m, "present in /sys/module but missing from /proc/modules (lsmod)", "", ""});
}

void known_artifacts(const Root& root, const RootkitProbeOptions& opts, std::vector<RootkitProbeRow>& rows,
                     IssueLog& log) {
  auto parsed = parse_known_artifacts(opts.known_artifacts);
  for (const auto& e : parsed.errors)
    log.add(std::string(kCollector), fmt::format("{}:{}", opts.known_artifacts_name, e.line), e.message);
  std::set<std::string> loaded;
  if (root.live())
    if (auto text = root.read_pseudo("/proc/modules")) loaded = parse_proc_modules(*text);
  for (const auto& a : parsed.rows) {
    if (a.kind == "module") {
      if (loaded.count(a.name) || (root.live() && root.lstat("/sys/module/" + a.name)))
        rows.push_back({"known-artifact", a.name, "kernel module of that name is loaded", a.family, ""});
      continue;
    }
    auto st = root.lstat(a.name);
    if (!st) continue;
    bool is_dir = S_ISDIR(st->st_mode);
    if ((a.kind == "dir") != is_dir) continue;
    rows.push_back({"known-artifact", a.name, is_dir ? "directory exists" : "file exists", a.family, ""});
  }
}

// Filesystems whose directory link count is 2 + subdirectories.
bool counts_subdirectories(long type) {
  constexpr long kExt = 0xEF53, kXfs = 0x58465342, kTmpfs = 0x01021994;
  return type == kExt || type == kXfs || type == kTmpfs;
}

void link_counts(const Root& root, std::vector<RootkitProbeRow>& rows, IssueLog& log) {
  // System directories where rootkits hide their files (chkrootkit's chkdirs list, less the
  // home directories), three levels deep.
  constexpr std::size_t kMaxDirs = 5000;
  constexpr int kMaxDepth = 3;
  std::vector<std::pair<std::string, int>> stack;
  for (std::string d : {"/etc", "/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin",
                        "/lib/modules", "/boot", "/tmp", "/var/tmp", "/dev/shm", "/dev", "/var/www"})
    stack.emplace_back(d, 0);
  std::set<std::pair<dev_t, ino_t>> seen;
  std::size_t visited = 0;
  auto check = [&](const std::string& dir, std::uint64_t& nlink, std::uint64_t& subdirs,
                   std::vector<std::string>* children) {
    auto st = root.lstat(dir);
    if (!st || !S_ISDIR(st->st_mode)) return false;
    auto entries = root.list(dir);
    if (!entries) return false;
    nlink = st->st_nlink;
    subdirs = 0;
    for (const auto& e : *entries) {
      std::string child = (dir == "/" ? "" : dir) + "/" + e.name;
      bool is_dir = e.type == DT_DIR;
      if (e.type == DT_UNKNOWN)
        if (auto cst = root.lstat(child)) is_dir = S_ISDIR(cst->st_mode);
      if (!is_dir) continue;
      ++subdirs;
      if (children) children->push_back(child);
    }
    return true;
  };
  while (!stack.empty() && visited < kMaxDirs) {
    auto [dir, depth] = stack.back();
    stack.pop_back();
    auto st = root.lstat(dir);
    if (!st || !S_ISDIR(st->st_mode) || !seen.insert({st->st_dev, st->st_ino}).second) continue;
    auto fd = root.open_file(dir, O_DIRECTORY);
    struct statfs fs{};
    if (!fd || ::fstatfs(fd->get(), &fs) != 0 || !counts_subdirectories(static_cast<long>(fs.f_type))) continue;
    ++visited;
    std::uint64_t nlink = 0, subdirs = 0;
    std::vector<std::string> children;
    if (!check(dir, nlink, subdirs, &children)) continue;
    if (link_count_mismatch(nlink, subdirs)) {
      std::uint64_t nlink2 = 0, subdirs2 = 0;  // the directory may have changed under us
      if (check(dir, nlink2, subdirs2, nullptr) && link_count_mismatch(nlink2, subdirs2))
        rows.push_back({"link-count", dir,
                        fmt::format("link count {} means {} subdirectories, but the listing shows {}", nlink2,
                                    nlink2 - 2, subdirs2),
                        "", ""});
    }
    if (depth < kMaxDepth)
      for (auto& c : children) stack.emplace_back(std::move(c), depth + 1);
  }
  if (visited >= kMaxDirs) log.add(std::string(kCollector), "link-count walk", "stopped after 5000 directories");
}

}  // namespace

// Something mounted over /proc/PID hides that process from every tool that lists /proc.
void proc_mounts(const Root& live, std::vector<RootkitProbeRow>& rows, IssueLog& log) {
  auto text = live.read_pseudo("/proc/self/mountinfo");
  if (!text) {
    if (!text.error().vanished()) log.add(std::string(kCollector), text.error());
    return;
  }
  for (const auto& m : parse_proc_pid_mounts(*text))
    rows.push_back({"proc-mount", std::to_string(m.pid),
                    m.mount_point + " has " + (m.fstype.empty() ? "a file system" : m.fstype) +
                        (m.source.empty() ? "" : " (" + m.source + ")") + " mounted over it",
                    "", ""});
}

// Kernel module files: every out-of-tree one (extra/, updates/), and any file named like a
// known rootkit module anywhere under /lib/modules - on disk, loaded or not.
void module_files(const Root& root, const std::map<std::string, std::string>& rootkit_modules,
                  std::vector<RootkitProbeRow>& rows, IssueLog& log) {
  const bool dkms = root.lstat("/var/lib/dkms").has_value();
  auto versions = root.list("/lib/modules");
  if (!versions) return;
  auto module_name = [](std::string name) {
    auto ko = name.find(".ko");
    if (ko == std::string::npos || ko == 0) return std::string();
    name.resize(ko);
    std::replace(name.begin(), name.end(), '-', '_');
    return name;
  };
  for (const auto& v : *versions) {
    std::string base = "/lib/modules/" + v.name;
    WalkLimits limits;
    limits.max_depth = 10;
    limits.max_entries = 200000;
    walk(root, base, limits, kCollector, log, [&](const WalkEntry& e) {
      if (!S_ISREG(e.st.st_mode)) return true;
      std::string name = module_name(basename_of(e.path));
      if (name.empty()) return true;
      std::string_view rel = std::string_view(e.path).substr(base.size());
      bool out_of_tree = rel.starts_with("/extra/") || rel.starts_with("/updates/");
      if (auto it = rootkit_modules.find(name); it != rootkit_modules.end())
        rows.push_back({"known-artifact", e.path, "kernel module file on disk (" + name + ")", it->second, ""});
      else if (out_of_tree)
        rows.push_back({"module-file", e.path,
                        "out-of-tree kernel module " + name +
                            (dkms && rel.starts_with("/updates/dkms/") ? "; built by DKMS" : ""),
                        "", ""});
      return true;
    });
  }
}

RootkitProbeResult collect_rootkit_probes(const Root& root, const RootkitProbeOptions& opts, IssueLog& log) {
  RootkitProbeResult out;
  if (root.live()) {
    hidden_processes(root, out.rows);
    if (opts.port_probe) hidden_ports(root, out.rows, out.skipped);
    else out.skipped.push_back("hidden ports: --no-port-probe");
    hidden_kernel_modules(root, out.rows, log);
    proc_mounts(root, out.rows, log);
  } else {
    out.skipped.push_back("hidden processes, ports and kernel modules: live only");
  }
  std::map<std::string, std::string> rootkit_modules;  // name -> family
  if (!opts.known_artifacts.empty()) {
    known_artifacts(root, opts, out.rows, log);
    for (const auto& a : parse_known_artifacts(opts.known_artifacts).rows)
      if (a.kind == "module") rootkit_modules.emplace(a.name, a.family);
  } else {
    out.skipped.push_back("known rootkit artefacts: no rules file");
  }
  module_files(root, rootkit_modules, out.rows, log);
  link_counts(root, out.rows, log);
  return out;
}

}  // namespace vigil::collect
