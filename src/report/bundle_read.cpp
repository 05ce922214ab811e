// Unpacking and verifying a bundle with libarchive.
#include "report/bundle_read.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>

#include "core/hash.hpp"
#include "core/text.hpp"
#include "core/unique_fd.hpp"
#include "report/bundle.hpp"

namespace vigil::report {

namespace {

constexpr std::uint64_t kMaxBytes = std::uint64_t{16} << 30;  // unpacked, in all: a bomb stops here
constexpr std::size_t kMaxMembers = 1'000'000;

// A member name vigil collect could have written: relative, no `..`, no empty component.
bool safe_name(std::string_view name) {
  if (name.empty() || name.front() == '/' || name.size() > 4096) return false;
  for (auto part : split(name, '/'))
    if (part.empty() || part == "." || part == "..") return false;
  return name.find('\0') == std::string_view::npos;
}

struct ReadFree {
  void operator()(struct archive* a) const { archive_read_free(a); }
};
struct MdFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

}  // namespace

expected<UnpackedBundle, std::string> unpack_bundle(const std::string& bundle, const std::string& parent) {
  // The bundle against the hash written beside it at collection.
  if (std::filesystem::exists(bundle + ".sha256")) {
    std::ifstream in(bundle + ".sha256");
    std::string recorded;
    in >> recorded;
    auto actual = file_sha256(bundle);
    if (!actual) return make_unexpected(actual.error());
    if (recorded != *actual)
      return make_unexpected(fmt::format("{}: tampered: its SHA-256 is {}, {}.sha256 recorded {} at collection", bundle,
                                         *actual, bundle, recorded));
  }
  std::unique_ptr<struct archive, ReadFree> a(archive_read_new());
  archive_read_support_filter_all(a.get());
  archive_read_support_format_tar(a.get());
  if (archive_read_open_filename(a.get(), bundle.c_str(), 1 << 16) != ARCHIVE_OK)
    return make_unexpected(fmt::format("{}: not a readable bundle (not a tar, or cut short): {}", bundle,
                                       archive_error_string(a.get())));
  std::string tmpl = parent + "/vigil-bundle-XXXXXX";
  if (!::mkdtemp(tmpl.data())) return make_unexpected(fmt::format("{}: {}", parent, std::strerror(errno)));
  UnpackedBundle out;
  out.dir = tmpl;
  auto fail = [&](std::string message) {
    std::error_code ec;
    std::filesystem::remove_all(out.dir, ec);
    return make_unexpected(fmt::format("{}: {}", bundle, message));
  };
  std::map<std::string, std::string> computed;  // member → SHA-256
  std::string manifest;
  std::unique_ptr<EVP_MD_CTX, MdFree> md(EVP_MD_CTX_new());
  auto buf = std::make_unique_for_overwrite<char[]>(1 << 16);
  for (;;) {
    struct archive_entry* e = nullptr;
    int rc = archive_read_next_header(a.get(), &e);
    if (rc == ARCHIVE_EOF) break;
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
      return fail(fmt::format("not a readable bundle (not a tar, or cut short): {}", archive_error_string(a.get())));
    const char* raw = archive_entry_pathname(e);
    std::string name = raw ? raw : "";
    if (!safe_name(name)) return fail(fmt::format("refused member '{}': a path vigil collect never writes", printable(name)));
    auto type = archive_entry_filetype(e);
    if (type == AE_IFDIR) continue;
    if (type != AE_IFREG) return fail(fmt::format("refused member {}: a link or device, not a file", printable(name)));
    if (computed.count(name) || ++out.members > kMaxMembers) return fail(fmt::format("member {} twice, or too many members", printable(name)));
    std::filesystem::path target = std::filesystem::path(out.dir) / name;
    std::error_code ec;
    std::filesystem::create_directories(target.parent_path(), ec);
    UniqueFd fd(::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!fd) return fail(fmt::format("{}: {}", target.string(), std::strerror(errno)));
    EVP_DigestInit_ex(md.get(), EVP_sha256(), nullptr);
    bool is_manifest = name == "MANIFEST.sha256";
    for (;;) {
      la_ssize_t n = archive_read_data(a.get(), buf.get(), 1 << 16);
      if (n == 0) break;
      if (n < 0) return fail(fmt::format("member {} cut short: {}", printable(name), archive_error_string(a.get())));
      out.bytes += static_cast<std::uint64_t>(n);
      if (out.bytes > kMaxBytes) return fail("over 16 GiB unpacked: refused");
      EVP_DigestUpdate(md.get(), buf.get(), static_cast<std::size_t>(n));
      if (is_manifest && manifest.size() < (std::size_t{64} << 20)) manifest.append(buf.get(), static_cast<std::size_t>(n));
      if (::write(fd.get(), buf.get(), static_cast<std::size_t>(n)) != n)
        return fail(fmt::format("{}: {}", target.string(), std::strerror(errno)));
    }
    struct timespec times[2] = {{archive_entry_mtime(e), 0}, {archive_entry_mtime(e), 0}};
    ::futimens(fd.get(), times);  // the file's time as collected (its ctime cannot be put back)
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    EVP_DigestFinal_ex(md.get(), digest, &len);
    if (!is_manifest) computed[name] = hex(digest, len);
  }
  if (manifest.empty()) return fail("no MANIFEST.sha256: not a bundle of vigil collect");
  std::map<std::string, std::string> listed;
  for_each_line(manifest, [&](std::string_view line, std::size_t) {
    if (line.size() > 66 && line.substr(64, 2) == "  ") listed[std::string(line.substr(66))] = std::string(line.substr(0, 64));
  });
  for (const auto& [name, sha] : computed) {
    auto it = listed.find(name);
    if (it == listed.end()) return fail(fmt::format("tampered: member {} is not in the manifest", printable(name)));
    if (it->second != sha)
      return fail(fmt::format("tampered: member {} has SHA-256 {}, the manifest says {}", printable(name), sha, it->second));
  }
  for (const auto& [name, sha] : listed)
    if (!computed.count(name)) return fail(fmt::format("tampered: member {} of the manifest is missing", printable(name)));
  out.members = computed.size();
  return out;
}

}  // namespace vigil::report
