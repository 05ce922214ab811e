// Pure parsers for /proc/net/{tcp,tcp6,udp,udp6,raw,raw6,packet}.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/parse_error.hpp"

namespace vigil::collect {

struct InetSocket {
  std::string local_address, remote_address;
  std::int64_t local_port = 0, remote_port = 0;
  int state = 0;  // TCP state number (10 = LISTEN, 1 = ESTABLISHED, 7 = CLOSE)
  std::int64_t uid = 0;
  std::uint64_t inode = 0;
};

struct PacketSocket {
  std::int64_t type = 0;      // SOCK_RAW 3 / SOCK_DGRAM 2
  std::int64_t protocol = 0;  // ethertype, e.g. 0x0003 ETH_P_ALL
  std::int64_t ifindex = 0;   // 0: all interfaces
  std::int64_t uid = 0;
  std::uint64_t inode = 0;
};

// `ipv6` selects the address width. The header line is skipped.
Parsed<InetSocket> parse_proc_net_inet(std::string_view text, bool ipv6);
Parsed<PacketSocket> parse_proc_net_packet(std::string_view text);

// "0100007F" -> "127.0.0.1"; 32 hex digits -> IPv6 text. Empty when malformed.
std::string decode_hex_address(std::string_view hex, bool ipv6);
std::string_view tcp_state_name(int state);

}  // namespace vigil::collect
