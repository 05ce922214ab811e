// The expected open ports of each host, for vigil scan-ports --baseline: the "openports.txt,
// compare later" practice from the network side. A text file meant to be edited:
//   # comment
//   192.0.2.10 22/tcp      # sshd
//   192.0.2.10 443/tcp
//   ::1 631/tcp
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/expected.hpp"
#include "netscan/connect_scan.hpp"

namespace vigil::netscan {

struct Baseline {
  std::set<std::pair<std::string, std::uint16_t>> open;  // (numeric address as scanned, port)
  std::set<std::string> hosts;                           // every host it speaks for
};

// The error names the line: "FILE:3: '22/udp': only tcp ports".
expected<Baseline, std::string> parse_baseline(std::string_view text, std::string_view name);

// The file --save-baseline writes: the open ports of this scan, each with its banner as a comment.
std::string baseline_text(const std::vector<Target>& targets, const ScanResult& scan, std::string_view when);

}  // namespace vigil::netscan
