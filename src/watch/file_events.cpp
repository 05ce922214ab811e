#include "watch/file_events.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "watch/kernel_record.hpp"

namespace vigil::watch {

namespace {

bool under(std::string_view path, std::string_view dir) {
  if (dir == "/") return path.starts_with('/');
  return path == dir || (path.starts_with(dir) && path.size() > dir.size() && path[dir.size()] == '/');
}

std::string join_path(const std::string& dir, std::string_view name) {
  if (name.empty() || name == ".") return dir;
  return dir == "/" ? "/" + std::string(name) : dir + "/" + std::string(name);
}

constexpr std::uint64_t kFanMask = FAN_CREATE | FAN_DELETE | FAN_MODIFY | FAN_CLOSE_WRITE | FAN_ATTRIB |
                                   FAN_MOVED_FROM | FAN_MOVED_TO | FAN_DELETE_SELF | FAN_MOVE_SELF | FAN_ONDIR;
constexpr std::uint32_t kInMask = IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB | IN_MOVED_FROM |
                                  IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_DONT_FOLLOW | IN_EXCL_UNLINK;

}  // namespace

expected<void, std::string> parse_fanotify(std::string_view buf, std::vector<FanotifyRecord>& out) {
  constexpr std::size_t kMeta = sizeof(fanotify_event_metadata);
  for (std::size_t at = 0; at < buf.size();) {
    if (buf.size() - at < kMeta) return make_unexpected("a fanotify event header cut short at offset " + std::to_string(at));
    auto m = load_record<fanotify_event_metadata>(buf, at);
    if (m.event_len < kMeta || m.event_len > buf.size() - at || m.metadata_len < kMeta || m.metadata_len > m.event_len)
      return make_unexpected("a fanotify event of " + std::to_string(m.event_len) + " bytes at offset " +
                             std::to_string(at) + " does not fit");
    if (m.vers != FANOTIFY_METADATA_VERSION)
      return make_unexpected("fanotify metadata version " + std::to_string(m.vers));
    FanotifyRecord r;
    r.pid = m.pid;
    r.mask = m.mask;
    r.overflow = (m.mask & FAN_Q_OVERFLOW) != 0;
    std::string_view infos = buf.substr(at + m.metadata_len, m.event_len - m.metadata_len);
    for (std::size_t i = 0; i + sizeof(fanotify_event_info_header) <= infos.size();) {
      auto h = load_record<fanotify_event_info_header>(infos, i);
      if (h.len < sizeof h || h.len > infos.size() - i) return make_unexpected(std::string("a fanotify info record does not fit"));
      std::string_view rec = infos.substr(i, h.len);
      i += h.len;
      if (h.info_type != FAN_EVENT_INFO_TYPE_DFID_NAME && h.info_type != FAN_EVENT_INFO_TYPE_DFID &&
          h.info_type != FAN_EVENT_INFO_TYPE_FID)
        continue;
      constexpr std::size_t kFsid = sizeof(fanotify_event_info_header), kHandle = kFsid + sizeof(__kernel_fsid_t);
      if (rec.size() < kHandle + sizeof(file_handle)) return make_unexpected(std::string("a file id record cut short"));
      r.fsid = load_record<std::uint64_t>(rec, kFsid);
      auto fh = load_record<file_handle>(rec, kHandle);
      std::size_t handle_len = sizeof(file_handle) + fh.handle_bytes;
      if (fh.handle_bytes > 128 || rec.size() - kHandle < handle_len)
        return make_unexpected(std::string("a file handle does not fit its record"));
      r.handle = std::string(rec.substr(kHandle, handle_len));
      if (h.info_type == FAN_EVENT_INFO_TYPE_DFID_NAME) {
        std::string_view name = rec.substr(kHandle + handle_len);
        r.name = std::string(name.substr(0, name.find('\0')));
      } else {
        r.name = ".";
      }
    }
    if (m.fd >= 0) ::close(m.fd);  // never with FID reporting; closed all the same
    at += m.event_len;
    out.push_back(std::move(r));
  }
  return {};
}

expected<void, std::string> FileEvents::open(const std::vector<fim::WatchDir>& dirs, const std::string& mode,
                                             std::string& fallback, std::vector<std::string>& problems) {
  dirs_ = dirs;
  self_ = static_cast<std::int32_t>(::getpid());
  ep_ = UniqueFd(::epoll_create1(EPOLL_CLOEXEC));
  if (ep_.get() < 0) return make_unexpected(std::string("epoll: ") + std::strerror(errno));
  std::vector<std::string> reasons;
  if (mode == "inotify") {
    inotify_dirs_ = dirs;
  } else {
    fan_ = UniqueFd(::fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK | FAN_REPORT_DFID_NAME,
                                    O_RDONLY | O_LARGEFILE | O_CLOEXEC));
    if (fan_.get() < 0) {
      if (mode == "fanotify") return make_unexpected(std::string("fanotify: ") + std::strerror(errno));
      reasons.push_back(std::string("fanotify: ") + std::strerror(errno));
      inotify_dirs_ = dirs;
    } else {
      for (const auto& d : dirs) {
        UniqueFd dir(::open(d.path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (dir.get() < 0) continue;  // not there: nothing of it to watch
        struct statfs sf{};
        if (::fstatfs(dir.get(), &sf) != 0) continue;
        std::uint64_t fsid = 0;
        std::memcpy(&fsid, &sf.f_fsid, sizeof fsid);
        if (marks_.contains(fsid)) continue;
        // One mark per file system; events outside the watched trees are dropped by covered().
        if (::fanotify_mark(fan_.get(), FAN_MARK_ADD | FAN_MARK_FILESYSTEM, kFanMask, dir.get(), nullptr) != 0) {
          std::string why = "fanotify mark on " + d.path + ": " + std::strerror(errno);
          if (mode == "fanotify") return make_unexpected(why);
          reasons.push_back(why);
          inotify_dirs_.push_back(d);  // this tree only (a file system without file handles, the mark limit)
          continue;
        }
        marks_.emplace(fsid, std::move(dir));
      }
      if (marks_.empty()) fan_ = UniqueFd();
    }
  }
  if (!inotify_dirs_.empty()) {
    ino_ = UniqueFd(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
    if (ino_.get() < 0) return make_unexpected(std::string("inotify: ") + std::strerror(errno));
    for (const auto& d : inotify_dirs_) add_tree(d.path, d.recursive, d.excluded, nullptr, problems);
  }
  for (const auto& r : reasons) fallback += (fallback.empty() ? "" : "; ") + r;
  if (!fallback.empty()) fallback += " - inotify watches " + std::string(inotify_dirs_.size() == dirs.size() ? "every tree" : "those trees");
  for (int fd : {fan_.get(), ino_.get()}) {
    if (fd < 0) continue;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    ::epoll_ctl(ep_.get(), EPOLL_CTL_ADD, fd, &ev);
  }
  return {};
}

std::string FileEvents::kind() const {
  if (fan_.get() >= 0 && ino_.get() >= 0) return "fanotify+inotify";
  return fan_.get() >= 0 ? "fanotify" : "inotify";
}

void FileEvents::add_tree(const std::string& dir, bool recursive, const std::vector<std::string>& excluded,
                          std::vector<std::string>* found, std::vector<std::string>& problems) {
  for (const auto& x : excluded)
    if (under(dir, x)) return;
  int wd = ::inotify_add_watch(ino_.get(), dir.c_str(), kInMask | IN_ONLYDIR);
  if (wd < 0) {
    if (errno == ENOSPC) problems.push_back(dir + ": inotify's watch limit (fs.inotify.max_user_watches) is reached");
    else if (errno != ENOENT && errno != ENOTDIR) problems.push_back(dir + ": " + std::strerror(errno));
    return;
  }
  wd_[wd] = dir;
  if (!recursive) return;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return;
  std::vector<std::string> subdirs;
  while (auto* e = ::readdir(d)) {
    std::string_view name = e->d_name;
    if (name == "." || name == "..") continue;
    std::string path = join_path(dir, name);
    if (found) found->push_back(path);
    if (e->d_type == DT_DIR) subdirs.push_back(std::move(path));
  }
  ::closedir(d);
  for (const auto& s : subdirs) add_tree(s, true, excluded, found, problems);
}

bool FileEvents::covered(const std::string& path) const {
  for (const auto& d : dirs_) {
    if (!under(path, d.path)) continue;  // a single path's directory too: the policy decides the rest
    bool excluded = false;
    for (const auto& x : d.excluded) excluded = excluded || under(path, x);
    if (!excluded) return true;
  }
  return false;
}

std::string FileEvents::resolve(const FanotifyRecord& r) const {
  auto m = marks_.find(r.fsid);
  if (m == marks_.end() || r.handle.size() < sizeof(file_handle)) return {};
  alignas(file_handle) char buf[sizeof(file_handle) + 128];
  std::memcpy(buf, r.handle.data(), std::min(r.handle.size(), sizeof buf));
  UniqueFd dir(::open_by_handle_at(m->second.get(), reinterpret_cast<file_handle*>(buf), O_PATH | O_CLOEXEC));
  if (dir.get() < 0) return {};  // the directory is gone already
  char link[4096];
  ssize_t n = ::readlink(("/proc/self/fd/" + std::to_string(dir.get())).c_str(), link, sizeof link);
  if (n <= 0) return {};
  std::string path(link, static_cast<std::size_t>(n));
  if (path.ends_with(" (deleted)")) return {};
  return join_path(path, r.name);
}

void FileEvents::read(std::vector<std::string>& paths, bool& overflow) {
  if (fan_.get() >= 0) read_fanotify(paths, overflow);
  if (ino_.get() >= 0) read_inotify(paths, overflow);
}

void FileEvents::read_fanotify(std::vector<std::string>& paths, bool& overflow) {
  alignas(8) char buf[64 * 1024];
  for (;;) {
    ssize_t n = ::read(fan_.get(), buf, sizeof buf);
    if (n <= 0) return;  // EAGAIN: nothing more now
    std::vector<FanotifyRecord> records;
    (void)parse_fanotify(std::string_view(buf, static_cast<std::size_t>(n)), records);  // what parsed still counts
    for (const auto& r : records) {
      if (r.overflow) {
        overflow = true;
        continue;
      }
      if (r.pid == self_) continue;  // the daemon's own state and output files
      auto path = resolve(r);
      if (!path.empty() && covered(path)) paths.push_back(std::move(path));
    }
  }
}

void FileEvents::read_inotify(std::vector<std::string>& paths, bool& overflow) {
  alignas(8) char buf[64 * 1024];
  for (;;) {
    ssize_t n = ::read(ino_.get(), buf, sizeof buf);
    if (n <= 0) return;
    std::string_view bytes(buf, static_cast<std::size_t>(n));
    for (std::size_t at = 0; at + sizeof(inotify_event) <= bytes.size();) {
      auto e = load_record<inotify_event>(bytes, at);
      std::string_view name = bytes.substr(at + sizeof(inotify_event), std::min<std::size_t>(e.len, bytes.size() - at - sizeof(inotify_event)));
      name = name.substr(0, name.find('\0'));
      at += sizeof(inotify_event) + e.len;
      if (e.mask & IN_Q_OVERFLOW) {
        overflow = true;
        continue;
      }
      auto it = wd_.find(e.wd);
      if (it == wd_.end()) continue;
      if (e.mask & IN_IGNORED) {
        wd_.erase(it);
        continue;
      }
      std::string path = join_path(it->second, name);
      if ((e.mask & IN_ISDIR) && (e.mask & (IN_CREATE | IN_MOVED_TO))) {
        // A new directory: watched from now on, and what was made in it before that counts.
        for (const auto& d : inotify_dirs_)
          if (d.recursive && under(path, d.path)) {
            add_tree(path, true, d.excluded, &paths, later_problems_);
            break;
          }
      }
      if (covered(path)) paths.push_back(std::move(path));
    }
  }
}

}  // namespace vigil::watch
