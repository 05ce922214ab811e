// File capabilities (the security.capability extended attribute), as getcap prints them.
#pragma once

#include <string>
#include <string_view>

namespace vigil::collect {

// "cap_net_raw=ep" for an open file that carries capabilities; "" for one without.
std::string file_capabilities(int fd);

// Capabilities that make a program root in all but name: set any uid or gid, bypass file
// permissions, load kernel modules, trace other processes, administer the system.
bool has_root_equivalent_capability(std::string_view caps);

}  // namespace vigil::collect
