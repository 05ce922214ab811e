// File capabilities through libcap.
#include "collect/file_capabilities.hpp"

#include <sys/capability.h>
#include <sys/xattr.h>

#include <array>

namespace vigil::collect {

std::string file_capabilities(int fd) {
  // Most files have none: one cheap probe before libcap reads and decodes the attribute.
  if (::fgetxattr(fd, "security.capability", nullptr, 0) <= 0) return {};
  std::string out;
  if (cap_t c = cap_get_fd(fd)) {
    if (char* t = cap_to_text(c, nullptr)) {
      out = t;
      cap_free(t);
    }
    cap_free(c);
  }
  return out == "=" ? std::string() : out;
}

bool has_root_equivalent_capability(std::string_view caps) {
  static constexpr std::array<std::string_view, 9> kRootLike = {
      "cap_setuid", "cap_setgid", "cap_sys_admin", "cap_dac_override", "cap_dac_read_search",
      "cap_sys_ptrace", "cap_sys_module", "cap_fowner", "cap_chown"};
  if (caps.starts_with('=') && caps.size() > 1) return true;  // "=ep": every capability
  for (auto c : kRootLike)
    for (auto at = caps.find(c); at != std::string_view::npos; at = caps.find(c, at + 1)) {
      auto end = at + c.size();
      // cap_setuid, not cap_setuidx; followed by ',', '=', '+' or the end
      if (end == caps.size() || caps[end] == ',' || caps[end] == '=' || caps[end] == '+' || caps[end] == '-')
        return true;
    }
  return false;
}

}  // namespace vigil::collect
