// Scanning process memory with YARA rules.
#include "scan/memory_scan.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>
#include <yara.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <set>
#include <thread>

#include "collect/packages.hpp"
#include "core/collect_issue.hpp"
#include "core/root.hpp"
#include "core/text.hpp"
#include "core/unique_fd.hpp"
#include "scan/proc_maps.hpp"
#include "scan/scanner_pool.hpp"

namespace vigil::scan {

namespace {

constexpr std::uint64_t kBlock = 16ull << 20;  // a region is read in blocks of at most this

struct Block {
  std::uint64_t base = 0, size = 0;
};

// The address space libyara walks: the chosen regions, block by block, each read on demand.
struct Space {
  int fd = -1;
  std::vector<Block> blocks;
  std::size_t next = 0;
  YR_MEMORY_BLOCK current{};
  std::vector<std::uint8_t> buf;
  std::uint64_t read_bytes = 0;
};

const std::uint8_t* fetch(YR_MEMORY_BLOCK* b) {
  auto* s = static_cast<Space*>(b->context);
  s->buf.resize(b->size);
  ssize_t n = ::pread(s->fd, s->buf.data(), b->size, static_cast<off_t>(b->base));
  if (n <= 0) return nullptr;  // unmapped meanwhile, or a guard page: libyara passes over it
  if (static_cast<std::size_t>(n) < b->size) std::memset(s->buf.data() + n, 0, b->size - static_cast<std::size_t>(n));
  s->read_bytes += static_cast<std::uint64_t>(n);
  return s->buf.data();
}

YR_MEMORY_BLOCK* step(YR_MEMORY_BLOCK_ITERATOR* it) {
  auto* s = static_cast<Space*>(it->context);
  if (s->next >= s->blocks.size()) return nullptr;
  const Block& b = s->blocks[s->next++];
  s->current.base = b.base;
  s->current.size = b.size;
  s->current.context = s;
  s->current.fetch_data = fetch;
  return &s->current;
}

YR_MEMORY_BLOCK* first(YR_MEMORY_BLOCK_ITERATOR* it) {
  static_cast<Space*>(it->context)->next = 0;
  return step(it);
}

std::vector<pid_t> all_pids(const Root& proc) {
  std::vector<pid_t> out;
  auto entries = proc.list("/proc");
  if (!entries) return out;
  for (const auto& e : *entries)
    if (auto pid = to_number<pid_t>(e.name)) out.push_back(*pid);
  return out;
}

// A /proc file of a process through the live root ("" when it cannot be read: gone, a kernel thread).
std::string read_proc(const Root& proc, pid_t pid, const char* what) {
  auto text = proc.read_pseudo("/proc/" + std::to_string(pid) + "/" + what);
  return text ? std::move(*text) : std::string();
}

std::string exe_of(const Root& proc, pid_t pid) {
  auto target = proc.readlink("/proc/" + std::to_string(pid) + "/exe");
  return target ? std::move(*target) : std::string();
}

struct Target {
  pid_t pid = 0;
  std::vector<MapRegion> regions;
};

}  // namespace

MemoryScanResult scan_processes(const YaraRules& rules, const MemoryScanOptions& o) {
  MemoryScanResult r;
  IssueLog issues;
  auto live = Root::open("/");
  if (!live) {
    r.findings = partial_findings({{"scan", "/", live.error().reason()}}, "");
    return r;
  }
  const Root& proc = *live;
  auto pids = o.pids.empty() ? all_pids(proc) : o.pids;
  const pid_t self = ::getpid();
  std::vector<Target> targets;
  std::set<std::string> mapped_files;
  for (pid_t pid : pids) {
    if (pid == self) continue;
    std::string maps = read_proc(proc, pid, "maps");
    if (maps.empty()) {  // a kernel thread (no memory of its own), or gone
      bool gone = !proc.lstat("/proc/" + std::to_string(pid));
      if (gone) ++r.vanished;
      if (!o.pids.empty())
        issues.add("scan", "/proc/" + std::to_string(pid), gone ? "no such process" : "a kernel thread: no memory to read");
      continue;
    }
    std::size_t bad = 0;
    Target t{pid, parse_maps(maps, &bad)};
    if (bad) issues.add("scan", "/proc/" + std::to_string(pid) + "/maps", std::to_string(bad) + " line(s) not understood");
    for (const auto& m : t.regions)
      if (m.file_backed() && !m.write && !m.deleted()) mapped_files.insert(m.path);
    targets.push_back(std::move(t));
  }
  // Read-only mappings of packaged files are the packages' files: a file scan's business.
  std::unordered_map<std::string, std::string> owned;
  if (!o.all_regions) {
    auto db = collect::open_package_db(proc, issues);
    std::vector<std::string> paths(mapped_files.begin(), mapped_files.end());
    owned = db->owners(paths, issues);
  }
  if (rules.empty()) return r;

  std::atomic<std::uint64_t> processes{0}, regions{0}, bytes{0}, skipped{0}, capped{0}, vanished{0};
  auto scan_one = [&](YR_SCANNER* scanner, MatchCollector& cb, std::size_t i, Findings& found, IssueLog& local) {
    thread_local Space space;
    const Target& t = targets[i];
    std::string where = "/proc/" + std::to_string(t.pid) + "/mem";
    UniqueFd fd(::open(where.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
      if (errno == ENOENT || errno == ESRCH) ++vanished;
      else local.add("scan", where, std::strerror(errno));
      return;
    }
    space.fd = fd.get();
    space.blocks.clear();
    space.read_bytes = 0;
    std::uint64_t budget = o.max_bytes;
    for (const auto& m : t.regions) {
      if (!m.read || m.path == "[vvar]" || m.path == "[vsyscall]") continue;
      if (m.file_backed() && !m.write && !m.deleted() && owned.count(m.path)) {
        ++skipped;
        continue;
      }
      ++regions;
      for (std::uint64_t at = m.start; at < m.end; at += kBlock) {
        std::uint64_t size = std::min(kBlock, m.end - at);
        if (size > budget) {
          ++capped;
          budget = 0;
          break;
        }
        budget -= size;
        space.blocks.push_back({at, size});
      }
      if (!budget) break;
    }
    YR_MEMORY_BLOCK_ITERATOR it{};
    it.context = &space;
    it.first = first;
    it.next = step;
    int rc = yr_scanner_scan_mem_blocks(scanner, &it);
    if (rc == ERROR_SCAN_TIMEOUT)
      local.add("scan", where, "the YARA scan did not finish within " + std::to_string(o.timeout) + " s");
    if (space.read_bytes == 0 && cb.matches.empty()) {
      ++vanished;  // nothing could be read: it exited meanwhile
      return;
    }
    ++processes;
    bytes += space.read_bytes;
    if (cb.matches.empty()) return;
    std::string exe = exe_of(proc, t.pid);
    std::string comm = read_proc(proc, t.pid, "comm");
    while (!comm.empty() && (comm.back() == '\n' || comm.back() == ' ')) comm.pop_back();
    std::string cmdline = read_proc(proc, t.pid, "cmdline");
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    for (const auto& m : cb.matches) {
      auto f = yara_finding(m);
      f.add("process.pid", static_cast<std::int64_t>(t.pid));
      if (!exe.empty()) f.add("process.executable", printable(exe));
      if (!comm.empty()) f.add("process.name", printable(comm));
      if (!cmdline.empty()) f.add("process.command_line", printable(std::string(trim(cmdline)).substr(0, 500)));
      if (!m.strings.empty())
        for (const auto& region : t.regions)
          if (m.strings[0].second >= region.start && m.strings[0].second < region.end) {
            f.add("vigil.memory.region",
                  fmt::format("{:x}-{:x} {}{}{} {}", region.start, region.end, region.read ? 'r' : '-',
                              region.write ? 'w' : '-', region.exec ? 'x' : '-',
                              region.path.empty() ? "(anonymous)" : printable(region.path)));
            break;
          }
      f.why += " In the memory of the running process, not (only) in its file.";
      f.identity = {"vigil.yara.rule", "process.executable", "process.pid"};
      found.push_back(std::move(f));
    }
  };
  parallel_scan(rules, targets.size(), o.jobs, o.timeout, scan_one, r.findings, issues);
  r.processes = processes;
  r.regions = regions;
  r.bytes = bytes;
  r.skipped_package_regions = skipped;
  r.capped = capped;
  r.vanished += vanished;
  sort_findings(r.findings);
  for (auto& f : partial_findings(issues.issues(), "")) r.findings.push_back(std::move(f));
  return r;
}

}  // namespace vigil::scan
