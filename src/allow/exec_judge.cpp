// Judging one file about to run.
#include "allow/exec_judge.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include "core/hash.hpp"

namespace vigil::allow {

namespace {

constexpr std::size_t kMaxCache = 1 << 16;

std::int64_t ns(const struct timespec& t) { return t.tv_sec * 1'000'000'000LL + t.tv_nsec; }

}  // namespace

std::string fd_path(int fd, bool* deleted) {
  char buf[4096];
  ssize_t n = ::readlink(fmt::format("/proc/self/fd/{}", fd).c_str(), buf, sizeof buf - 1);
  std::string path = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
  bool gone = path.ends_with(" (deleted)");
  if (gone) path.resize(path.size() - 10);
  if (deleted) *deleted = gone;
  return path;
}

Judgement ExecJudge::judge(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return {};
  Key key{st.st_dev, st.st_ino, st.st_size, ns(st.st_mtim), ns(st.st_ctim)};
  if (auto it = cache_.find(key); it != cache_.end()) {
    Judgement j = it->second;
    j.cached = true;
    return j;
  }
  Judgement j;
  j.dev = st.st_dev;
  j.ino = st.st_ino;
  j.path = fd_path(fd, &j.deleted);
  const AllowEntry* entry = j.deleted ? nullptr : list_.find(j.path);
  if (entry && entry->size == st.st_size) {
    // hash_fd reads from the current offset: the kernel's fd for an event is fresh (offset 0).
    auto d = hash_fd(fd, j.path);
    if (d) {
      j.sha256 = d->sha256;
      j.allowed = d->sha256 == entry->sha256;
    }
    ::lseek(fd, 0, SEEK_SET);
  }
  j.changed = entry && !j.allowed;
  if (cache_.size() >= kMaxCache) cache_.clear();
  cache_.emplace(key, j);
  return j;
}

}  // namespace vigil::allow
