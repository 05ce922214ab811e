// The analyst's machine, never the inspected root: where vigil's bundled rules live, and files
// named on the command line (policies, suppressions, keys).
#pragma once

#include <cstddef>
#include <string>

#include "core/expected.hpp"
#include "core/io_error.hpp"

namespace vigil {

// <prefix>/share/vigil/rules beside an installed binary, else the source tree's rules/.
std::string default_rules_dir();
// A file on the analyst's own machine (never under --root), at most `limit` bytes.
expected<std::string, IoError> read_host_file(const std::string& path, std::size_t limit = std::size_t{16} << 20);

}  // namespace vigil
