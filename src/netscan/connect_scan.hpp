// A TCP connect scan (no raw sockets, no root): non-blocking connects multiplexed on epoll, a
// global and a per-host limit on connections in flight, a timeout and retries per probe; for
// an open port, what the service says first (or answers to an HTTP HEAD when it says nothing),
// up to a size cap. Optionally a discovery pass first (a connect to 80 and 443: any answer, even
// a refusal, means the host is up), as nmap does without root.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "netscan/targets.hpp"

namespace vigil::netscan {

enum class PortState { open, closed, filtered, unreachable };
std::string_view state_name(PortState s);

struct PortResult {
  std::size_t target = 0;  // index into the targets
  std::uint16_t port = 0;
  PortState state = PortState::filtered;
  std::string banner;      // what the service sent (raw bytes, capped)
  bool answered_head = false;  // the banner is the reply to our HEAD request
  bool udp = false;            // a UDP probe: open = it answered; filtered = no answer (open or filtered)
};

struct ScanOptions {
  std::vector<std::uint16_t> ports;
  std::chrono::milliseconds timeout{1000};        // per connect try
  int retries = 1;                                // more tries after a timeout
  std::size_t max_in_flight = 1024;               // every host together (bounded by the fd limit)
  std::size_t per_host = 256;                     // one host
  bool banners = true;
  std::chrono::milliseconds banner_timeout{2000}; // half waiting for the service, half after a HEAD
  std::size_t banner_bytes = 1024;
  bool discovery = false;                         // skip hosts that answer neither 80 nor 443 (one try each)
  std::vector<std::uint16_t> udp_ports;            // UDP probes (DNS, NTP, SNMP payloads; others empty)
};

struct ScanResult {
  std::vector<PortResult> ports;       // every probe's outcome, sorted by target then port
  std::vector<bool> host_up;           // per target: answered something (or discovery off)
  std::size_t probes = 0, tries = 0;
  std::size_t in_flight_limit = 0;     // the global limit used (after the fd limit)
  double seconds = 0;
};

ScanResult connect_scan(const std::vector<Target>& targets, const ScanOptions& options);

// The UDP probes: a datagram to each port (a DNS query to 53, an NTP client request to 123, an
// SNMP v1 get of sysDescr with community "public" to 161, empty elsewhere) on a connected
// socket, so the ICMP port-unreachable of a closed port comes back as a refusal; resent
// `retries` times to those that stay silent. Appended to `result`.
void udp_scan(const std::vector<Target>& targets, const ScanOptions& options, ScanResult& result);

// The banner as one line of text: control characters escaped, at most `max` characters.
std::string banner_text(std::string_view raw, std::size_t max = 200);

}  // namespace vigil::netscan
