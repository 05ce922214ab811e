// File hashing through OpenSSL: SHA-256, and MD5 only to match package-manager checksums.
#pragma once

#include <string>
#include <string_view>

#include "core/expected.hpp"
#include "core/io_error.hpp"

namespace vigil {

// Lower-case hex of n bytes.
std::string hex(const unsigned char* p, std::size_t n);

struct FileDigests {
  std::string sha256;  // lower-case hex
  std::string md5;     // lower-case hex; dpkg's md5sums use it, nothing else should
};

// SHA-256 of bytes in memory, lower-case hex.
std::string sha256_hex(std::string_view bytes);

// Hashes an open file descriptor in one pass with large reads.
expected<FileDigests, IoError> hash_fd(int fd, const std::string& shown_path);

}  // namespace vigil
