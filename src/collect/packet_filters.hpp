// Classic BPF filters attached to packet sockets, asked of the kernel through sock_diag
// (what `ss -0 -b` shows). A packet socket with a filter is how dhclient waits for DHCP - and
// how BPFDoor waits for its magic packet without a listening port.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "core/collect_issue.hpp"

namespace vigil::collect {

// Socket inode -> instructions in its filter, for the packet sockets that have one. `netns`
// is a network namespace file (/proc/PID/ns/net), or "" for vigil's own. Needs CAP_NET_ADMIN
// to see filters; without it the map is empty and the log says why.
std::unordered_map<std::uint64_t, std::int64_t> packet_socket_filters(const std::string& netns, IssueLog& log);

}  // namespace vigil::collect
