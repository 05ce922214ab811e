// Loading the administrator's suppression file (shared by the one-shot commands and vigil watch).
#pragma once

#include <string>
#include <vector>

#include "core/expected.hpp"
#include "core/suppress.hpp"

namespace vigil {

inline constexpr std::string_view kDefaultSuppressionFile = "/etc/vigil/suppressions.conf";

// `path` empty: the default file if it exists. Errors name the file and line.
expected<std::vector<Suppression>, std::string> load_suppressions(const std::string& path,
                                                                  bool none);

}  // namespace vigil
