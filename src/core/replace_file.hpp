// Replacing a file so a reader, or a kill -9, never sees half of it: the bytes go to PATH.tmp,
// are synced, and are renamed over PATH; the directory is synced after.
#pragma once

#include <string>
#include <string_view>

#include "core/expected.hpp"

namespace vigil {

// The error says what failed and names the file.
expected<void, std::string> replace_file(const std::string& path, std::string_view bytes, unsigned mode = 0600);

}  // namespace vigil
