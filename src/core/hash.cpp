// One-pass SHA-256 + MD5 of a file.
#include "core/hash.hpp"

#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

namespace vigil {

namespace {
struct CtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using Ctx = std::unique_ptr<EVP_MD_CTX, CtxFree>;

}  // namespace

std::string hex(const unsigned char* p, std::size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s(n * 2, '0');
  for (std::size_t i = 0; i < n; ++i) {
    s[2 * i] = kHex[p[i] >> 4];
    s[2 * i + 1] = kHex[p[i] & 15];
  }
  return s;
}

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr);
  return hex(digest, len);
}

expected<FileDigests, IoError> hash_fd(int fd, const std::string& shown_path) {
  Ctx sha(EVP_MD_CTX_new()), md5(EVP_MD_CTX_new());
  if (!sha || !md5 || !EVP_DigestInit_ex(sha.get(), EVP_sha256(), nullptr) ||
      !EVP_DigestInit_ex(md5.get(), EVP_md5(), nullptr))
    return make_unexpected(IoError{shown_path, EINVAL, "OpenSSL digest unavailable"});
  // Not zero-filled: a small file touches only the pages it is read into.
  constexpr std::size_t kBuffer = std::size_t{1} << 20;
  auto buf = std::make_unique_for_overwrite<unsigned char[]>(kBuffer);
  for (;;) {
    ssize_t n = ::read(fd, buf.get(), kBuffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return make_unexpected(IoError{shown_path, errno, {}});
    if (n == 0) break;
    EVP_DigestUpdate(sha.get(), buf.get(), static_cast<std::size_t>(n));
    EVP_DigestUpdate(md5.get(), buf.get(), static_cast<std::size_t>(n));
  }
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  FileDigests d;
  EVP_DigestFinal_ex(sha.get(), out, &len);
  d.sha256 = hex(out, len);
  EVP_DigestFinal_ex(md5.get(), out, &len);
  d.md5 = hex(out, len);
  return d;
}

}  // namespace vigil
