// The expected open ports of each host, for vigil scan-ports --baseline: the "openports.txt,
// compare later" practice from the network side. A text file meant to be edited:
//   # comment
//   192.0.2.10 22/tcp      # sshd
//   192.0.2.10 443/tcp
//   ::1 631/tcp
//   192.0.2.53 53/udp
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "core/expected.hpp"
#include "netscan/connect_scan.hpp"

namespace vigil::netscan {

struct Baseline {
  std::set<std::tuple<std::string, std::uint16_t, std::string>> open;  // (numeric address, port, tcp or udp)
  std::set<std::string> hosts;                           // every host it speaks for
};

// The error names the line: "FILE:3: '22/sctp': tcp or udp ports".
expected<Baseline, std::string> parse_baseline(std::string_view text, std::string_view name);

// The file --save-baseline writes: the open ports of this scan, each with its banner as a comment.
std::string baseline_text(const std::vector<Target>& targets, const ScanResult& scan, std::string_view when);

}  // namespace vigil::netscan
