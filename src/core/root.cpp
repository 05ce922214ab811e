// Root: read-only, no-atime access to a live host or a mounted image.
#include "core/root.hpp"
#include "core/dirent.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/xattr.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

namespace vigil {

namespace {

std::string strip_slashes(std::string_view inner) {
  while (!inner.empty() && inner.front() == '/') inner.remove_prefix(1);
  return std::string(inner.empty() ? "." : inner);
}

// Opens with O_NOATIME, falling back without it where the kernel refuses it (EPERM when
// we do not own the file and lack CAP_FOWNER).
int open_noatime(int dirfd, const char* path, int flags, bool in_root) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    int f = flags | O_CLOEXEC | (attempt == 0 && !(flags & O_PATH) ? O_NOATIME : 0);
    int fd;
    if (in_root) {
      open_how how{};
      how.flags = static_cast<unsigned long long>(f);
      how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
      fd = static_cast<int>(::syscall(SYS_openat2, dirfd, path, &how, sizeof how));
    } else {
      fd = ::openat(dirfd, path, f);
    }
    if (fd >= 0 || errno != EPERM || (f & O_NOATIME) == 0) return fd;
  }
  return -1;
}

}  // namespace

Root::Root(std::string path, UniqueFd dir, bool live)
    : path_(std::move(path)), dir_(std::make_shared<UniqueFd>(std::move(dir))), live_(live) {}

expected<Root, IoError> Root::open(const std::string& dir) {
  char resolved[PATH_MAX];
  if (::realpath(dir.c_str(), resolved) == nullptr) return make_unexpected(IoError{dir, errno, {}});
  int fd = ::open(resolved, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return make_unexpected(IoError{dir, errno, {}});
  std::string path = resolved;
  return Root(path, UniqueFd(fd), path == "/");
}

std::string Root::display(std::string_view inner) const {
  if (live_) return std::string(inner);
  return path_ + (inner.starts_with('/') ? "" : "/") + std::string(inner);
}

expected<UniqueFd, IoError> Root::open_inner(std::string_view inner, int flags) const {
  // The live host needs no confinement, and /proc's magic links must work there.
  int fd = live_ ? open_noatime(AT_FDCWD, std::string(inner).c_str(), flags, false)
                 : open_noatime(dir_->get(), strip_slashes(inner).c_str(), flags, true);
  if (fd < 0) return make_unexpected(IoError{display(inner), errno, {}});
  return UniqueFd(fd);
}

expected<std::pair<UniqueFd, std::string>, IoError> Root::open_parent(
    std::string_view inner) const {
  std::string p(inner);
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  auto slash = p.rfind('/');
  std::string parent = slash == std::string::npos || slash == 0 ? "/" : p.substr(0, slash);
  std::string name = slash == std::string::npos ? p : p.substr(slash + 1);
  if (name.empty()) name = ".";
  auto dir = open_inner(parent, O_PATH | O_DIRECTORY);
  if (!dir) return make_unexpected(IoError{display(inner), dir.error().code, {}});
  return std::pair{std::move(*dir), name};
}

expected<UniqueFd, IoError> Root::open_file(std::string_view inner, int extra_flags) const {
  return open_inner(inner, O_RDONLY | O_NONBLOCK | extra_flags);
}

expected<std::string, IoError> read_all(int fd, std::string_view shown_path, std::size_t limit,
                                        bool check_type) {
  std::string out;
  struct stat st {};
  std::size_t chunk = 4096;
  if (check_type && ::fstat(fd, &st) == 0) {
    if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
      return make_unexpected(IoError{std::string(shown_path), EINVAL, "not a regular file"});
    if (st.st_size > 0) chunk = static_cast<std::size_t>(st.st_size) + 1;
  }
  for (;;) {
    std::size_t used = out.size();
    out.resize(used + chunk);
    ssize_t n = ::read(fd, out.data() + used, chunk);
    if (n < 0) {
      if (errno == EINTR) {
        out.resize(used);
        continue;
      }
      return make_unexpected(IoError{std::string(shown_path), errno, {}});
    }
    out.resize(used + static_cast<std::size_t>(n));
    if (n == 0) break;
    if (out.size() > limit)
      return make_unexpected(
          IoError{std::string(shown_path), EFBIG,
                  "larger than the read limit of " + std::to_string(limit) + " bytes"});
    chunk = std::max<std::size_t>(chunk, 4096);
  }
  return out;
}

expected<std::string, IoError> Root::read(std::string_view inner, std::size_t limit) const {
  auto fd = open_inner(inner, O_RDONLY | O_NONBLOCK);
  if (!fd) return make_unexpected(fd.error());
  return read_all(fd->get(), display(inner), limit);
}

void ReadBuffer::reserve(std::size_t n) {
  if (n <= cap_) return;
  std::size_t cap = std::max(n, cap_ * 2);
  auto bigger = std::make_unique_for_overwrite<char[]>(cap);
  if (len_) std::memcpy(bigger.get(), data_.get(), len_);
  data_ = std::move(bigger);
  cap_ = cap;
}

expected<std::string_view, IoError> Root::read_into(std::string_view inner, ReadBuffer& buf,
                                                    std::size_t limit) const {
  auto fd = open_inner(inner, O_RDONLY | O_NONBLOCK);
  if (!fd) return make_unexpected(fd.error());
  struct stat st {};
  if (::fstat(fd->get(), &st) != 0) return make_unexpected(IoError{display(inner), errno, {}});
  if (!S_ISREG(st.st_mode))
    return make_unexpected(IoError{display(inner), EINVAL, "not a regular file"});
  buf.len_ = 0;
  buf.reserve(static_cast<std::size_t>(st.st_size) + 1);
  for (;;) {
    if (buf.len_ == buf.cap_) buf.reserve(buf.cap_ + 4096);
    ssize_t n = ::read(fd->get(), buf.data_.get() + buf.len_, buf.cap_ - buf.len_);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return make_unexpected(IoError{display(inner), errno, {}});
    if (n == 0) return buf.view();
    buf.len_ += static_cast<std::size_t>(n);
    if (buf.len_ > limit)
      return make_unexpected(IoError{display(inner), EFBIG, "larger than the read limit"});
  }
}

expected<std::string, IoError> Root::read_pseudo(std::string_view inner, std::size_t limit) const {
  auto fd = open_inner(inner, O_RDONLY | O_NONBLOCK);
  if (!fd) return make_unexpected(fd.error());
  return read_all(fd->get(), display(inner), limit, false);
}


expected<std::vector<DirEntry>, IoError> Root::list(std::string_view inner) const {
  auto fd = open_inner(inner, O_RDONLY | O_DIRECTORY);
  if (!fd) return make_unexpected(fd.error());
  std::vector<DirEntry> entries;
  if (int err = for_each_dirent(fd->get(), [&](const dirent64& d) { entries.push_back({d.d_name, d.d_type}); }))
    return make_unexpected(IoError{display(inner), err, {}});
  return entries;
}

expected<std::vector<Root::StatEntry>, IoError> Root::list_stat(std::string_view inner, bool capabilities) const {
  auto fd = open_inner(inner, O_RDONLY | O_DIRECTORY);
  if (!fd) return make_unexpected(fd.error());
  std::vector<StatEntry> entries;
  const std::string through = capabilities ? "/proc/self/fd/" + std::to_string(fd->get()) + "/" : std::string();
  int err = for_each_dirent(fd->get(), [&](const dirent64& d) {
    StatEntry e{d.d_name, {}};
    if (::fstatat(fd->get(), d.d_name, &e.st, AT_SYMLINK_NOFOLLOW) != 0) return;
    // A name inside the open directory: no symlink is followed (lgetxattr, a regular file).
    if (capabilities && S_ISREG(e.st.st_mode) && (e.st.st_mode & 0111))
      e.capabilities = ::lgetxattr((through + d.d_name).c_str(), "security.capability", nullptr, 0) > 0;
    entries.push_back(std::move(e));
  });
  if (err) return make_unexpected(IoError{display(inner), err, {}});
  return entries;
}

expected<struct stat, IoError> Root::lstat(std::string_view inner) const {
  struct stat st {};
  if (live_) {
    if (::lstat(std::string(inner).c_str(), &st) != 0)
      return make_unexpected(IoError{std::string(inner), errno, {}});
    return st;
  }
  auto parent = open_parent(inner);
  if (!parent) return make_unexpected(parent.error());
  if (::fstatat(parent->first.get(), parent->second.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
    return make_unexpected(IoError{display(inner), errno, {}});
  return st;
}

expected<std::int64_t, IoError> Root::birth_time(std::string_view inner) const {
  struct statx stx {};
  auto done = [&](int rc, std::string shown) -> expected<std::int64_t, IoError> {
    if (rc != 0) return make_unexpected(IoError{std::move(shown), errno, {}});
    return (stx.stx_mask & STATX_BTIME) ? static_cast<std::int64_t>(stx.stx_btime.tv_sec) : 0;
  };
  if (live_)
    return done(::statx(AT_FDCWD, std::string(inner).c_str(), AT_SYMLINK_NOFOLLOW, STATX_BTIME, &stx),
                std::string(inner));
  auto parent = open_parent(inner);
  if (!parent) return make_unexpected(parent.error());
  return done(::statx(parent->first.get(), parent->second.c_str(), AT_SYMLINK_NOFOLLOW, STATX_BTIME, &stx),
              display(inner));
}

expected<struct stat, IoError> Root::stat(std::string_view inner) const {
  struct stat st {};
  auto fd = open_inner(inner, O_PATH);
  if (!fd) return make_unexpected(fd.error());
  if (::fstat(fd->get(), &st) != 0) return make_unexpected(IoError{display(inner), errno, {}});
  return st;
}

expected<std::string, IoError> Root::readlink(std::string_view inner) const {
  char buf[PATH_MAX + 1];
  ssize_t n;
  if (live_) {
    n = ::readlink(std::string(inner).c_str(), buf, PATH_MAX);
  } else {
    auto parent = open_parent(inner);
    if (!parent) return make_unexpected(parent.error());
    n = ::readlinkat(parent->first.get(), parent->second.c_str(), buf, PATH_MAX);
  }
  if (n < 0) return make_unexpected(IoError{display(inner), errno, {}});
  return std::string(buf, static_cast<std::size_t>(n));
}

}  // namespace vigil
