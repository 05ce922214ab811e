#include "watch/proc_connector.hpp"

#include <linux/connector.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "watch/kernel_record.hpp"

namespace vigil::watch {

// The kernel ABI of <linux/cn_proc.h>, spelled out (its nested C structs do not name well in
// C++): struct proc_event { u32 what; u32 cpu; u64 timestamp_ns; union event_data; }.
constexpr std::uint32_t kEventFork = 0x00000001, kEventExec = 0x00000002, kEventExit = 0x80000000;
constexpr std::size_t kEventData = 16;  // fork: parent pid, parent tgid, child pid, child tgid;
                                        // exec and exit: pid, tgid, …

expected<std::vector<ProcEvent>, std::string> parse_proc_events(std::string_view datagram) {
  std::vector<ProcEvent> out;
  constexpr std::size_t kNl = sizeof(nlmsghdr), kCn = sizeof(cn_msg);
  for (std::size_t at = 0; at + kNl <= datagram.size();) {
    auto nl = load_record<nlmsghdr>(datagram, at);
    if (nl.nlmsg_len < kNl || nl.nlmsg_len > datagram.size() - at)
      return make_unexpected("netlink message of " + std::to_string(nl.nlmsg_len) + " bytes at offset " +
                             std::to_string(at) + " does not fit the datagram");
    std::string_view msg = datagram.substr(at, nl.nlmsg_len);
    at += NLMSG_ALIGN(nl.nlmsg_len);
    if (nl.nlmsg_type == NLMSG_NOOP || nl.nlmsg_type == NLMSG_ERROR) continue;
    if (msg.size() < kNl + kCn) return make_unexpected(std::string("a connector message without its header"));
    auto cn = load_record<cn_msg>(msg, kNl);
    if (cn.id.idx != CN_IDX_PROC || cn.id.val != CN_VAL_PROC) continue;  // not ours
    std::string_view ev = msg.substr(kNl + kCn);
    if (cn.len > ev.size() || cn.len < kEventData) return make_unexpected(std::string("a process event cut short"));
    ev = ev.substr(0, cn.len);
    auto what = load_record<std::uint32_t>(ev, 0);
    ProcEvent e;
    auto need = [&](std::size_t n) { return ev.size() >= kEventData + n; };
    if (what == kEventFork) {
      if (!need(16)) return make_unexpected(std::string("a fork event cut short"));
      e.kind = ProcEvent::Kind::fork;
      e.parent_pid = load_record<std::int32_t>(ev, kEventData + 4);
      e.pid = load_record<std::int32_t>(ev, kEventData + 8);
      e.tgid = load_record<std::int32_t>(ev, kEventData + 12);
    } else if (what == kEventExec || what == kEventExit) {
      if (!need(8)) return make_unexpected(std::string("an exec or exit event cut short"));
      e.kind = what == kEventExec ? ProcEvent::Kind::exec : ProcEvent::Kind::exit;
      e.pid = load_record<std::int32_t>(ev, kEventData);
      e.tgid = load_record<std::int32_t>(ev, kEventData + 4);
    }
    out.push_back(e);
  }
  return out;
}

expected<void, std::string> ProcConnector::open() {
  fd_ = UniqueFd(::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_CONNECTOR));
  if (fd_.get() < 0) return make_unexpected(std::string("proc connector: socket: ") + std::strerror(errno));
  sockaddr_nl addr{};
  addr.nl_family = AF_NETLINK;
  addr.nl_groups = CN_IDX_PROC;
  if (::bind(fd_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    return make_unexpected(std::string("proc connector: bind: ") + std::strerror(errno));
  int big = 4 << 20;  // room for an exec storm between two reads
  ::setsockopt(fd_.get(), SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big);
  // netlink header, connector header, then the operation: PROC_CN_MCAST_LISTEN (1).
  char req[sizeof(nlmsghdr) + sizeof(cn_msg) + sizeof(std::uint32_t)] = {};
  nlmsghdr nl{};
  nl.nlmsg_len = sizeof req;
  nl.nlmsg_type = NLMSG_DONE;
  nl.nlmsg_pid = static_cast<std::uint32_t>(::getpid());
  cn_msg cn{};
  cn.id.idx = CN_IDX_PROC;
  cn.id.val = CN_VAL_PROC;
  cn.len = sizeof(std::uint32_t);
  std::uint32_t listen = 1;
  std::memcpy(req, &nl, sizeof nl);
  std::memcpy(req + sizeof nl, &cn, sizeof cn);
  std::memcpy(req + sizeof nl + sizeof cn, &listen, sizeof listen);
  if (::send(fd_.get(), req, sizeof req, 0) < 0)
    return make_unexpected(std::string("proc connector: subscribe: ") + std::strerror(errno));
  return {};
}

std::uint64_t ProcConnector::read(const std::function<void(const ProcEvent&)>& on_event) {
  std::uint64_t lost = 0;
  char buf[8192];
  for (;;) {
    ssize_t n = ::recv(fd_.get(), buf, sizeof buf, 0);
    if (n < 0) {
      if (errno == ENOBUFS) {  // the kernel dropped events; it does not say how many
        ++lost;
        continue;
      }
      break;  // EAGAIN: nothing more now
    }
    auto events = parse_proc_events(std::string_view(buf, static_cast<std::size_t>(n)));
    if (!events) continue;
    for (const auto& e : *events) on_event(e);
  }
  return lost;
}

}  // namespace vigil::watch
