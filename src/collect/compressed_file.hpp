// A file inside the root, decompressed when it is compressed — whatever the filter (gzip, lz4,
// xz, zstd, bzip2: libarchive recognises it by its content), as is when it is not: apt's lists,
// logrotate's wtmp.1 and btmp.2.gz.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/expected.hpp"
#include "core/io_error.hpp"
#include "core/root.hpp"

namespace vigil::collect {

// At most `limit` bytes once decompressed (more is an error, not a silent cut); a damaged
// stream is an error naming the file.
expected<std::string, IoError> read_decompressed(const Root& root, std::string_view inner, std::size_t limit);

}  // namespace vigil::collect
