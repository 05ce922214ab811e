// sock_diag for AF_PACKET: one dump per network namespace, from a thread that joins it.
#include "collect/packet_filters.hpp"

#include <fcntl.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <linux/packet_diag.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "core/unique_fd.hpp"

namespace vigil::collect {

namespace {

constexpr std::string_view kCollector = "sockets";

// The dump in the calling thread's network namespace; an errno on failure.
int dump(std::unordered_map<std::uint64_t, std::int64_t>& out) {
  UniqueFd fd(::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG));
  if (fd.get() < 0) return errno;
  struct {
    nlmsghdr nlh;
    packet_diag_req req;
  } msg{};
  msg.nlh.nlmsg_len = sizeof msg;
  msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  msg.req.sdiag_family = AF_PACKET;
  msg.req.pdiag_show = PACKET_SHOW_FILTER;
  if (::send(fd.get(), &msg, sizeof msg, 0) < 0) return errno;
  alignas(nlmsghdr) char buf[32768];
  for (;;) {
    ssize_t n = ::recv(fd.get(), buf, sizeof buf, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (n == 0) return 0;
    int len = static_cast<int>(n);
    for (auto* h = reinterpret_cast<nlmsghdr*>(buf); NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
      if (h->nlmsg_type == NLMSG_DONE) return 0;
      if (h->nlmsg_type == NLMSG_ERROR) {
        auto* e = static_cast<nlmsgerr*>(NLMSG_DATA(h));
        return h->nlmsg_len >= NLMSG_LENGTH(sizeof(nlmsgerr)) && e->error ? -e->error : EPROTO;
      }
      if (h->nlmsg_len < NLMSG_LENGTH(sizeof(packet_diag_msg))) continue;
      auto* m = static_cast<packet_diag_msg*>(NLMSG_DATA(h));
      int attr_len = static_cast<int>(h->nlmsg_len - NLMSG_LENGTH(sizeof *m));
      for (auto* a = reinterpret_cast<rtattr*>(m + 1); RTA_OK(a, attr_len); a = RTA_NEXT(a, attr_len))
        if (a->rta_type == PACKET_DIAG_FILTER && RTA_PAYLOAD(a) >= sizeof(sock_filter))
          out[m->pdiag_ino] = static_cast<std::int64_t>(RTA_PAYLOAD(a) / sizeof(sock_filter));
    }
  }
}

}  // namespace

std::unordered_map<std::uint64_t, std::int64_t> packet_socket_filters(const std::string& netns, IssueLog& log) {
  std::unordered_map<std::uint64_t, std::int64_t> out;
  int err = 0;
  if (netns.empty()) {
    err = dump(out);
  } else {
    // setns changes only the calling thread: a thread of its own joins the namespace and ends.
    std::thread([&] {
      UniqueFd ns(::open(netns.c_str(), O_RDONLY | O_CLOEXEC));
      if (ns.get() < 0) {
        err = errno;
        return;
      }
      if (::setns(ns.get(), CLONE_NEWNET) != 0) {
        err = errno;
        return;
      }
      err = dump(out);
    }).join();
  }
  // A process that exited with its namespace leaves nothing to ask: not an error.
  if (err && err != ENOENT && err != ESRCH)
    log.add(std::string(kCollector), netns.empty() ? "sock_diag (packet sockets)" : netns,
            std::string("BPF filters of packet sockets not read: ") + std::strerror(err));
  return out;
}

}  // namespace vigil::collect
