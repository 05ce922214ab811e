// Process collector: /proc/PID/{stat,status,cmdline,exe,cwd,ns,fd}, in parallel.
#include "collect/processes.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <map>
#include <set>
#include <thread>

#include "collect/proc_parse.hpp"
#include "core/hash.hpp"
#include "core/text.hpp"

namespace vigil::collect {

namespace {

constexpr std::string_view kCollector = "processes";

struct Counters {
  std::size_t vanished = 0;
};

std::int64_t boot_time(const Root& live) {
  auto stat = live.read_pseudo("/proc/stat");
  if (!stat) return 0;
  std::int64_t btime = 0;
  for_each_line(*stat, [&](std::string_view line, std::size_t) {
    if (line.starts_with("btime "))
      btime = to_number<std::int64_t>(trim(line.substr(6))).value_or(0);
  });
  return btime;
}

// The script argument of a shell or script interpreter: the first word that is not an
// option; none when the code comes inline (-c, -e, -m, -r) or from standard input.
std::string script_argument(const std::vector<std::string>& argv, std::string_view exe) {
  bool interpreter = false;
  for (std::string_view p : {"python", "perl", "ruby", "php", "node", "bash", "dash", "sh", "zsh", "ksh", "lua"})
    interpreter = interpreter || exe == p || (exe.starts_with(p) && exe.size() > p.size() &&
                                              (std::isdigit(static_cast<unsigned char>(exe[p.size()])) ||
                                               exe[p.size()] == '.'));
  if (!interpreter) return {};
  for (std::size_t i = 1; i < argv.size(); ++i) {
    const auto& a = argv[i];
    if (a == "-c" || a == "-e" || a == "-E" || a == "-m" || a == "-r" || a == "-" || a == "--eval") return {};
    if (a.starts_with('-')) continue;
    // An option's value (python -W ignore) is no script: a script is named by a path or an
    // extension.
    bool script_like = a.find('/') != std::string::npos;
    for (std::string_view ext : {".py", ".pl", ".rb", ".php", ".js", ".mjs", ".sh", ".lua"})
      script_like = script_like || a.ends_with(ext);
    return script_like ? a : std::string();
  }
  return {};
}

// Reads one process; returns false when it vanished or could not be read at all.
bool read_process(const Root& live, std::int64_t pid, std::int64_t btime, long ticks,
                  std::uint64_t own_mnt_ns, ProcessRow& row, IssueLog& log, Counters& c) {
  const std::string dir = "/proc/" + std::to_string(pid);
  auto stat_text = live.read_pseudo(dir + "/stat");
  if (!stat_text) {
    if (stat_text.error().vanished())
      ++c.vanished;
    else
      log.add(std::string(kCollector), stat_text.error());
    return false;
  }
  auto st = parse_proc_stat(*stat_text);
  if (!st) {
    log.add(std::string(kCollector), dir + "/stat", st.error());
    return false;
  }
  row.pid = pid;
  row.ppid = st->ppid;
  row.name = printable(st->comm);
  row.state = std::string(1, st->state);
  row.kernel_thread = (st->flags & kPfKthread) != 0;
  row.cpu_seconds = static_cast<std::int64_t>(st->cpu_ticks / static_cast<std::uint64_t>(ticks));
  row.start_time =
      btime + static_cast<std::int64_t>(st->start_ticks / static_cast<std::uint64_t>(ticks));
  if (auto status = live.read_pseudo(dir + "/status")) {
    if (auto uid = parse_status_uid(*status)) row.uid = *uid;
  } else if (status.error().vanished()) {
    ++c.vanished;
    return false;
  }
  if (row.kernel_thread) return true;
  if (auto cmd = live.read_pseudo(dir + "/cmdline")) {
    row.argv = parse_cmdline(*cmd);
    row.cmdline = join_argv(row.argv);
  }
  if (auto exe = live.readlink(dir + "/exe")) {
    auto link = parse_exe_link(*exe);
    row.executable = printable(link.path);
    row.deleted = link.deleted && !link.memfd;
    row.fileless = link.memfd;
  } else if (!exe.error().vanished() || st->state != 'Z') {
    // A zombie has no exe; anything else unreadable is worth saying.
    if (!exe.error().vanished()) log.add(std::string(kCollector), exe.error());
  }
  if (auto cwd = live.readlink(dir + "/cwd")) row.cwd = printable(*cwd);
  if (auto ns = live.readlink(dir + "/ns/mnt")) row.in_container = parse_ns_link(*ns) != own_mnt_ns;
  auto fds = live.list(dir + "/fd");
  if (!fds) {
    if (!fds.error().vanished()) log.add(std::string(kCollector), fds.error());
    return true;
  }
  std::string fd_path = dir + "/fd/";
  const auto base_len = fd_path.size();
  for (const auto& e : *fds) {
    fd_path.resize(base_len);
    fd_path += e.name;
    auto target = live.readlink(fd_path);
    if (target && e.name == "255" && target->starts_with('/')) {  // bash keeps its script open here
      auto link = parse_exe_link(*target);
      row.script = printable(link.path);
      row.script_deleted = link.deleted;
    }
    if (!target || !target->starts_with("socket:[")) continue;
    row.sockets.push_back({parse_ns_link(*target), to_number<std::int64_t>(e.name).value_or(-1)});
  }
  // Other interpreters name their script as an argument and close it once read.
  if (row.script.empty() && !row.in_container)
    if (auto arg = script_argument(row.argv, basename_of(row.executable)); !arg.empty()) {
      row.script = printable(arg.starts_with('/') || row.cwd.empty() ? arg : row.cwd + "/" + arg);
      auto st = live.lstat(arg.starts_with('/') ? arg : row.cwd + "/" + arg);
      row.script_deleted = !st && st.error().vanished() && !row.cwd.ends_with(" (deleted)");
    }
  // The network namespace matters only for reading the socket tables a process can see.
  if (!row.sockets.empty())
    if (auto ns = live.readlink(dir + "/ns/net")) row.net_ns = parse_ns_link(*ns);
  return true;
}

}  // namespace

std::optional<ProcessRow> read_one_process(const Root& live, std::int64_t pid, IssueLog& log) {
  // Read once: an exec storm calls this thousands of times a second.
  static const long ticks = std::max(1L, ::sysconf(_SC_CLK_TCK));
  static const std::int64_t btime = boot_time(live);
  static const std::uint64_t own_mnt = [&] {
    auto ns = live.readlink("/proc/self/ns/mnt");
    return ns ? parse_ns_link(*ns) : std::uint64_t{0};
  }();
  ProcessRow row;
  Counters c;
  if (!read_process(live, pid, btime, ticks, own_mnt, row, log, c)) return std::nullopt;
  row.self = pid == ::getpid();
  return row;
}

std::vector<ProcessRow> collect_processes(
    const Root& live, const std::unordered_map<std::int64_t, std::string>& users,
    const ProcessOptions& opts, IssueLog& log) {
  std::vector<ProcessRow> rows;
  auto entries = live.list("/proc");
  if (!entries) {
    log.add(std::string(kCollector), entries.error());
    return rows;
  }
  std::vector<std::int64_t> pids;
  for (const auto& e : *entries)
    if (auto pid = to_number<std::int64_t>(e.name)) pids.push_back(*pid);
  std::sort(pids.begin(), pids.end());

  const std::int64_t btime = boot_time(live);
  const long ticks = std::max(1L, ::sysconf(_SC_CLK_TCK));
  std::uint64_t own_mnt = 0;
  if (auto ns = live.readlink("/proc/self/ns/mnt")) own_mnt = parse_ns_link(*ns);

  unsigned threads =
      opts.threads ? opts.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = std::min<unsigned>(threads, std::max<std::size_t>(1, pids.size() / 64 + 1));
  std::vector<std::vector<ProcessRow>> parts(threads);
  std::vector<IssueLog> logs(threads);
  std::vector<Counters> counters(threads);
  {
    std::vector<std::jthread> workers;
    for (unsigned t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        for (std::size_t i = t; i < pids.size(); i += threads) {
          ProcessRow row;
          if (read_process(live, pids[i], btime, ticks, own_mnt, row, logs[t], counters[t]))
            parts[t].push_back(std::move(row));
        }
      });
    }
  }
  std::size_t vanished = 0;
  for (unsigned t = 0; t < threads; ++t) {
    for (auto& r : parts[t]) rows.push_back(std::move(r));
    for (auto& i : logs[t].issues()) log.issues().push_back(std::move(i));
    vanished += counters[t].vanished;
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.pid < b.pid; });
  if (vanished > 0)
    log.add(std::string(kCollector), "/proc",
            fmt::format("{} process(es) exited during the scan and are not listed", vanished));

  const std::int64_t self = ::getpid();
  for (auto& p : rows) {
    if (auto it = users.find(p.uid); it != users.end()) p.user = it->second;
    p.self = p.pid == self;
  }
  return rows;
}

void hash_executables(const Root& live, std::vector<ProcessRow>& rows, bool hash_all,
                      IssueLog& log) {
  // Many processes share one binary: hash each (device, inode) once.
  std::map<std::pair<dev_t, ino_t>, std::pair<std::string, std::string>> done;
  for (auto& p : rows) {
    if (p.kernel_thread || p.executable.empty() || p.self) continue;
    bool unowned = p.package.empty() && !p.in_container;
    if (!hash_all && !unowned) continue;
    std::string exe = "/proc/" + std::to_string(p.pid) + "/exe";
    auto st = live.stat(exe);
    if (!st) continue;
    auto key = std::pair{st->st_dev, st->st_ino};
    if (auto it = done.find(key); it != done.end()) {
      std::tie(p.sha256, p.md5) = it->second;
      continue;
    }
    auto fd = live.open_file(exe);
    if (!fd) {
      if (!fd.error().vanished()) log.add(std::string(kCollector), fd.error());
      continue;
    }
    auto d = hash_fd(fd->get(), exe);
    if (!d) {
      log.add(std::string(kCollector), d.error());
      continue;
    }
    p.sha256 = d->sha256;
    p.md5 = d->md5;
    done[key] = {d->sha256, d->md5};
  }
}

std::vector<std::string> package_query_paths(const std::vector<ProcessRow>& rows) {
  std::set<std::string> paths;
  for (const auto& p : rows)
    if (!p.executable.empty() && !p.fileless && !p.in_container) paths.insert(p.executable);
  return {paths.begin(), paths.end()};
}

void apply_packages(std::vector<ProcessRow>& rows, const PathMap& owners) {
  for (auto& p : rows)
    if (auto it = owners.find(p.executable); it != owners.end() && !p.fileless && !p.in_container)
      p.package = it->second;
}

std::vector<std::string> copy_query_md5s(const std::vector<ProcessRow>& rows) {
  std::set<std::string> md5s;
  for (const auto& p : rows)
    if (p.package.empty() && !p.md5.empty() && !p.in_container) md5s.insert(p.md5);
  return {md5s.begin(), md5s.end()};
}

void apply_copies(std::vector<ProcessRow>& rows, const PathMap& copies) {
  for (auto& p : rows)
    if (auto it = copies.find(p.md5); it != copies.end() && p.package.empty() && !p.md5.empty()) p.copy_of = it->second;
}

}  // namespace vigil::collect
