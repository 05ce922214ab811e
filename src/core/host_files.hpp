// The analyst's machine, never the inspected root: where vigil's bundled rules live, and files
// named on the command line (policies, suppressions, keys).
#pragma once

#include <string>

#include "core/expected.hpp"
#include "core/io_error.hpp"

namespace vigil {

// <prefix>/share/vigil/rules beside an installed binary, else the source tree's rules/.
std::string default_rules_dir();
// A file on the analyst's own machine (never under --root), at most 16 MiB.
expected<std::string, IoError> read_host_file(const std::string& path);

}  // namespace vigil
