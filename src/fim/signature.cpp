// HMAC-SHA-256 and Ed25519 through OpenSSL.
#include "fim/signature.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "core/hash.hpp"
#include "core/outside_root.hpp"
#include "core/text.hpp"

namespace vigil::fim {

namespace {

std::optional<std::string> unhex(std::string_view h) {
  if (h.size() % 2) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < h.size(); i += 2) {
    auto v = to_number<unsigned>(h.substr(i, 2), 16);
    if (!v) return std::nullopt;
    out += static_cast<char>(*v);
  }
  return out;
}

expected<std::string, std::string> create_secret(const std::string& path) {
  std::error_code ec;
  auto dir = std::filesystem::path(path).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  unsigned char raw[32];
  if (RAND_bytes(raw, sizeof raw) != 1) return make_unexpected(std::string("no random bytes from OpenSSL"));
  std::string text = hex(raw, sizeof raw) + "\n";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return make_unexpected(path + ": " + std::strerror(errno));
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!ok) return make_unexpected(path + ": could not write the key");
  return text;
}

}  // namespace

expected<SigningKey, std::string> SigningKey::load_or_create(const std::string& path, const Root& inspected) {
  if (auto outside = refuse_inside_root(inspected, path, "--key"); !outside) return make_unexpected(outside.error());
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 && errno == ENOENT) {
    auto made = create_secret(path);
    if (!made) return make_unexpected(made.error());
  }
  return load(path);
}

expected<SigningKey, std::string> SigningKey::load(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return make_unexpected(path + ": " + std::strerror(errno) + " (the key the baseline was signed with)");
  if (!S_ISREG(st.st_mode)) return make_unexpected(path + ": not a key file (a directory or a device); give --key FILE");
  if (st.st_size > 65536) return make_unexpected(path + ": too large for a key file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_unexpected(path + ": " + std::strerror(errno));
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  SigningKey k;
  auto exposed = [&] {
    if (st.st_mode & 077)
      k.warning_ = fmt::format("{} can be read by other users (mode {:04o}): anyone who reads it can sign a forged "
                               "baseline; chmod 600 {}",
                               path, st.st_mode & 07777, path);
  };
  if (text.find("-----BEGIN") != std::string::npos) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), BIO_free);
    EVP_PKEY* pkey = nullptr;
    if (text.find("PRIVATE KEY-----") != std::string::npos) {
      pkey = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
      k.can_sign_ = true;
      exposed();
    } else {
      pkey = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
    }
    if (!pkey || EVP_PKEY_get_id(pkey) != EVP_PKEY_ED25519) {
      EVP_PKEY_free(pkey);
      return make_unexpected(path + ": a PEM key, but not an Ed25519 one (openssl genpkey -algorithm ed25519)");
    }
    k.pkey_ = std::shared_ptr<void>(pkey, [](void* p) { EVP_PKEY_free(static_cast<EVP_PKEY*>(p)); });
    unsigned char raw[32];
    std::size_t len = sizeof raw;
    EVP_PKEY_get_raw_public_key(pkey, raw, &len);
    k.kind_ = "ed25519";
    k.id_ = sha256_hex(std::string_view(reinterpret_cast<char*>(raw), len)).substr(0, 16);
    return k;
  }
  auto secret = std::string(trim(text));
  if (secret.size() < 32)
    return make_unexpected(path + ": an HMAC key needs at least 32 characters of secret (or give an Ed25519 PEM key)");
  k.kind_ = "hmac-sha256";
  k.secret_ = secret;
  k.can_sign_ = true;
  exposed();
  k.id_ = sha256_hex("vigil-fim-key:" + secret).substr(0, 16);
  return k;
}

expected<std::string, std::string> SigningKey::sign(std::string_view message) const {
  if (!can_sign_) return make_unexpected(std::string("this is a public key: it verifies, it cannot sign"));
  if (kind_ == "hmac-sha256") {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
         reinterpret_cast<const unsigned char*>(message.data()), message.size(), out, &len);
    return hex(out, len);
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  unsigned char sig[64];
  std::size_t len = sizeof sig;
  if (EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, static_cast<EVP_PKEY*>(pkey_.get())) != 1 ||
      EVP_DigestSign(ctx.get(), sig, &len, reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1)
    return make_unexpected(std::string("Ed25519 signing failed"));
  return hex(sig, len);
}

bool SigningKey::verify(std::string_view message, std::string_view signature_hex) const {
  if (kind_ == "hmac-sha256") {
    auto mine = sign(message);
    return mine && mine->size() == signature_hex.size() &&
           CRYPTO_memcmp(mine->data(), signature_hex.data(), mine->size()) == 0;
  }
  auto sig = unhex(signature_hex);
  if (!sig) return false;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  return EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, static_cast<EVP_PKEY*>(pkey_.get())) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig->data()), sig->size(),
                          reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
}

}  // namespace vigil::fim
