// sockets and interfaces tables (live only): the Fport/TCPView view of the network.
#pragma once

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "collect/processes.hpp"
#include "core/collect_issue.hpp"
#include "core/root.hpp"
#include "core/table.hpp"

namespace vigil::collect {

struct SocketOwner {
  std::int64_t pid = 0;
  std::int64_t fd = 0;
};

struct SocketRow {
  std::string protocol;  // tcp, udp, raw (each with 6 for IPv6), packet
  std::string state;     // LISTEN, ESTABLISHED, … ; UNCONN for unconnected udp/raw; "" for packet
  std::string local_address;
  std::int64_t local_port = 0;
  std::string remote_address;
  std::int64_t remote_port = 0;
  std::int64_t uid = 0;
  std::int64_t inode = 0;
  std::int64_t pid = -1;  // first owning process; -1 when no process could be found
  std::string process;    // its name
  std::string executable;
  std::int64_t owners = 0;  // how many processes hold it
  std::int64_t net_ns = 0;
  std::int64_t packet_protocol = 0;  // packet sockets: ethertype (3 = every frame)
  std::string interface;             // packet sockets: bound interface, "" for all
  std::int64_t bpf_filter = 0;       // packet sockets: instructions of the attached BPF filter; 0 for none

  std::vector<SocketOwner> holders;  // not a column: every (pid, fd)

  bool listening() const {
    return state == "LISTEN" || (protocol.starts_with("udp") && state == "UNCONN");
  }

  static constexpr std::string_view kTable = "sockets";
  static constexpr std::array<Column, 16> kColumns{{
      {"protocol", "tcp, tcp6, udp, udp6, raw, raw6 or packet"},
      {"state", "LISTEN, ESTABLISHED, … ; UNCONN for unconnected udp and raw"},
      {"local_address", "local address"},
      {"local_port", "local port"},
      {"remote_address", "remote address"},
      {"remote_port", "remote port"},
      {"uid", "owning user id"},
      {"inode", "socket inode"},
      {"pid", "first process holding the socket; -1 when none was found"},
      {"process", "that process's name"},
      {"executable", "that process's executable"},
      {"owners", "number of processes holding the socket"},
      {"net_ns", "network namespace inode"},
      {"packet_protocol", "packet sockets: ethertype (3 = ETH_P_ALL, every frame)"},
      {"interface", "packet sockets: bound interface; empty for all"},
      {"bpf_filter", "packet sockets: instructions in the classic BPF filter attached (ss -0 -b); 0 for none"},
  }};
  auto fields() const {
    return std::tie(protocol, state, local_address, local_port, remote_address, remote_port, uid,
                    inode, pid, process, executable, owners, net_ns, packet_protocol, interface,
                    bpf_filter);
  }
};
static_assert(columns_match<SocketRow>());

struct InterfaceRow {
  std::string name;
  std::int64_t index = 0;
  std::string mac;
  bool up = false;
  bool promiscuous = false;
  bool bridge_port = false;  // enslaved to a bridge, which sets PROMISC by design

  static constexpr std::string_view kTable = "interfaces";
  static constexpr std::array<Column, 6> kColumns{{
      {"name", "interface name"},
      {"index", "interface index"},
      {"mac", "hardware address"},
      {"up", "IFF_UP"},
      {"promiscuous", "IFF_PROMISC: receives every frame on the wire"},
      {"bridge_port", "a port of a bridge (bridges set PROMISC themselves)"},
  }};
  auto fields() const { return std::tie(name, index, mac, up, promiscuous, bridge_port); }
};
static_assert(columns_match<InterfaceRow>());

std::vector<InterfaceRow> collect_interfaces(const Root& live, IssueLog& log);
// Reads the socket tables of every network namespace the processes live in, and maps
// each socket to its holders through the processes' descriptors.
std::vector<SocketRow> collect_sockets(const Root& live, const std::vector<ProcessRow>& processes,
                                       const std::vector<InterfaceRow>& interfaces, IssueLog& log);

}  // namespace vigil::collect
