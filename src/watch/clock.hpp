// The daemon's one clock for deadlines, debounce and pacing: monotonic milliseconds.
#pragma once

#include <chrono>
#include <cstdint>

namespace vigil::watch {

inline std::int64_t monotonic_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace vigil::watch
