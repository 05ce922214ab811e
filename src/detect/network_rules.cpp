// Network detectors: unpackaged listeners, sniffers, shells holding connections.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <set>

#include "core/rule_catalog.hpp"
#include "core/text.hpp"
#include "detect/detectors.hpp"
#include "detect/paths.hpp"
#include "detect/process_view.hpp"

namespace vigil::detect {

namespace {

constexpr std::string_view kSource = "detect/network";

bool known_capture_tool(std::string_view name) {
  static constexpr std::array<std::string_view, 9> kTools = {"tcpdump",   "tshark",   "dumpcap",
                                                             "wireshark", "ettercap", "dsniff",
                                                             "ngrep",     "arpspoof", "bettercap"};
  for (auto t : kTools)
    if (name == t) return true;
  return false;
}

void add_socket_evidence(Finding& f, const collect::SocketRow& s) {
  f.add("network.transport", s.protocol);
  if (s.listening()) {
    f.add("destination.ip", s.local_address);
    f.add("destination.port", s.local_port);
  } else {
    f.add("source.ip", s.local_address);
    f.add("source.port", s.local_port);
    f.add("destination.ip", s.remote_address);
    f.add("destination.port", s.remote_port);
  }
}

// Ports mining pools listen on (stratum), seen in Monero and other pool lists and in miner
// configurations; a connection to one is one signal, a stratum URL in the command line another.
bool mining_pool_port(std::int64_t port) {
  static constexpr std::array<std::int64_t, 9> kPorts = {3333, 5555, 7777, 10128, 14433, 14444, 20580, 45560, 45700};
  return std::find(kPorts.begin(), kPorts.end(), port) != kPorts.end();
}

void mining(const collect::Snapshot& s, const ProcessView& view, std::int64_t now, Findings& out) {
  for (const auto& p : s.processes) {
    if (p.self || p.kernel_thread) continue;
    const bool stratum = names_mining_pool(p.cmdline);
    const collect::SocketRow* pool = nullptr;
    for (const auto* sock : view.inet_sockets(p.pid))
      if (!sock->listening() && mining_pool_port(sock->remote_port) && !loopback_address(sock->remote_address))
        pool = sock;
    if (!stratum && !pool) continue;
    const Place place = place_of(p.executable);
    const bool busy = busy_process(p, now);
    const bool odd = view.unowned(p) || hides_tools(place) || p.deleted || p.fileless;
    Severity sev = stratum ? Severity::medium : Severity::low;
    if (busy || odd) sev = Severity::high;
    auto f = make_finding("network.mining-pool", sev, kSource,
                          fmt::format("{}{}{}", stratum ? "Its command line names a stratum pool. " : "",
                                      busy ? fmt::format("It has used {}% of a core since it started. ",
                                                         cpu_percent(p, now))
                                           : "",
                                      odd ? "No package owns it, or it runs from a temporary, hidden or deleted "
                                            "file."
                                          : ""));
    add_process_evidence(f, p);
    if (pool) add_socket_evidence(f, *pool);
    out.push_back(std::move(f));
  }
}

void unowned_listeners(const collect::Snapshot& s, const ProcessView& view, Findings& out) {
  // One finding per process: its widest listener decides the rule.
  std::set<std::int64_t> done;
  for (const auto& p : s.processes) {
    if (p.self || !view.unowned(p) || !view.listens(p.pid) || done.count(p.pid)) continue;
    const collect::SocketRow* widest = nullptr;
    for (const auto* sock : view.inet_sockets(p.pid)) {
      if (!sock->listening()) continue;
      if (!widest || (loopback_address(widest->local_address) && !loopback_address(sock->local_address)))
        widest = sock;
    }
    done.insert(p.pid);
    // A home's dot-directory (pyenv, nvm, ~/.local) is where people install their own tools:
    // it adds nothing to an unpackaged listener. /tmp, a hidden directory elsewhere or a
    // deleted program does.
    const Place place = place_of(p.executable);
    const bool strong = hides_tools(place) || p.deleted;
    const bool public_ = !loopback_address(widest->local_address);
    Severity sev = strong ? Severity::high : public_ ? Severity::medium : Severity::low;
    std::string why = p.deleted ? "It also was deleted after it started."
                      : strong  ? fmt::format("It also runs from {}.", place_text(place))
                      : place == Place::home_dotdir ? fmt::format("It runs from {}.", place_text(place))
                                                    : "";
    auto f = make_finding(public_ ? "network.unowned-public-listener" : "process.unowned-listener", sev, kSource, why);
    add_process_evidence(f, p);
    add_socket_evidence(f, *widest);
    out.push_back(std::move(f));
  }
}

void sniffers(const collect::Snapshot& s, const ProcessView& view, Findings& out) {
  std::set<std::int64_t> done;
  for (const auto& sock : s.sockets) {
    bool capture = sock.protocol == "packet" || sock.protocol.starts_with("raw");
    if (!capture || sock.holders.empty()) continue;
    const auto* p = view.find(sock.pid);
    if (!p || done.count(p->pid)) continue;
    std::string prog = program_name(p->argv.empty() ? "" : p->argv[0], p->name);
    bool unowned = view.unowned(*p);
    bool tool = known_capture_tool(prog) || known_capture_tool(p->name);
    // A filter on a packet socket, held by a program no package owns, that is no capture tool:
    // a backdoor waiting for its magic packet (BPFDoor), with no port for a scan to find.
    if (sock.bpf_filter > 0 && !tool && (unowned || p->deleted || p->fileless)) {
      done.insert(p->pid);
      auto f = make_finding("network.bpf-filter-socket", Severity::critical, kSource,
                            fmt::format("A {}-instruction filter is attached to its {} socket.", sock.bpf_filter,
                                        sock.protocol));
      add_process_evidence(f, *p);
      f.add("network.transport", sock.protocol);
      f.add("vigil.socket.bpf_filter", sock.bpf_filter);
      out.push_back(std::move(f));
      continue;
    }
    // dhclient, systemd-networkd, lldpd and ping hold such sockets as packaged software.
    if (!unowned && !tool) continue;
    done.insert(p->pid);
    auto f = make_finding(
        "network.packet-sniffer", unowned ? Severity::high : Severity::medium, kSource,
        unowned ? "The program belongs to no package." : "It is a packet-capture tool.");
    add_process_evidence(f, *p);
    f.add("network.transport", sock.protocol);
    if (!sock.interface.empty()) f.add("observer.ingress.interface.name", sock.interface);
    out.push_back(std::move(f));
  }
  for (const auto& i : s.interfaces) {
    if (!i.promiscuous || i.bridge_port) continue;
    auto f = make_finding("network.promiscuous-interface", Severity::medium, kSource);
    f.add("observer.ingress.interface.name", i.name);
    out.push_back(std::move(f));
  }
}

void shell_connections(const collect::Snapshot& s, const ProcessView& view, Findings& out) {
  for (const auto& p : s.processes) {
    const auto& socks = view.inet_sockets(p.pid);
    if (socks.empty() || p.self) continue;
    std::string prog = program_name(p.argv.empty() ? "" : p.argv[0], p.name);
    bool shell = is_shell(prog) || is_shell(p.name);
    bool interp = !shell && (is_interpreter(prog) || is_interpreter(p.name));
    if (!shell && !interp) continue;
    const collect::SocketRow* best = nullptr;
    bool on_stdio = false;
    for (const auto* sock : socks) {
      if (sock->listening() || sock->remote_port == 0) continue;
      for (const auto& h : sock->holders)
        if (h.pid == p.pid && h.fd >= 0 && h.fd <= 2) on_stdio = true, best = sock;
      if (!best) best = sock;
    }
    if (!best) continue;
    if (interp && !on_stdio && loopback_address(best->remote_address)) continue;
    Severity sev = on_stdio ? Severity::critical : shell ? Severity::high : Severity::low;
    auto f =
        make_finding("network.shell-connection", sev, kSource,
                     on_stdio ? "Here the connection is its standard input or output: a remote "
                                "peer types its commands."
                              : "");
    add_process_evidence(f, p);
    add_socket_evidence(f, *best);
    out.push_back(std::move(f));
  }
}

}  // namespace

bool loopback_address(std::string_view addr) {
  return addr.starts_with("127.") || addr == "::1" || addr.starts_with("::ffff:127.");
}

Findings detect_network(const collect::Snapshot& s, const Context& ctx) {
  Findings out;
  ProcessView view(s);
  unowned_listeners(s, view, out);
  mining(s, view, ctx.now, out);
  sniffers(s, view, out);
  shell_connections(s, view, out);
  return out;
}

}  // namespace vigil::detect
