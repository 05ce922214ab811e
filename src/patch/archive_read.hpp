// The zip archives osv.dev publishes, read through libarchive (compressed single files:
// collect/compressed_file.hpp).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "core/expected.hpp"

namespace vigil::patch {

inline constexpr std::size_t kMaxIndexBytes = std::size_t{1} << 30;  // a Packages file is ~50 MB

// Calls f(member name, content) for every regular file of the zip (or tar) archive at `path`
// on the analyst's machine; a member larger than `member_limit` is an error. The error names
// the archive and, once reading started, the member it stopped at.
expected<std::size_t, std::string> for_each_archive_member(
    const std::string& path, std::size_t member_limit,
    const std::function<void(std::string_view name, std::string_view content)>& f);

}  // namespace vigil::patch
