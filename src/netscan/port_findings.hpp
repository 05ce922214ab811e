// vigil scan-ports' findings: every open port (info), and against a baseline the ports that
// are new (high: something listens that nobody expected) and gone (info).
#pragma once

#include <map>
#include <optional>
#include <tuple>
#include <string>

#include "core/collect_issue.hpp"
#include "core/finding.hpp"
#include "netscan/baseline.hpp"
#include "netscan/connect_scan.hpp"

namespace vigil::netscan {

// The process listening on a loopback-reachable port of this host (from the live socket table,
// in vigil's own network namespace).
struct Listener {
  std::int64_t pid = -1;
  std::string process, executable;
};
// (port, IPv6?, UDP?) -> listener; sockets bound to a wildcard or loopback address.
using Listeners = std::map<std::tuple<std::uint16_t, bool, bool>, Listener>;
Listeners loopback_listeners(IssueLog& log);

// `tcp_ports`, `udp_ports`: what was scanned (sorted), so a port not asked about is never "gone".
Findings port_findings(const std::vector<Target>& targets, const ScanResult& scan, const Listeners& listeners,
                       const std::optional<Baseline>& baseline, const std::vector<std::uint16_t>& tcp_ports,
                       const std::vector<std::uint16_t>& udp_ports);

// The owner of an open loopback port, or nothing.
const Listener* owner_of(const Target& t, std::uint16_t port, bool udp, const Listeners& listeners);

}  // namespace vigil::netscan
