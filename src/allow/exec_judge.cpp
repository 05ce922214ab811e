// Judging one file about to run.
#include "allow/exec_judge.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>

#include "collect/proc_parse.hpp"
#include "core/hash.hpp"

namespace vigil::allow {

namespace {

constexpr std::size_t kMaxCache = 1 << 16;
constexpr std::size_t kBuffer = std::size_t{1} << 20;

std::int64_t ns(const struct timespec& t) { return t.tv_sec * 1'000'000'000LL + t.tv_nsec; }

}  // namespace

ExecJudge::ExecJudge(const Allowlist& list)
    : list_(list), buf_(std::make_unique_for_overwrite<unsigned char[]>(kBuffer)), ctx_(EVP_MD_CTX_new()) {}

ExecJudge::~ExecJudge() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

std::string ExecJudge::sha256(int fd) {
  auto* ctx = static_cast<EVP_MD_CTX*>(ctx_);
  if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr)) return {};
  for (off_t at = 0;;) {
    ssize_t n = ::pread(fd, buf_.get(), kBuffer, at);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return {};
    if (n == 0) break;
    EVP_DigestUpdate(ctx, buf_.get(), static_cast<std::size_t>(n));
    at += n;
  }
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_DigestFinal_ex(ctx, out, &len);
  return hex(out, len);
}

std::string fd_path(int fd, bool* deleted) {
  char buf[4096];
  ssize_t n = ::readlink(fmt::format("/proc/self/fd/{}", fd).c_str(), buf, sizeof buf - 1);
  auto link = collect::parse_exe_link(n > 0 ? std::string_view(buf, static_cast<std::size_t>(n)) : std::string_view());
  if (deleted) *deleted = link.deleted;
  return std::move(link.path);
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
    j.sha256 = sha256(fd);
    j.allowed = !j.sha256.empty() && j.sha256 == entry->sha256;
  }
  j.changed = entry && !j.allowed;
  if (cache_.size() >= kMaxCache) cache_.clear();
  cache_.emplace(key, j);
  return j;
}

}  // namespace vigil::allow
