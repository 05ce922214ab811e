// Writing the bundle with libarchive.
#include "report/bundle.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/hash.hpp"
#include "core/unique_fd.hpp"

namespace vigil::report {

struct BundleWriter::Archive {
  struct archive* a = nullptr;
  ~Archive() {
    if (a) archive_write_free(a);
  }
};

BundleWriter::BundleWriter(BundleWriter&&) noexcept = default;
BundleWriter::~BundleWriter() = default;

expected<BundleWriter, std::string> BundleWriter::create(const std::string& path) {
  BundleWriter w;
  w.path_ = path;
  w.a_ = std::make_unique<Archive>();
  w.a_->a = archive_write_new();
  if (!w.a_->a || archive_write_add_filter_zstd(w.a_->a) != ARCHIVE_OK ||
      archive_write_set_format_pax_restricted(w.a_->a) != ARCHIVE_OK)
    return make_unexpected(fmt::format("{}: libarchive cannot write a zstd tar: {}", path,
                                       w.a_->a ? archive_error_string(w.a_->a) : "out of memory"));
  if (archive_write_open_filename(w.a_->a, path.c_str()) != ARCHIVE_OK)
    return make_unexpected(fmt::format("{}: {}", path, archive_error_string(w.a_->a)));
  return w;
}

expected<void, std::string> BundleWriter::add(const std::string& name, std::string_view bytes, std::int64_t mtime,
                                              unsigned mode) {
  std::unique_ptr<archive_entry, void (*)(archive_entry*)> e(archive_entry_new(), archive_entry_free);
  archive_entry_set_pathname(e.get(), name.c_str());
  archive_entry_set_size(e.get(), static_cast<la_int64_t>(bytes.size()));
  archive_entry_set_filetype(e.get(), AE_IFREG);
  archive_entry_set_perm(e.get(), mode & 0777);
  archive_entry_set_mtime(e.get(), mtime, 0);
  if (archive_write_header(a_->a, e.get()) != ARCHIVE_OK ||
      (!bytes.empty() && archive_write_data(a_->a, bytes.data(), bytes.size()) != static_cast<la_ssize_t>(bytes.size())))
    return make_unexpected(fmt::format("{}: writing {}: {}", path_, name, archive_error_string(a_->a)));
  manifest_.push_back({name, sha256_hex(bytes)});
  return {};
}

expected<void, std::string> BundleWriter::finish() {
  std::string manifest;
  for (const auto& [name, sha] : manifest_) manifest += sha + "  " + name + "\n";
  std::unique_ptr<archive_entry, void (*)(archive_entry*)> e(archive_entry_new(), archive_entry_free);
  archive_entry_set_pathname(e.get(), "MANIFEST.sha256");
  archive_entry_set_size(e.get(), static_cast<la_int64_t>(manifest.size()));
  archive_entry_set_filetype(e.get(), AE_IFREG);
  archive_entry_set_perm(e.get(), 0644);
  archive_entry_set_mtime(e.get(), ::time(nullptr), 0);
  if (archive_write_header(a_->a, e.get()) != ARCHIVE_OK ||
      archive_write_data(a_->a, manifest.data(), manifest.size()) != static_cast<la_ssize_t>(manifest.size()) ||
      archive_write_close(a_->a) != ARCHIVE_OK)
    return make_unexpected(fmt::format("{}: {}", path_, archive_error_string(a_->a)));
  return {};
}

expected<std::string, std::string> file_sha256(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return make_unexpected(fmt::format("{}: {}", path, std::strerror(errno)));
  auto d = hash_fd(fd.get(), path);
  if (!d) return make_unexpected(d.error().message());
  return d->sha256;
}

}  // namespace vigil::report
