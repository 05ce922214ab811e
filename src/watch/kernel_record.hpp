// Reading the kernel's event structures (netlink, fanotify, inotify) out of a byte buffer:
// copied, since a record in a buffer may sit at any alignment. The caller checks the bounds.
#pragma once

#include <cstddef>
#include <cstring>
#include <string_view>

namespace vigil::watch {

template <typename T>
T load_record(std::string_view bytes, std::size_t at) {
  T v{};
  std::memcpy(&v, bytes.data() + at, sizeof v);
  return v;
}

}  // namespace vigil::watch
