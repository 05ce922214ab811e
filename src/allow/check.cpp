// Comparing a host (files and live processes) with its allowlist.
#include "allow/check.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <set>
#include <unordered_map>

#include "allow/file_digests.hpp"
#include "collect/proc_parse.hpp"
#include "collect/walk.hpp"
#include "core/resolve_path.hpp"
#include "core/rule_catalog.hpp"
#include "core/text.hpp"
#include "core/unique_fd.hpp"
#include "detect/paths.hpp"

namespace vigil::allow {

namespace {

constexpr std::string_view kSource = "allowlist";

bool pseudo_dir(std::string_view path) {
  for (std::string_view p : {"/proc", "/sys", "/dev"})
    if (path == p) return true;
  return false;
}

// Worse in a temporary or hidden directory (not a home's own dot-directory).
bool suspicious_place(std::string_view path) { return detect::hides_tools(detect::place_of(path)); }

Finding unlisted_file(const std::string& path, const struct stat& st) {
  bool bad = suspicious_place(path);
  auto f = make_finding("allowlist.file-unlisted", bad ? Severity::medium : Severity::low, kSource,
                        bad ? fmt::format("It lies in {}.", detect::place_text(detect::place_of(path))) : "");
  f.title = "Executable file not on the allowlist: " + path;
  f.add("file.path", path);
  f.add("file.size", static_cast<std::int64_t>(st.st_size));
  f.add("file.uid", static_cast<std::int64_t>(st.st_uid));
  f.add("file.mode", mode_text(st.st_mode));
  return f;
}

// path -> the checksum its package now records, for the changed paths only.
std::unordered_map<std::string, std::string> package_md5s(const Root& root, const collect::PackageDb& db,
                                                          const std::set<std::string>& paths, IssueLog& log) {
  std::unordered_map<std::string, std::string> out;
  if (paths.empty()) return out;
  DirectoryResolver resolver(root);
  for (auto& f : db.checksums([](std::string_view) { return true; }, log)) {
    auto real = resolver.resolve(f.path);
    if (real && paths.count(*real)) out[*real] = f.md5;
  }
  return out;
}

struct Changed {
  std::string path, sha256, md5;
  std::int64_t size = 0;
  const AllowEntry* entry = nullptr;
};

Finding changed_file(const Changed& c, bool package_upgrade) {
  auto f = make_finding("allowlist.file-changed", package_upgrade ? Severity::low : Severity::high, kSource,
                        package_upgrade ? "The new content is what its package ships now: an upgrade."
                                        : "No package ships this content.");
  f.title = "Allowlisted file has other content: " + c.path;
  f.add("file.path", c.path);
  f.add("file.size", c.size);
  if (!c.sha256.empty()) f.add("file.hash.sha256", c.sha256);
  f.add("vigil.allowlist.sha256", c.entry->sha256);
  f.add("vigil.allowlist.size", c.entry->size);
  f.add("vigil.allowlist.source", c.entry->source);
  f.identity = {"file.path"};
  return f;
}

void check_files(const Root& root, const Allowlist& list, const CheckOptions& o,
                 IssueLog& log, CheckResult& r, std::vector<Changed>& changed) {
  std::vector<std::string> to_hash;
  std::vector<const AllowEntry*> to_hash_entry;
  std::set<std::string> visited;  // a start inside another start's file system is walked once
  dev_t root_dev = 0;
  if (auto st = root.lstat("/")) root_dev = st->st_dev;
  const auto& starts = o.paths.empty() ? default_check_paths() : o.paths;
  for (const auto& start : starts) {
    auto st = root.lstat(start);
    if (!st) {
      if (!o.paths.empty()) log.add(std::string(kSource), st.error());
      continue;
    }
    if (o.paths.empty() && start != "/" && st->st_dev == root_dev) continue;  // already walked with /
    collect::WalkLimits limits;
    limits.max_entries = 20'000'000;
    limits.same_filesystem = o.paths.empty();
    collect::walk(root, start, limits, kSource, log, [&](const collect::WalkEntry& e) {
      if (o.paths.empty() && e.depth > 0 && pseudo_dir(e.path)) return false;
      if (!is_executable_candidate(e.path, e.st.st_mode)) return true;
      if (!visited.insert(e.path).second) return true;
      ++r.executables;
      const AllowEntry* entry = list.find(e.path);
      if (!entry) {
        ++r.unlisted;
        r.findings.push_back(unlisted_file(e.path, e.st));
      } else if (entry->size != e.st.st_size) {
        changed.push_back({e.path, "", "", e.st.st_size, entry});
      } else {
        to_hash.push_back(e.path);
        to_hash_entry.push_back(entry);
      }
      return true;
    });
  }
  auto digests = hash_files(root, to_hash, o.jobs);
  for (std::size_t i = 0; i < to_hash.size(); ++i) {
    if (!digests[i]) {
      if (!digests[i].error().vanished()) log.add(std::string(kSource), digests[i].error());
      continue;
    }
    r.bytes_hashed += to_hash_entry[i]->size;
    if (digests[i]->sha256 == to_hash_entry[i]->sha256)
      ++r.listed;
    else
      changed.push_back({to_hash[i], digests[i]->sha256, digests[i]->md5, to_hash_entry[i]->size, to_hash_entry[i]});
  }
}

// The live processes: /proc/PID/exe read as the kernel maps it (a replaced file shows its old
// content, a deleted one is still there).
void check_processes(const Root& live, const Allowlist& list, IssueLog& log, CheckResult& r) {
  struct Verdict {
    bool ok = false, changed = false;
    std::string sha256;
  };
  std::map<std::pair<dev_t, ino_t>, Verdict> seen;
  auto entries = live.list("/proc");
  if (!entries) {
    log.add(std::string(kSource), entries.error());
    return;
  }
  pid_t self = getpid();
  for (const auto& e : *entries) {
    auto pid = to_number<pid_t>(e.name);
    if (!pid || *pid == self) continue;
    std::string proc = fmt::format("/proc/{}", *pid);
    auto link = live.readlink(proc + "/exe");
    if (!link || link->empty()) continue;  // a kernel thread, or gone
    auto parsed = collect::parse_exe_link(*link);
    std::string exe = std::move(parsed.path);
    bool deleted = parsed.deleted;
    // The magic link itself: what runs, even when the path now holds another file or none.
    UniqueFd fd(::open((proc + "/exe").c_str(), O_RDONLY | O_CLOEXEC));
    struct stat st {};
    if (!fd || ::fstat(fd.get(), &st) != 0) continue;
    ++r.processes;
    auto key = std::make_pair(st.st_dev, st.st_ino);
    auto it = seen.find(key);
    const AllowEntry* entry = deleted ? nullptr : list.find(exe);
    if (it == seen.end()) {
      Verdict v;
      if (entry && entry->size == st.st_size) {
        auto d = hash_fd(fd.get(), proc + "/exe");
        if (d) {
          v.sha256 = d->sha256;
          v.ok = d->sha256 == entry->sha256;
        }
      }
      v.changed = entry && !v.ok;
      it = seen.emplace(key, v).first;
    }
    if (it->second.ok) continue;
    ++r.processes_unlisted;
    bool strong = deleted || it->second.changed || suspicious_place(exe);
    std::string detail;
    if (deleted) detail = "Its program was deleted after it started.";
    else if (it->second.changed) detail = "Its program is on the list with other content.";
    else if (suspicious_place(exe)) detail = fmt::format("It runs from {}.", detect::place_text(detect::place_of(exe)));
    auto f = make_finding("allowlist.process-unlisted", strong ? Severity::high : Severity::medium, kSource, detail);
    f.title = fmt::format("Running program not on the allowlist: {} (pid {})", exe, *pid);
    f.add("process.pid", static_cast<std::int64_t>(*pid));
    f.add("process.executable", exe);
    if (auto comm = live.read_pseudo(proc + "/comm", 4096); comm && !trim(*comm).empty())
      f.add("process.name", std::string(trim(*comm)));
    if (!it->second.sha256.empty()) f.add("file.hash.sha256", it->second.sha256);
    if (deleted) f.add("vigil.deleted", std::int64_t{1});
    r.findings.push_back(std::move(f));
  }
}

}  // namespace

const std::vector<std::string>& default_check_paths() {
  static const std::vector<std::string> kPaths = {"/",     "/usr", "/opt",    "/home", "/root", "/var",
                                                  "/tmp",  "/var/tmp", "/dev/shm", "/run", "/srv", "/boot"};
  return kPaths;
}

CheckResult check_allowlist(const Root& root, const Allowlist& list, const collect::PackageDb& packages,
                            const CheckOptions& o, IssueLog& log) {
  auto t0 = std::chrono::steady_clock::now();
  CheckResult r;
  std::vector<Changed> changed;
  check_files(root, list, o, log, r, changed);
  if (!changed.empty()) {
    std::set<std::string> paths;
    for (const auto& c : changed) paths.insert(c.path);
    auto now = package_md5s(root, packages, paths, log);
    // A size change was not hashed: hash those now to compare with the package.
    std::vector<std::string> unhashed;
    std::vector<std::size_t> where;
    for (std::size_t i = 0; i < changed.size(); ++i)
      if (changed[i].md5.empty()) {
        unhashed.push_back(changed[i].path);
        where.push_back(i);
      }
    auto digests = hash_files(root, unhashed, o.jobs);
    for (std::size_t i = 0; i < where.size(); ++i)
      if (digests[i]) {
        changed[where[i]].sha256 = digests[i]->sha256;
        changed[where[i]].md5 = digests[i]->md5;
      }
    for (const auto& c : changed) {
      auto m = now.find(c.path);
      r.findings.push_back(changed_file(c, m != now.end() && !c.md5.empty() && m->second == c.md5));
    }
    r.changed = changed.size();
  }
  if (o.processes && root.live()) check_processes(root, list, log, r);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace vigil::allow
