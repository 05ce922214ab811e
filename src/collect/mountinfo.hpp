// /proc/PID/mountinfo: one row per mount, octal escapes (\040 for a blank) decoded.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vigil::collect {

struct MountRow {
  std::string mount_point, fstype, source;
};

// Lines too short to be a mount are left out.
std::vector<MountRow> parse_mountinfo(std::string_view text);

}  // namespace vigil::collect
