#include "netscan/connect_scan.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <cerrno>
#include <deque>
#include <functional>
#include <queue>

#include <fmt/format.h>

#include "core/text.hpp"

namespace vigil::netscan {

namespace {

using Clock = std::chrono::steady_clock;

// Ports where the client speaks first in HTTP: the HEAD goes out at once.
bool http_port(std::uint16_t p) {
  switch (p) {
    case 80: case 81: case 591: case 3000: case 5000: case 8000: case 8008: case 8080: case 8081: case 8888: case 9000:
      return true;
    default:
      return false;
  }
}

constexpr std::string_view kHead = "HEAD / HTTP/1.0\r\n\r\n";

struct Probe {
  std::size_t target = 0;
  std::uint16_t port = 0;
  int tries = 0;
  int fd = -1;
  enum Phase { connecting, listening, after_head } phase = connecting;
  Clock::time_point started, deadline;
  std::string banner;
  std::uint64_t generation = 0;  // a timer entry is stale when the probe moved on
  bool discovery = false;
};

struct Timer {
  Clock::time_point at;
  std::size_t slot;
  std::uint64_t generation;
  bool operator>(const Timer& o) const { return at > o.at; }
};

std::size_t fd_budget(std::size_t wanted) {
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &rl);
    ::getrlimit(RLIMIT_NOFILE, &rl);
  }
  std::size_t usable = rl.rlim_cur > 96 ? static_cast<std::size_t>(rl.rlim_cur) - 64 : 32;
  return std::max<std::size_t>(1, std::min(wanted, usable));
}

class Engine {
 public:
  Engine(const std::vector<Target>& targets, const ScanOptions& o)
      : targets_(targets), o_(o), epfd_(::epoll_create1(EPOLL_CLOEXEC)), in_flight_per_host_(targets.size(), 0) {
    limit_ = fd_budget(o.max_in_flight);
  }
  ~Engine() {
    for (auto& p : slots_)
      if (p.fd >= 0) ::close(p.fd);
    if (epfd_ >= 0) ::close(epfd_);
  }
  std::size_t limit() const { return limit_; }
  std::size_t tries() const { return tries_; }

  // Runs the probes in `work` (per host queues), calling done(probe, state) for each outcome.
  void run(std::vector<std::deque<std::uint16_t>> work, bool discovery,
           const std::function<void(const Probe&, PortState)>& done) {
    work_ = std::move(work);
    retry_.assign(targets_.size(), {});
    discovery_ = discovery;
    done_ = &done;
    std::vector<epoll_event> events(256);
    for (;;) {
      fill();
      if (active_ == 0) break;
      int wait_ms = 50;
      while (!timers_.empty() && stale(timers_.top())) timers_.pop();
      if (!timers_.empty()) {
        auto until = std::chrono::duration_cast<std::chrono::milliseconds>(timers_.top().at - Clock::now()).count();
        wait_ms = static_cast<int>(std::clamp<long long>(until + 1, 0, 50));
      }
      int n = ::epoll_wait(epfd_, events.data(), static_cast<int>(events.size()), wait_ms);
      if (n < 0 && errno != EINTR) break;
      for (int i = 0; i < n; ++i) on_event(events[i].data.u64, events[i].events);
      expire();
    }
  }

 private:
  bool stale(const Timer& t) const { return slots_[t.slot].fd < 0 || slots_[t.slot].generation != t.generation; }

  void arm(std::size_t slot, Clock::time_point at) {
    auto& p = slots_[slot];
    p.deadline = at;
    timers_.push({at, slot, ++p.generation});
  }

  // Starts probes while the limits allow: hosts in turn, so one slow host does not hold the rest.
  void fill() {
    bool started = true;
    while (active_ < limit_ && started) {
      started = false;
      for (std::size_t h = 0; h < targets_.size() && active_ < limit_; ++h) {
        std::size_t host = (next_host_ + h) % targets_.size();
        if (in_flight_per_host_[host] >= o_.per_host) continue;
        int tries = 0;
        std::uint16_t port;
        if (!retry_[host].empty()) {
          std::tie(port, tries) = retry_[host].front();
          retry_[host].pop_front();
        } else if (!work_[host].empty()) {
          port = work_[host].front();
          work_[host].pop_front();
        } else {
          continue;
        }
        if (!start(host, port, tries)) return;  // out of descriptors: wait for some to close
        started = true;
      }
      next_host_ = (next_host_ + 1) % std::max<std::size_t>(1, targets_.size());
    }
  }

  std::size_t free_slot() {
    if (!free_.empty()) {
      auto s = free_.back();
      free_.pop_back();
      return s;
    }
    slots_.emplace_back();
    return slots_.size() - 1;
  }

  // False when no socket could be made (the probe waits in the retry queue, or, with nothing in
  // flight to free one, is given up as filtered).
  bool start(std::size_t host, std::uint16_t port, int tries) {
    const auto& t = targets_[host];
    ++tries_;
    int fd = ::socket(t.sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    Probe p;
    p.target = host;
    p.port = port;
    p.tries = tries + 1;
    p.discovery = discovery_;
    p.started = Clock::now();
    if (fd < 0) {
      if (active_ > 0) {
        retry_[host].emplace_back(port, tries);
        return false;
      }
      (*done_)(p, PortState::filtered);
      return true;
    }
    sockaddr_storage sa = t.sa;
    if (sa.ss_family == AF_INET) reinterpret_cast<sockaddr_in*>(&sa)->sin_port = htons(port);
    else reinterpret_cast<sockaddr_in6*>(&sa)->sin6_port = htons(port);
    int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&sa), t.sa_len);
    int err = rc == 0 ? 0 : errno;
    p.fd = fd;
    std::size_t slot = free_slot();
    slots_[slot] = std::move(p);
    ++active_;
    ++in_flight_per_host_[host];
    if (rc == 0 || err == EINPROGRESS) {
      epoll_event ev{};
      ev.events = EPOLLOUT;
      ev.data.u64 = slot;
      ::epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev);
      if (rc == 0) connected(slot);
      else arm(slot, slots_[slot].started + o_.timeout);
      return true;
    }
    finish_connect_error(slot, err);
    return true;
  }

  void release(std::size_t slot) {
    auto& p = slots_[slot];
    if (p.fd >= 0) {
      ::epoll_ctl(epfd_, EPOLL_CTL_DEL, p.fd, nullptr);
      ::close(p.fd);
      p.fd = -1;
    }
    ++p.generation;
    --active_;
    --in_flight_per_host_[p.target];
    free_.push_back(slot);
  }

  void finish(std::size_t slot, PortState state) {
    (*done_)(slots_[slot], state);
    release(slot);
  }

  void finish_connect_error(std::size_t slot, int err) {
    switch (err) {
      case ECONNREFUSED:
        return finish(slot, PortState::closed);
      case EHOSTUNREACH: case ENETUNREACH: case EHOSTDOWN: case ENETDOWN: case EACCES: case EPERM:
        return finish(slot, PortState::unreachable);
      case ETIMEDOUT:
        return timed_out(slot);
      default:
        return finish(slot, PortState::filtered);
    }
  }

  void timed_out(std::size_t slot) {
    auto& p = slots_[slot];
    // Discovery tries each of its two ports once: two chances already, and a host that answers
    // neither within the timeout is treated as down.
    if (!p.discovery && p.tries <= o_.retries) {
      retry_[p.target].emplace_back(p.port, p.tries);
      (*done_)(p, PortState::filtered);  // counted, not final: the retry decides
      release(slot);
      return;
    }
    finish(slot, PortState::filtered);
  }

  // A connect to a closed port of this host can pick that very port as its source and connect to
  // itself (TCP simultaneous open): not a service.
  bool self_connected(const Probe& p) const {
    sockaddr_storage local{};
    socklen_t len = sizeof local;
    if (::getsockname(p.fd, reinterpret_cast<sockaddr*>(&local), &len) != 0) return false;
    const auto& t = targets_[p.target].sa;
    if (local.ss_family != t.ss_family) return false;
    if (local.ss_family == AF_INET) {
      const auto* l = reinterpret_cast<const sockaddr_in*>(&local);
      return ntohs(l->sin_port) == p.port &&
             l->sin_addr.s_addr == reinterpret_cast<const sockaddr_in*>(&t)->sin_addr.s_addr;
    }
    const auto* l = reinterpret_cast<const sockaddr_in6*>(&local);
    return ntohs(l->sin6_port) == p.port &&
           std::memcmp(&l->sin6_addr, &reinterpret_cast<const sockaddr_in6*>(&t)->sin6_addr, sizeof l->sin6_addr) == 0;
  }

  void connected(std::size_t slot) {
    auto& p = slots_[slot];
    p.banner.clear();
    if (self_connected(p)) return finish(slot, PortState::closed);
    if (!o_.banners || p.discovery) return finish(slot, PortState::open);
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.u64 = slot;
    ::epoll_ctl(epfd_, EPOLL_CTL_MOD, p.fd, &ev);
    if (http_port(p.port)) send_head(slot);
    else {
      p.phase = Probe::listening;
      arm(slot, Clock::now() + o_.banner_timeout / 2);
    }
  }

  void send_head(std::size_t slot) {
    auto& p = slots_[slot];
    p.phase = Probe::after_head;
    (void)::send(p.fd, kHead.data(), kHead.size(), MSG_NOSIGNAL);
    arm(slot, Clock::now() + o_.banner_timeout / 2);
  }

  void on_event(std::uint64_t slot, std::uint32_t events) {
    if (slot >= slots_.size() || slots_[slot].fd < 0) return;
    auto& p = slots_[slot];
    if (p.phase == Probe::connecting) {
      int err = 0;
      socklen_t len = sizeof err;
      ::getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err == 0 && (events & EPOLLOUT)) return connected(slot);
      return finish_connect_error(slot, err ? err : ECONNREFUSED);
    }
    char buf[4096];
    for (;;) {
      std::size_t room = o_.banner_bytes - std::min(o_.banner_bytes, p.banner.size());
      if (room == 0) return finish(slot, PortState::open);
      ssize_t n = ::recv(p.fd, buf, std::min(room, sizeof buf), 0);
      if (n > 0) {
        p.banner.append(buf, static_cast<std::size_t>(n));
        continue;
      }
      if (n == 0 || (errno != EAGAIN && errno != EINTR)) return finish(slot, PortState::open);  // closed by the service
      break;
    }
    // Something came: a little longer for the rest of the greeting, then done.
    if (!p.banner.empty()) arm(slot, std::min(p.deadline, Clock::now() + std::chrono::milliseconds(100)));
  }

  void expire() {
    auto now = Clock::now();
    while (!timers_.empty() && (stale(timers_.top()) || timers_.top().at <= now)) {
      auto t = timers_.top();
      timers_.pop();
      if (stale(t)) continue;
      auto& p = slots_[t.slot];
      if (p.phase == Probe::connecting) timed_out(t.slot);
      else if (p.phase == Probe::listening && p.banner.empty()) send_head(t.slot);
      else finish(t.slot, PortState::open);
    }
  }

  const std::vector<Target>& targets_;
  const ScanOptions& o_;
  int epfd_ = -1;
  std::size_t limit_ = 0, active_ = 0, tries_ = 0, next_host_ = 0;
  bool discovery_ = false;
  std::vector<Probe> slots_;
  std::vector<std::size_t> free_;
  std::vector<std::size_t> in_flight_per_host_;
  std::vector<std::deque<std::uint16_t>> work_;
  std::vector<std::deque<std::pair<std::uint16_t, int>>> retry_;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  const std::function<void(const Probe&, PortState)>* done_ = nullptr;
};

}  // namespace

std::string_view state_name(PortState s) {
  switch (s) {
    case PortState::open: return "open";
    case PortState::closed: return "closed";
    case PortState::filtered: return "filtered";
    case PortState::unreachable: return "unreachable";
  }
  return "?";
}

std::string banner_text(std::string_view raw, std::size_t max) {
  std::string out;
  for (unsigned char c : raw) {
    if (out.size() >= max) {
      out += "…";
      break;
    }
    if (c == '\r') continue;
    if (c == '\n') out += "\\n";
    else if (c == '\t') out += ' ';
    else if (c < 0x20 || c == 0x7f) out += fmt::format("\\x{:02x}", c);
    else out += static_cast<char>(c);
  }
  while (out.ends_with("\\n")) out.resize(out.size() - 2);
  return out;
}

ScanResult connect_scan(const std::vector<Target>& targets, const ScanOptions& o) {
  auto t0 = Clock::now();
  ScanResult r;
  r.host_up.assign(targets.size(), !o.discovery);
  Engine engine(targets, o);
  r.in_flight_limit = engine.limit();
  if (o.discovery) {
    std::vector<std::deque<std::uint16_t>> work(targets.size(), std::deque<std::uint16_t>{80, 443});
    engine.run(std::move(work), true, [&](const Probe& p, PortState s) {
      if (s == PortState::open || s == PortState::closed) r.host_up[p.target] = true;
    });
  }
  std::vector<std::deque<std::uint16_t>> work(targets.size());
  for (std::size_t h = 0; h < targets.size(); ++h)
    if (r.host_up[h]) work[h].assign(o.ports.begin(), o.ports.end());
  // The last outcome of each (host, port) wins: a timed-out try is replaced by its retry's.
  std::vector<std::vector<PortResult>> per_host(targets.size());
  engine.run(std::move(work), false, [&](const Probe& p, PortState s) {
    per_host[p.target].push_back({p.target, p.port, s, p.banner, p.phase == Probe::after_head, false});
  });
  for (auto& host : per_host) {
    std::stable_sort(host.begin(), host.end(), [](const auto& a, const auto& b) { return a.port < b.port; });
    for (std::size_t i = 0; i < host.size(); ++i) {
      if (i + 1 < host.size() && host[i + 1].port == host[i].port) continue;  // a retry follows
      r.ports.push_back(std::move(host[i]));
    }
  }
  r.tries = engine.tries();
  udp_scan(targets, o, r);
  r.probes = r.ports.size();
  r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return r;
}

}  // namespace vigil::netscan
