// Socket collector: /proc/PID/net/* once per network namespace, owners from /proc/PID/fd.
#include "collect/sockets.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <unordered_map>

#include "collect/net_parse.hpp"
#include "collect/packet_filters.hpp"
#include "collect/proc_parse.hpp"
#include "core/text.hpp"

namespace vigil::collect {

namespace {

constexpr std::string_view kCollector = "sockets";
constexpr unsigned kIffUp = 0x1, kIffPromisc = 0x100;

std::string inet_state(std::string_view proto, int state) {
  if (proto.starts_with("tcp")) return std::string(tcp_state_name(state));
  return state == 1 ? "ESTABLISHED" : "UNCONN";  // udp/raw: 7 is unconnected
}

}  // namespace

std::vector<InterfaceRow> collect_interfaces(const Root& live, IssueLog& log) {
  std::vector<InterfaceRow> out;
  auto entries = live.list("/sys/class/net");
  if (!entries) {
    log.add(std::string(kCollector), entries.error());
    return out;
  }
  for (const auto& e : *entries) {
    std::string dir = "/sys/class/net/" + e.name;
    InterfaceRow row;
    row.name = printable(e.name);
    auto flags = live.read_pseudo(dir + "/flags");
    if (!flags) {
      if (!flags.error().vanished()) log.add(std::string(kCollector), flags.error());
      continue;
    }
    auto f = trim(*flags);
    if (f.starts_with("0x")) f.remove_prefix(2);
    unsigned bits = to_number<unsigned>(trim(f.substr(0, f.find('\n'))), 16).value_or(0);
    row.up = bits & kIffUp;
    row.promiscuous = bits & kIffPromisc;
    if (auto idx = live.read_pseudo(dir + "/ifindex"))
      row.index = to_number<std::int64_t>(trim(std::string_view(*idx).substr(0, idx->find('\n'))))
                      .value_or(0);
    if (auto mac = live.read_pseudo(dir + "/address"))
      row.mac = std::string(trim(std::string_view(*mac).substr(0, mac->find('\n'))));
    row.bridge_port = live.stat(dir + "/brport").has_value();
    out.push_back(std::move(row));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
  return out;
}

std::vector<SocketRow> collect_sockets(const Root& live, const std::vector<ProcessRow>& processes,
                                       const std::vector<InterfaceRow>& interfaces, IssueLog& log) {
  std::vector<SocketRow> out;
  std::unordered_map<std::uint64_t, std::vector<SocketOwner>> holders;
  std::unordered_map<std::int64_t, const ProcessRow*> by_pid;
  std::map<std::uint64_t, std::string> namespaces;  // netns inode -> /proc/X/net
  std::uint64_t own_ns = 0;
  if (auto ns = live.readlink("/proc/self/ns/net")) own_ns = parse_ns_link(*ns);
  namespaces[own_ns] = "/proc/self/net";
  for (const auto& p : processes) {
    by_pid[p.pid] = &p;
    for (const auto& s : p.sockets) holders[s.inode].push_back({p.pid, s.fd});
    if (p.net_ns != 0 && !p.sockets.empty())
      namespaces.try_emplace(p.net_ns, "/proc/" + std::to_string(p.pid) + "/net");
  }
  std::map<std::int64_t, std::string> if_names;
  for (const auto& i : interfaces) if_names[i.index] = i.name;

  auto fill_owner = [&](SocketRow& row) {
    auto it = holders.find(static_cast<std::uint64_t>(row.inode));
    if (it == holders.end()) return;
    row.holders = it->second;
    std::sort(row.holders.begin(), row.holders.end(),
              [](const auto& a, const auto& b) { return a.pid < b.pid; });
    row.owners = static_cast<std::int64_t>(
        std::unique(row.holders.begin(), row.holders.end(),
                    [](const auto& a, const auto& b) { return a.pid == b.pid && a.fd == b.fd; }) -
        row.holders.begin());
    row.holders.resize(static_cast<std::size_t>(row.owners));
    std::int64_t distinct = 0, last = -1;
    for (const auto& h : row.holders)
      if (h.pid != last) ++distinct, last = h.pid;
    row.owners = distinct;
    row.pid = row.holders.front().pid;
    if (auto p = by_pid.find(row.pid); p != by_pid.end()) {
      row.process = p->second->name;
      row.executable = p->second->executable;
    }
  };

  for (const auto& [ns, dir] : namespaces) {
    for (std::string_view proto : {"tcp", "tcp6", "udp", "udp6", "raw", "raw6"}) {
      auto text = live.read_pseudo(dir + "/" + std::string(proto));
      if (!text) {
        if (!text.error().vanished()) log.add(std::string(kCollector), text.error());
        continue;
      }
      auto parsed = parse_proc_net_inet(*text, proto.ends_with('6'));
      for (const auto& e : parsed.errors)
        log.add(std::string(kCollector), fmt::format("{}/{}:{}", dir, proto, e.line), e.message);
      for (const auto& s : parsed.rows) {
        SocketRow row;
        row.protocol = std::string(proto);
        row.state = inet_state(proto, s.state);
        row.local_address = s.local_address;
        row.local_port = s.local_port;
        row.remote_address = s.remote_address;
        row.remote_port = s.remote_port;
        row.uid = s.uid;
        row.inode = static_cast<std::int64_t>(s.inode);
        row.net_ns = static_cast<std::int64_t>(ns);
        if (s.inode == 0) continue;  // TIME_WAIT and the like: no socket object any more
        fill_owner(row);
        out.push_back(std::move(row));
      }
    }
    if (auto text = live.read_pseudo(dir + "/packet")) {
      auto parsed = parse_proc_net_packet(*text);
      std::unordered_map<std::uint64_t, std::int64_t> filters;
      if (!parsed.rows.empty())
        filters = packet_socket_filters(ns == own_ns ? "" : dir.substr(0, dir.size() - 3) + "ns/net", log);
      for (const auto& e : parsed.errors)
        log.add(std::string(kCollector), fmt::format("{}/packet:{}", dir, e.line), e.message);
      for (const auto& s : parsed.rows) {
        SocketRow row;
        row.protocol = "packet";
        row.uid = s.uid;
        row.inode = static_cast<std::int64_t>(s.inode);
        row.net_ns = static_cast<std::int64_t>(ns);
        row.packet_protocol = s.protocol;
        if (auto f = filters.find(s.inode); f != filters.end()) row.bpf_filter = f->second;
        if (s.ifindex != 0) {
          auto it = if_names.find(s.ifindex);
          row.interface = ns == own_ns && it != if_names.end()
                              ? it->second
                              : "ifindex " + std::to_string(s.ifindex);
        }
        fill_owner(row);
        out.push_back(std::move(row));
      }
    } else if (!text.error().vanished()) {
      log.add(std::string(kCollector), text.error());
    }
  }
  return out;
}

}  // namespace vigil::collect
