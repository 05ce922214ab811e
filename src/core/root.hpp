// The filesystem being inspected: the live host (/) or a mounted image (--root DIR).
// Every read is read-only and O_NOATIME; paths are resolved inside the root, so an
// absolute symlink in an image never escapes to the analyst's own files.
#pragma once

#include <sys/stat.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"
#include "core/io_error.hpp"
#include "core/unique_fd.hpp"

namespace vigil {

struct DirEntry {
  std::string name;
  unsigned char type = 0;  // DT_* from readdir; DT_UNKNOWN when the filesystem does not say
};

// A reusable read buffer: grows, never shrinks, and is never zero-filled.
class ReadBuffer {
 public:
  std::string_view view() const { return {data_.get(), len_}; }

 private:
  friend class Root;
  void reserve(std::size_t n);
  std::unique_ptr<char[]> data_;
  std::size_t cap_ = 0, len_ = 0;
};

inline constexpr std::size_t kDefaultReadLimit = std::size_t{256} << 20;

class Root {
 public:
  // Opens DIR as the root; "/" is the live host.
  static expected<Root, IoError> open(const std::string& dir);

  bool live() const { return live_; }
  const std::string& path() const { return path_; }
  // How a path inside the root is shown to a human: /mnt/img/etc/passwd.
  std::string display(std::string_view inner) const;

  // Whole file, at most `limit` bytes (more is an error, not a silent cut).
  expected<std::string, IoError> read(std::string_view inner,
                                      std::size_t limit = kDefaultReadLimit) const;
  // Like read(), into `buf` (its memory reused across calls: no allocation per file).
  expected<std::string_view, IoError> read_into(std::string_view inner, ReadBuffer& buf,
                                                std::size_t limit = kDefaultReadLimit) const;
  // Kernel pseudo-files (/proc, /sys): no size to trust, so no fstat; `limit` still holds.
  expected<std::string, IoError> read_pseudo(std::string_view inner,
                                             std::size_t limit = 16 << 20) const;
  expected<std::vector<DirEntry>, IoError> list(std::string_view inner) const;
  // The directory's entries with their lstat, each resolved relative to the open directory
  // (one path component, never a symlink): much cheaper than lstat on full paths.
  struct StatEntry {
    std::string name;
    struct stat st;
    bool capabilities = false;  // asked for: an executable file with a security.capability attribute
  };
  // `capabilities`: also ask each executable regular file whether it carries file
  // capabilities (one xattr probe through the open directory, no open of the file).
  expected<std::vector<StatEntry>, IoError> list_stat(std::string_view inner, bool capabilities = false) const;
  expected<struct stat, IoError> lstat(std::string_view inner) const;
  // When the file was created (statx's birth time), epoch seconds; 0 when the file system
  // does not record it. Not following a final symlink.
  expected<std::int64_t, IoError> birth_time(std::string_view inner) const;
  expected<struct stat, IoError> stat(std::string_view inner) const;
  expected<std::string, IoError> readlink(std::string_view inner) const;
  // An fd opened read-only inside the root (for streaming large files).
  expected<UniqueFd, IoError> open_file(std::string_view inner, int extra_flags = 0) const;

 private:
  Root(std::string path, UniqueFd dir, bool live);
  expected<UniqueFd, IoError> open_inner(std::string_view inner, int flags) const;
  // The parent directory (as an O_PATH fd) and last component of `inner`.
  expected<std::pair<UniqueFd, std::string>, IoError> open_parent(std::string_view inner) const;

  std::string path_;
  std::shared_ptr<UniqueFd> dir_;
  bool live_ = false;
};

// Reads everything from fd (files in /proc report size 0, so no fstat trust).
expected<std::string, IoError> read_all(int fd, std::string_view shown_path,
                                        std::size_t limit = kDefaultReadLimit,
                                        bool check_type = true);

}  // namespace vigil
