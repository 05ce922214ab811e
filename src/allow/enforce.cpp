// The fanotify loop of vigil allowlist enforce.
#include "allow/enforce.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/fanotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>

#include "allow/exec_judge.hpp"
#include "collect/mountinfo.hpp"
#include "collect/proc_parse.hpp"
#include "core/root.hpp"
#include "core/rule_catalog.hpp"
#include "core/text.hpp"
#include "core/unique_fd.hpp"
#include "detect/paths.hpp"

namespace vigil::allow {

namespace {

using Clock = std::chrono::steady_clock;
using FileId = std::pair<dev_t, ino_t>;
constexpr std::size_t kMaxSamples = 2'000'000;
// Each pins an inode in the kernel; past this many, allowed files are answered from the cache.
constexpr std::size_t kMaxIgnoreMarks = 4096;

// A /proc file read from its start (mountinfo is read again at each change); "" when it cannot be.
std::string read_from_start(int fd, std::string_view shown) {
  ::lseek(fd, 0, SEEK_SET);
  auto text = read_all(fd, shown, std::size_t{16} << 20, false);
  return text ? std::move(*text) : std::string();
}

std::string read_proc(pid_t pid, std::string_view name) {
  std::string path = fmt::format("/proc/{}/{}", pid, name);
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  return fd ? read_from_start(fd.get(), path) : std::string();
}

// Root at a console: real uid 0 and a controlling terminal.
bool root_at_terminal(pid_t pid) {
  auto stat = collect::parse_proc_stat(read_proc(pid, "stat"));
  if (!stat || stat->tty_nr == 0) return false;
  auto uid = collect::parse_status_uid(read_proc(pid, "status"));
  return uid && *uid == 0;
}

std::set<FileId> shell_files(const std::string& shells_file) {
  std::set<FileId> out;
  std::ifstream in(shells_file);
  for (std::string line; std::getline(in, line);) {
    auto t = trim(line);
    if (!t.starts_with('/')) continue;
    struct stat st {};
    if (::stat(std::string(t).c_str(), &st) == 0 && S_ISREG(st.st_mode)) out.insert({st.st_dev, st.st_ino});
  }
  return out;
}

double percentile(std::vector<float>& v, double q) {
  if (v.empty()) return 0;
  auto k = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

class Enforcer {
 public:
  Enforcer(const Allowlist& list, const EnforceOptions& o) : o_(o), judge_(list), listed_(list.entries.size()) {}

  expected<EnforceStats, std::string> run() {
    fan_ = UniqueFd(::fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC | FAN_UNLIMITED_QUEUE,
                                    O_RDONLY | O_LARGEFILE | O_CLOEXEC));
    if (!fan_)
      return make_unexpected(fmt::format("fanotify cannot start: {}{}", std::strerror(errno),
                                         errno == EPERM ? " (needs root: CAP_SYS_ADMIN)"
                                                        : errno == EINVAL ? " (a kernel without fanotify permission events)" : ""));
    struct stat self {};
    if (::stat("/proc/self/exe", &self) == 0) self_ = {self.st_dev, self.st_ino};
    if (o_.console_shells) shells_ = shell_files(o_.shells_file);
    mountinfo_ = UniqueFd(::open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC));
    mark_mounts();
    if (stats_.mounts == 0) return make_unexpected("no mount could be marked for exec permission events");
    note(fmt::format("{}: {} mounts marked ({} refused); {} programs and libraries on the list; ready",
                     o_.deny ? "deny" : "audit", stats_.mounts, stats_.mount_errors, listed_));
    loop();
    fan_ = UniqueFd();  // the kernel allows whatever still waits
    stats_.seconds = std::chrono::duration<double>(Clock::now() - started_).count();
    stats_.p50_us = percentile(samples_, 0.5);
    stats_.p99_us = percentile(samples_, 0.99);
    stats_.first_p50_us = percentile(first_samples_, 0.5);
    stats_.ignore_marks = ignore_marks_;
    return stats_;
  }

 private:
  void note(const std::string& s) {
    if (o_.notice) o_.notice(s);
  }

  void mark_mounts() {
    if (!mountinfo_) return;
    for (const auto& m : collect::parse_mountinfo(read_from_start(mountinfo_.get(), "/proc/self/mountinfo"))) {
      if (unmarked_fstype(m.fstype) || marked_.count(m.mount_point)) continue;
      if (::fanotify_mark(fan_.get(), FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN_EXEC_PERM, AT_FDCWD,
                          m.mount_point.c_str()) == 0) {
        marked_.insert(m.mount_point);
        ++stats_.mounts;
      } else if (errored_.insert(m.mount_point).second) {
        ++stats_.mount_errors;
        note(fmt::format("{} ({}): not marked: {}", m.mount_point, m.fstype, std::strerror(errno)));
      }
    }
  }

  void loop() {
    started_ = Clock::now();
    auto deadline = o_.duration.count() > 0 ? started_ + o_.duration : Clock::time_point::max();
    alignas(struct fanotify_event_metadata) char buf[64 * 1024];
    while (!(o_.stop && o_.stop->load())) {
      auto now = Clock::now();
      if (now >= deadline) {
        note("the --for time is up: enforcement ends");
        return;
      }
      auto wait = std::min<std::chrono::milliseconds>(
          std::chrono::milliseconds(250), std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now) +
                                              std::chrono::milliseconds(1));
      std::array<pollfd, 2> fds{{{fan_.get(), POLLIN, 0}, {mountinfo_.get(), POLLPRI, 0}}};
      int ready = ::poll(fds.data(), mountinfo_ ? 2 : 1, static_cast<int>(wait.count()));
      if (ready <= 0) continue;  // a timeout, or a signal (the stop flag is read above)
      if (fds[1].revents & (POLLPRI | POLLERR)) mark_mounts();
      if (!(fds[0].revents & POLLIN)) continue;
      ssize_t n = ::read(fan_.get(), buf, sizeof buf);
      if (n <= 0) continue;
      auto* md = reinterpret_cast<struct fanotify_event_metadata*>(buf);
      for (; FAN_EVENT_OK(md, n); md = FAN_EVENT_NEXT(md, n)) handle(*md);
    }
  }

  void handle(const struct fanotify_event_metadata& md) {
    if (md.mask & FAN_Q_OVERFLOW) {
      ++stats_.overflows;
      return;
    }
    UniqueFd file(md.fd);
    if (!(md.mask & FAN_OPEN_EXEC_PERM) || md.fd < 0) return;
    auto t0 = Clock::now();
    ++stats_.events;
    Judgement j;
    bool safety = false;
    if (md.pid == self_pid_) {
      safety = true;
    } else {
      j = judge_.judge(md.fd);
      if (!j.allowed) {
        FileId id{j.dev, j.ino};
        safety = id == self_ || (o_.console_shells && shells_.count(id) && root_at_terminal(md.pid));
      }
    }
    bool allow = j.allowed || safety || !o_.deny;
    // An allowed file version is not asked about again: an ignore mark on its inode, which the
    // kernel drops when the file is written (so an edited program is judged afresh).
    if (j.allowed && ignore_marks_ < kMaxIgnoreMarks &&
        ::fanotify_mark(fan_.get(), FAN_MARK_ADD | FAN_MARK_IGNORED_MASK, FAN_OPEN_EXEC_PERM, md.fd, nullptr) == 0)
      ++ignore_marks_;
    auto us = std::chrono::duration<float, std::micro>(Clock::now() - t0).count();
    struct fanotify_response r {md.fd, static_cast<__u32>(allow ? FAN_ALLOW : FAN_DENY)};
    ssize_t w = ::write(fan_.get(), &r, sizeof r);
    if (w != sizeof r) note(fmt::format("the answer for pid {} could not be written: {}", md.pid, std::strerror(errno)));
    if (samples_.size() < kMaxSamples) samples_.push_back(us);
    stats_.max_us = std::max<double>(stats_.max_us, us);
    if (j.cached) ++stats_.cached;
    else if (md.pid != self_pid_) {
      ++stats_.first_decisions;
      if (first_samples_.size() < kMaxSamples) first_samples_.push_back(us);
    }
    if (j.allowed || md.pid == self_pid_) {
      ++stats_.allowed;
      return;
    }
    if (safety) ++stats_.safety_net;
    if (!allow) ++stats_.refused;
    else ++stats_.unlisted_allowed;
    if (!j.cached && o_.report) o_.report(finding(md.pid, j, allow, safety));
  }

  Finding finding(pid_t pid, const Judgement& j, bool allowed, bool safety) {
    auto place = detect::place_of(j.path);
    bool bad = detect::hides_tools(place);
    std::string detail;
    if (j.deleted) detail = "The file was deleted. ";
    else if (j.changed) detail = "It is on the list under this path with other content. ";
    if (bad) detail += fmt::format("It lies in {}. ", detect::place_text(place));
    if (safety) detail += "The safety net let it run (a shell root started from a terminal, or vigil itself).";
    bool refused = !allowed;
    auto f = make_finding(refused ? "allowlist.exec-denied" : "allowlist.exec-unlisted",
                          refused ? (bad ? Severity::high : Severity::medium) : (bad ? Severity::medium : Severity::low),
                          "allowlist", trim(detail));
    f.title = fmt::format("{} {} (not on the allowlist)", refused ? "Refused to run" : "Ran", j.path);
    f.add("file.path", j.path);
    if (!j.sha256.empty()) f.add("file.hash.sha256", j.sha256);
    f.add("process.pid", static_cast<std::int64_t>(pid));
    char exe[4096];
    ssize_t n = ::readlink(fmt::format("/proc/{}/exe", pid).c_str(), exe, sizeof exe - 1);
    if (n > 0) f.add("process.executable", std::string(exe, static_cast<std::size_t>(n)));
    if (auto stat = collect::parse_proc_stat(read_proc(pid, "stat"))) f.add("process.parent.pid", stat->ppid);
    if (auto uid = collect::parse_status_uid(read_proc(pid, "status"))) f.add("user.id", *uid);
    f.add("event.outcome", refused ? "failure" : "success");
    if (j.changed) f.add("vigil.allowlist.changed", std::int64_t{1});
    f.identity = {"file.path", "event.outcome"};
    return f;
  }

  const EnforceOptions& o_;
  ExecJudge judge_;
  std::size_t listed_ = 0, ignore_marks_ = 0;
  UniqueFd fan_, mountinfo_;
  std::set<std::string> marked_, errored_;
  std::set<FileId> shells_;
  FileId self_{0, 0};
  pid_t self_pid_ = ::getpid();
  EnforceStats stats_;
  std::vector<float> samples_, first_samples_;
  Clock::time_point started_;
};

}  // namespace

bool unmarked_fstype(std::string_view fstype) {
  static constexpr std::array<std::string_view, 18> kPseudo = {
      "proc",   "sysfs",      "cgroup",  "cgroup2", "devpts",     "mqueue", "debugfs",   "tracefs", "securityfs",
      "pstore", "bpf",        "configfs", "fusectl", "binfmt_misc", "autofs", "hugetlbfs", "nsfs",    "efivarfs"};
  return std::find(kPseudo.begin(), kPseudo.end(), fstype) != kPseudo.end();
}

expected<EnforceStats, std::string> enforce(const Allowlist& list, const EnforceOptions& o) {
  Enforcer e(list, o);
  return e.run();
}

}  // namespace vigil::allow
