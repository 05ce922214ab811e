// Reading the files a patch audit needs through libarchive: apt's lists, which apt may keep
// compressed (lz4 on Debian 12, gz, xz, zst), and the zip archives osv.dev publishes.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "core/expected.hpp"
#include "core/io_error.hpp"
#include "core/root.hpp"

namespace vigil::patch {

inline constexpr std::size_t kMaxIndexBytes = std::size_t{1} << 30;  // a Packages file is ~50 MB

// The file inside the root, decompressed when it is compressed (any filter libarchive knows),
// at most `limit` bytes once decompressed (more is an error, not a silent cut).
expected<std::string, IoError> read_decompressed(const Root& root, std::string_view inner,
                                                 std::size_t limit = kMaxIndexBytes);

// Calls f(member name, content) for every regular file of the zip (or tar) archive at `path`
// on the analyst's machine; a member larger than `member_limit` is an error. The error names
// the archive and, once reading started, the member it stopped at.
expected<std::size_t, std::string> for_each_archive_member(
    const std::string& path, std::size_t member_limit,
    const std::function<void(std::string_view name, std::string_view content)>& f);

}  // namespace vigil::patch
