// What vigil scan-ports is told to scan: addresses (IPv4, IPv6 with a scope), networks in CIDR
// form, IPv4 ranges (10.0.0.1-20, 10.0.0.1-10.0.1.5) and host names; and which ports
// (1-1024, 22,80,443, top100, all).
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"

namespace vigil::netscan {

struct Target {
  std::string address;  // numeric, as shown: 192.0.2.1, ::1, fe80::1%eth0
  std::string name;     // the host name it came from, or ""
  sockaddr_storage sa{};
  socklen_t sa_len = 0;
  bool v6() const { return sa.ss_family == AF_INET6; }
  bool loopback() const;
};

inline constexpr std::size_t kMaxTargets = 65536;  // a /16; more is refused, not truncated

// Each spec expanded; names resolved through the system resolver (files, DNS). The error names
// the spec that could not be read or resolved. Duplicates are scanned once.
expected<std::vector<Target>, std::string> expand_targets(const std::vector<std::string>& specs,
                                                          std::size_t max_targets = kMaxTargets);
// One numeric spec (no name lookup): for the parser's fuzz target and the tests.
expected<std::vector<Target>, std::string> expand_numeric(std::string_view spec, std::size_t max_targets = kMaxTargets);

// "1-1024", "22,80,8000-8100", "top100", "all" (1-65535), "-" (all); sorted, unique.
expected<std::vector<std::uint16_t>, std::string> parse_ports(std::string_view spec);

// The 100 TCP ports most often found open (nmap's frequency list, as its --top-ports 100 gives).
const std::vector<std::uint16_t>& top100_ports();

}  // namespace vigil::netscan
