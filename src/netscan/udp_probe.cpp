// UDP probes for vigil scan-ports: a payload the service answers, on connected sockets.
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <map>

#include "netscan/connect_scan.hpp"

namespace vigil::netscan {

namespace {

using Clock = std::chrono::steady_clock;

// A query a server of the port answers (anything back means open).
std::string_view payload(std::uint16_t port) {
  // DNS: id 0x7667, recursion desired, one question: the root, type NS, class IN.
  static constexpr char dns[] = "\x76\x67\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x01";
  // NTP: version 3, mode 3 (client), the rest zero.
  static const std::string ntp = [] {
    std::string p(48, '\0');
    p[0] = '\x1b';
    return p;
  }();
  // SNMP v1 GetRequest, community "public", sysDescr.0 (1.3.6.1.2.1.1.1.0).
  static constexpr char snmp[] =
      "\x30\x29\x02\x01\x00\x04\x06public\xa0\x1c\x02\x04\x00\x00\x00\x01\x02\x01\x00\x02\x01\x00"
      "\x30\x0e\x30\x0c\x06\x08\x2b\x06\x01\x02\x01\x01\x01\x00\x05\x00";
  switch (port) {
    case 53: return {dns, sizeof dns - 1};
    case 123: return ntp;
    case 161: return {snmp, sizeof snmp - 1};
    default: return {};
  }
}

struct Probe {
  std::size_t target = 0;
  std::uint16_t port = 0;
  int fd = -1;
  bool done = false;
  PortResult result;
};

}  // namespace

void udp_scan(const std::vector<Target>& targets, const ScanOptions& o, ScanResult& result) {
  if (o.udp_ports.empty()) return;
  std::vector<std::pair<std::size_t, std::uint16_t>> work;
  for (std::size_t t = 0; t < targets.size(); ++t)
    if (t >= result.host_up.size() || result.host_up[t])
      for (auto port : o.udp_ports) work.emplace_back(t, port);
  const std::size_t batch = std::max<std::size_t>(1, std::min(o.max_in_flight, std::size_t{512}));
  for (std::size_t from = 0; from < work.size(); from += batch) {
    int ep = ::epoll_create1(EPOLL_CLOEXEC);
    std::vector<Probe> probes;
    for (std::size_t i = from; i < std::min(work.size(), from + batch); ++i) {
      Probe p;
      p.target = work[i].first;
      p.port = work[i].second;
      p.result = {p.target, p.port, PortState::filtered, {}, false, true};
      const auto& t = targets[p.target];
      p.fd = ::socket(t.sa.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      sockaddr_storage sa = t.sa;
      if (sa.ss_family == AF_INET) reinterpret_cast<sockaddr_in*>(&sa)->sin_port = htons(p.port);
      else reinterpret_cast<sockaddr_in6*>(&sa)->sin6_port = htons(p.port);
      if (p.fd < 0 || ::connect(p.fd, reinterpret_cast<sockaddr*>(&sa), t.sa_len) != 0) {
        p.result.state = PortState::unreachable;
        p.done = true;
      }
      probes.push_back(std::move(p));
    }
    for (std::size_t i = 0; i < probes.size(); ++i) {
      if (probes[i].done) continue;
      epoll_event ev{};
      ev.events = EPOLLIN | EPOLLERR;
      ev.data.u64 = i;
      ::epoll_ctl(ep, EPOLL_CTL_ADD, probes[i].fd, &ev);
    }
    for (int attempt = 0; attempt <= o.retries; ++attempt) {
      std::size_t waiting = 0;
      for (auto& p : probes) {
        if (p.done) continue;
        ++waiting;
        ++result.tries;
        auto data = payload(p.port);
        (void)::send(p.fd, data.data(), data.size(), MSG_NOSIGNAL);
      }
      if (!waiting) break;
      auto deadline = Clock::now() + o.timeout;
      epoll_event events[64];
      while (waiting && Clock::now() < deadline) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        int n = ::epoll_wait(ep, events, 64, static_cast<int>(std::max<long long>(left, 1)));
        if (n < 0 && errno != EINTR) break;
        for (int e = 0; e < n; ++e) {
          auto& p = probes[events[e].data.u64];
          if (p.done) continue;
          char buf[2048];
          ssize_t got = ::recv(p.fd, buf, sizeof buf, 0);
          if (got >= 0) {
            p.result.state = PortState::open;
            p.result.banner.assign(buf, static_cast<std::size_t>(std::min<ssize_t>(got, static_cast<ssize_t>(o.banner_bytes))));
          } else if (errno == ECONNREFUSED) {
            p.result.state = PortState::closed;
          } else if (errno == EHOSTUNREACH || errno == ENETUNREACH) {
            p.result.state = PortState::unreachable;
          } else {
            continue;  // EAGAIN: nothing yet
          }
          p.done = true;
          ::epoll_ctl(ep, EPOLL_CTL_DEL, p.fd, nullptr);
          --waiting;
        }
      }
    }
    for (auto& p : probes) {
      if (p.fd >= 0) ::close(p.fd);
      result.ports.push_back(std::move(p.result));
    }
    ::close(ep);
  }
}

}  // namespace vigil::netscan
