// The incident evidence bundle: a tar compressed with zstd (libarchive), every member listed
// with its SHA-256 in MANIFEST.sha256 (the last member, in sha256sum's format, so
// `sha256sum -c MANIFEST.sha256` verifies an unpacked bundle).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/expected.hpp"

namespace vigil::report {

class BundleWriter {
 public:
  // Creates `path` (a new file; an existing one is replaced).
  static expected<BundleWriter, std::string> create(const std::string& path);
  BundleWriter(BundleWriter&&) noexcept;
  ~BundleWriter();

  // Adds `bytes` as the member `name` (a relative path), with its SHA-256 in the manifest.
  expected<void, std::string> add(const std::string& name, std::string_view bytes, std::int64_t mtime,
                                  unsigned mode = 0644);
  // Writes MANIFEST.sha256 and closes the archive. The members so far, in order.
  expected<void, std::string> finish();
  const std::vector<std::pair<std::string, std::string>>& manifest() const { return manifest_; }  // name, sha256

 private:
  BundleWriter() = default;
  struct Archive;
  std::unique_ptr<Archive> a_;
  std::vector<std::pair<std::string, std::string>> manifest_;
  std::string path_;
};

// SHA-256 (hex) of a file's bytes, streamed.
expected<std::string, std::string> file_sha256(const std::string& path);

}  // namespace vigil::report
