// Measuring one entry.
#include "fim/measure.hpp"

#include <acl/libacl.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <sys/acl.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "collect/file_capabilities.hpp"
#include "core/hash.hpp"
#include "core/unique_fd.hpp"

namespace vigil::fim {

namespace {

constexpr std::size_t kBufferSize = std::size_t{1} << 20;

struct MdFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

// Extended attributes, ACL and capabilities through an open descriptor.
void read_xattrs(int fd, Attrs attrs, FimEntry& e, bool is_dir) {
  char names[8192];
  ssize_t n = ::flistxattr(fd, names, sizeof names);
  if (n <= 0) return;
  std::vector<std::string_view> list;
  for (ssize_t i = 0; i < n;) {
    std::string_view name(names + i);
    list.push_back(name);
    i += static_cast<ssize_t>(name.size()) + 1;
  }
  std::sort(list.begin(), list.end());
  bool has_acl = false, has_caps = false;
  for (auto name : list) {
    if (name.starts_with("system.posix_acl_")) {
      has_acl = true;
      continue;
    }
    if (name == "security.capability") {
      has_caps = true;
      continue;
    }
    if (!(attrs & kXattrs)) continue;
    unsigned char value[4096];
    ssize_t len = ::fgetxattr(fd, std::string(name).c_str(), value, sizeof value);
    if (!e.xattrs.empty()) e.xattrs += ';';
    e.xattrs += std::string(name) + "=" + (len >= 0 ? hex(value, static_cast<std::size_t>(len)) : "?");
  }
  if (has_acl && (attrs & kAcl)) {
    auto text = [](acl_t a) {
      std::string s;
      if (!a) return s;
      if (char* t = acl_to_any_text(a, nullptr, ',', TEXT_ABBREVIATE)) {
        s = t;
        acl_free(t);
      }
      acl_free(a);
      return s;
    };
    e.acl = text(acl_get_fd(fd));
    if (is_dir) {
      auto def = text(acl_get_file(fmt::format("/proc/self/fd/{}", fd).c_str(), ACL_TYPE_DEFAULT));
      if (!def.empty()) e.acl += " default:" + def;
    }
  }
  if (has_caps && (attrs & kCaps)) e.caps = collect::file_capabilities(fd);
}

int open_at(int dirfd, const char* name, int flags) {
  flags |= O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
  int fd = ::openat(dirfd, name, flags | O_NOATIME);
  if (fd < 0 && errno == EPERM) fd = ::openat(dirfd, name, flags);  // O_NOATIME needs ownership
  return fd;
}

}  // namespace

struct Hasher::State {
  std::unique_ptr<EVP_MD_CTX, MdFree> sha256{EVP_MD_CTX_new()}, sha512{EVP_MD_CTX_new()}, blake2b{EVP_MD_CTX_new()};
  std::unique_ptr<unsigned char[]> buf = std::make_unique_for_overwrite<unsigned char[]>(kBufferSize);
};

Hasher::Hasher() : s_(std::make_unique<State>()) {}
Hasher::~Hasher() = default;

int Hasher::run(int fd, Attrs attrs, FimEntry& e, std::int64_t& bytes) {
  struct Want {
    Attr attr;
    EVP_MD_CTX* ctx;
    const EVP_MD* md;
    std::string* out;
  };
  Want wants[] = {{kSha256, s_->sha256.get(), EVP_sha256(), &e.sha256},
                  {kSha512, s_->sha512.get(), EVP_sha512(), &e.sha512},
                  {kBlake2b, s_->blake2b.get(), EVP_blake2b512(), &e.blake2b}};
  for (auto& w : wants)
    if (attrs & w.attr) EVP_DigestInit_ex(w.ctx, w.md, nullptr);
  for (;;) {
    ssize_t n = ::read(fd, s_->buf.get(), kBufferSize);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    if (n == 0) break;
    bytes += n;
    for (auto& w : wants)
      if (attrs & w.attr) EVP_DigestUpdate(w.ctx, s_->buf.get(), static_cast<std::size_t>(n));
  }
  unsigned char out[EVP_MAX_MD_SIZE];
  for (auto& w : wants)
    if (attrs & w.attr) {
      unsigned len = 0;
      EVP_DigestFinal_ex(w.ctx, out, &len);
      *w.out = hex(out, len);
    }
  return 0;
}

bool reads_content(const struct stat& st, Attrs attrs, const MeasureOptions& o) {
  return S_ISREG(st.st_mode) && (attrs & kHashes) && !(o.max_hash_size > 0 && st.st_size > o.max_hash_size);
}

std::optional<FimEntry> measure_at(int dirfd, const std::string& name, const std::string& path, const struct stat& st,
                                   Attrs attrs, Hasher& hasher, const MeasureOptions& o, MeasureCost& cost) {
  FimEntry e;
  e.path = path;
  e.type = std::string(type_name(st.st_mode));
  e.mode = st.st_mode;
  e.uid = st.st_uid;
  e.gid = st.st_gid;
  e.size = st.st_size;
  e.inode = static_cast<std::int64_t>(st.st_ino);
  e.links = static_cast<std::int64_t>(st.st_nlink);
  // Nanoseconds: two changes within one second must not look like none.
  e.mtime = st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec;
  e.ctime = st.st_ctim.tv_sec * 1'000'000'000LL + st.st_ctim.tv_nsec;
  e.attrs = attrs;
  if (S_ISLNK(st.st_mode) && (attrs & kTarget)) {
    char buf[4096];
    ssize_t n = ::readlinkat(dirfd, name.c_str(), buf, sizeof buf);
    if (n >= 0) e.target.assign(buf, static_cast<std::size_t>(n));
  }
  bool regular = S_ISREG(st.st_mode), dir = S_ISDIR(st.st_mode);
  bool want_hash = reads_content(st, attrs, o);
  bool want_x = (regular || dir) && (attrs & (kXattrs | kAcl | kCaps));
  if (regular && (attrs & kHashes) && !want_hash)
    e.error = fmt::format("not hashed: {} bytes is over the --max-size limit", st.st_size);
  if (!want_hash && !want_x) return e;
  int fd = open_at(dirfd, name.c_str(), dir ? O_DIRECTORY : 0);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;  // vanished between stat and open
    e.error = std::strerror(errno);
    cost.unreadable = true;
    return e;
  }
  UniqueFd guard(fd);
  struct stat now {};
  if (::fstat(fd, &now) != 0 || now.st_ino != st.st_ino || (now.st_mode & S_IFMT) != (st.st_mode & S_IFMT)) {
    e.error = "replaced during the walk";
    return e;
  }
  if (want_x) read_xattrs(fd, attrs, e, dir);
  if (want_hash) {
    if (int err = hasher.run(fd, attrs, e, cost.bytes)) {
      e.error = std::strerror(err);
      cost.unreadable = true;
    } else {
      cost.hashed = true;
    }
  }
  return e;
}

expected<std::optional<FimEntry>, IoError> measure(const Root& root, const std::string& path, Attrs attrs,
                                                   Hasher& hasher, const MeasureOptions& o) {
  auto slash = path.rfind('/');
  std::string parent = slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
  std::string name = path == "/" ? "." : path.substr(slash + 1);
  auto dir = root.open_file(parent, O_DIRECTORY);
  if (!dir) {
    if (dir.error().vanished()) return std::optional<FimEntry>{};
    return make_unexpected(dir.error());
  }
  struct stat st {};
  if (::fstatat(dir->get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::optional<FimEntry>{};
    return make_unexpected(IoError{root.display(path), errno, {}});
  }
  MeasureCost cost;
  return measure_at(dir->get(), name, path, st, attrs, hasher, o, cost);
}

std::string_view type_name(unsigned mode) {
  switch (mode & S_IFMT) {
    case S_IFREG: return "file";
    case S_IFDIR: return "dir";
    case S_IFLNK: return "symlink";
    case S_IFIFO: return "fifo";
    case S_IFSOCK: return "socket";
    case S_IFCHR: return "char";
    case S_IFBLK: return "block";
    default: return "unknown";
  }
}

}  // namespace vigil::fim
