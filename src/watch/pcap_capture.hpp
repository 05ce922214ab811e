// The event-triggered capture: libpcap records the traffic to and from one address (BPF filter
// `host ADDRESS`) on an interface ("any": every one) for a while, into a pcap file that stops
// growing at a size cap. Blocking: run it on a thread of its own; `stop` ends it early.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "core/expected.hpp"

namespace vigil::watch {

struct CaptureResult {
  std::uint64_t packets = 0;
  std::int64_t bytes = 0;  // of the file
  bool capped = false;     // stopped at the size cap
};

expected<CaptureResult, std::string> capture_host(const std::string& interface, const std::string& address,
                                                  std::chrono::milliseconds duration, std::int64_t max_size,
                                                  const std::string& path, const std::atomic<bool>& stop);

}  // namespace vigil::watch
