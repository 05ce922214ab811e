#include "netscan/port_findings.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>

#include "collect/processes.hpp"
#include "collect/sockets.hpp"
#include "core/rule_catalog.hpp"

namespace vigil::netscan {

namespace {

constexpr std::string_view kSource = "scan-ports";

bool wildcard_or_loopback(std::string_view a) {
  return a == "0.0.0.0" || a == "::" || a == "::1" || a.starts_with("127.") || a.starts_with("::ffff:127.");
}

std::int64_t own_net_ns() {
  char link[64] = {};
  ssize_t n = ::readlink("/proc/self/ns/net", link, sizeof link - 1);
  if (n <= 0) return 0;
  std::string_view s(link, static_cast<std::size_t>(n));  // net:[4026531840]
  auto open = s.find('['), close = s.find(']');
  if (open == std::string_view::npos || close == std::string_view::npos) return 0;
  return std::stoll(std::string(s.substr(open + 1, close - open - 1)));
}

Finding port_finding(std::string_view rule, Severity severity, const Target& t, std::uint16_t port,
                     const PortResult* result, const Listener* owner, std::string_view detail = {},
                     std::string_view transport = "tcp") {
  auto f = make_finding(rule, severity, kSource, detail);
  std::string where = t.v6() ? fmt::format("[{}]:{}", t.address, port) : fmt::format("{}:{}", t.address, port);
  f.title = fmt::format("{}: {}", f.title, where);
  f.add("destination.ip", t.address);
  f.add("destination.port", static_cast<std::int64_t>(port));
  f.add("network.transport", std::string(result && result->udp ? "udp" : transport));
  if (!t.name.empty()) f.add("destination.domain", t.name);
  if (result && !result->banner.empty())
    f.add(result->answered_head ? "vigil.http_response" : result->udp ? "vigil.udp_response" : "vigil.banner",
          banner_text(result->banner, result->udp ? 80 : 200));
  if (owner) {
    if (owner->pid > 0) f.add("process.pid", owner->pid);
    if (!owner->process.empty()) f.add("process.name", owner->process);
    if (!owner->executable.empty()) f.add("process.executable", owner->executable);
  }
  f.identity = {"destination.ip", "destination.port", "network.transport"};
  return f;
}

}  // namespace

Listeners loopback_listeners(IssueLog& log) {
  Listeners out;
  auto live = Root::open("/");
  if (!live) return out;
  collect::ProcessOptions po;
  auto processes = collect::collect_processes(*live, {}, po, log);
  auto interfaces = collect::collect_interfaces(*live, log);
  auto sockets = collect::collect_sockets(*live, processes, interfaces, log);
  const auto ns = own_net_ns();
  for (const auto& s : sockets) {
    bool tcp = s.protocol.starts_with("tcp"), udp = s.protocol.starts_with("udp");
    if (!(tcp && s.state == "LISTEN") && !(udp && s.state == "UNCONN")) continue;
    if (ns && s.net_ns && s.net_ns != ns) continue;
    if (!wildcard_or_loopback(s.local_address)) continue;
    bool v6 = s.protocol.ends_with('6');
    Listener l{s.pid, s.process, s.executable};
    out.emplace(std::make_tuple(static_cast<std::uint16_t>(s.local_port), v6, udp), l);
  }
  return out;
}

const Listener* owner_of(const Target& t, std::uint16_t port, bool udp, const Listeners& listeners) {
  if (!t.loopback()) return nullptr;
  auto it = listeners.find({port, t.v6(), udp});
  if (it == listeners.end() && !t.v6()) it = listeners.find({port, true, udp});  // a dual-stack :: socket takes IPv4 too
  return it == listeners.end() ? nullptr : &it->second;
}

Findings port_findings(const std::vector<Target>& targets, const ScanResult& scan, const Listeners& listeners,
                       const std::optional<Baseline>& baseline, const std::vector<std::uint16_t>& tcp_ports,
                       const std::vector<std::uint16_t>& udp_ports) {
  Findings out;
  std::set<std::tuple<std::string, std::uint16_t, std::string>> open_now;
  for (const auto& p : scan.ports) {
    if (p.state != PortState::open) continue;
    const auto& t = targets[p.target];
    const std::string transport = p.udp ? "udp" : "tcp";
    open_now.emplace(t.address, p.port, transport);
    const auto* owner = owner_of(t, p.port, p.udp, listeners);
    if (baseline && !baseline->open.contains({t.address, p.port, transport}))
      out.push_back(port_finding("netscan.port-new", Severity::high, t, p.port, &p, owner,
                                 baseline->hosts.contains(t.address)
                                     ? "The baseline lists this host's open ports; this one is not among them."
                                     : "The baseline does not list this host at all."));
    else
      out.push_back(port_finding("netscan.port-open", Severity::info, t, p.port, &p, owner));
  }
  if (baseline)
    for (std::size_t i = 0; i < targets.size(); ++i) {
      if (i < scan.host_up.size() && !scan.host_up[i]) continue;  // not scanned: nothing to say it is gone
      const auto& t = targets[i];
      for (const auto& [host, port, transport] : baseline->open) {
        if (host != t.address || open_now.contains({host, port, transport})) continue;
        const auto& asked = transport == "udp" ? udp_ports : tcp_ports;  // sorted
        if (!std::binary_search(asked.begin(), asked.end(), port)) continue;
        out.push_back(port_finding("netscan.port-gone", Severity::info, t, port, nullptr, nullptr, {}, transport));
      }
    }
  return out;
}

}  // namespace vigil::netscan
