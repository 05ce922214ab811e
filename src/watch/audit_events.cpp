#include "watch/audit_events.hpp"

#include <linux/audit.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "watch/kernel_record.hpp"

namespace vigil::watch {

namespace {

constexpr std::uint32_t kExecve = 59, kExecveat = 322;  // x86-64 syscall numbers

bool has_syscall(const audit_rule_data& r, std::uint32_t nr) {
  return (r.mask[nr / 32] & (1u << (nr % 32))) != 0;
}

// One request to the audit socket and every datagram of its answer (up to NLMSG_DONE, an
// error, or a single non-multipart reply).
expected<std::vector<std::string>, std::string> ask(int type) {
  UniqueFd fd(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT));
  if (!fd) return make_unexpected(std::string("audit socket: ") + std::strerror(errno));
  timeval tv{1, 0};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  nlmsghdr req{};
  req.nlmsg_len = NLMSG_LENGTH(0);
  req.nlmsg_type = static_cast<std::uint16_t>(type);
  req.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
  req.nlmsg_seq = 1;
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (::sendto(fd.get(), &req, req.nlmsg_len, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel) < 0)
    return make_unexpected(std::string("audit request: ") + std::strerror(errno));
  std::vector<std::string> replies;
  for (int guard = 0; guard < 10'000; ++guard) {
    char buf[16384];
    ssize_t n = ::recv(fd.get(), buf, sizeof buf, 0);
    if (n < 0) return make_unexpected(std::string("audit reply: ") + std::strerror(errno));
    std::string_view d(buf, static_cast<std::size_t>(n));
    bool done = false;
    for (std::size_t at = 0; at + sizeof(nlmsghdr) <= d.size();) {
      auto h = load_record<nlmsghdr>(d, at);
      if (h.nlmsg_len < sizeof(nlmsghdr) || at + h.nlmsg_len > d.size()) break;
      if (h.nlmsg_type == NLMSG_ERROR) {
        auto e = h.nlmsg_len >= NLMSG_LENGTH(sizeof(nlmsgerr)) ? load_record<nlmsgerr>(d, at + NLMSG_HDRLEN).error : 0;
        if (e != 0)
          return make_unexpected(std::string("audit: ") + std::strerror(-e) +
                                 (e == -EPERM ? " (asking needs CAP_AUDIT_CONTROL)" : ""));
      } else if (h.nlmsg_type == NLMSG_DONE) {
        done = true;
      } else if (h.nlmsg_type == type) {
        replies.emplace_back(d.substr(at + NLMSG_HDRLEN, h.nlmsg_len - NLMSG_HDRLEN));
        if (!(h.nlmsg_flags & NLM_F_MULTI)) done = true;
      }
      at += NLMSG_ALIGN(h.nlmsg_len);
    }
    if (done) return replies;
  }
  return replies;
}

}  // namespace

expected<void, std::string> records_execve() {
  auto status = ask(AUDIT_GET);
  if (!status) return make_unexpected(status.error());
  if (status->empty() || status->front().size() < offsetof(audit_status, pid) + sizeof(std::uint32_t))
    return make_unexpected(std::string("audit: no status from the kernel"));
  auto st = load_record<audit_status>(status->front() + std::string(sizeof(audit_status), '\0'), 0);
  if (st.enabled == 0)
    return make_unexpected(std::string("the kernel's audit is off (auditctl -e 1, or auditd, with an execve rule)"));
  auto rules = ask(AUDIT_LIST_RULES);
  if (!rules) return make_unexpected(rules.error());
  if (!rules_record_execve(*rules))
    return make_unexpected(std::string("no audit rule records execve (-a always,exit -S execve)"));
  return {};
}

expected<std::vector<AuditRecord>, std::string> parse_audit_datagram(std::string_view d) {
  std::vector<AuditRecord> out;
  std::size_t at = 0;
  while (at + sizeof(nlmsghdr) <= d.size()) {
    auto h = load_record<nlmsghdr>(d, at);
    if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > d.size() - at)
      return make_unexpected("audit record at byte " + std::to_string(at) + ": length " + std::to_string(h.nlmsg_len) +
                             " outside the datagram");
    out.push_back({h.nlmsg_type, d.substr(at + NLMSG_HDRLEN, h.nlmsg_len - NLMSG_HDRLEN)});
    at += NLMSG_ALIGN(h.nlmsg_len);
  }
  return out;
}

bool rules_record_execve(const std::vector<std::string>& replies) {
  for (const auto& r : replies) {
    if (r.size() < sizeof(audit_rule_data)) continue;
    auto rule = load_record<audit_rule_data>(r, 0);
    if (rule.flags != AUDIT_FILTER_EXIT || rule.action != AUDIT_ALWAYS) continue;
    if (has_syscall(rule, kExecve) || has_syscall(rule, kExecveat)) return true;
  }
  return false;
}

expected<void, std::string> AuditEvents::open(bool insist) {
  // Whether audit is on and records execve: asked (read-only) with AUDIT_GET and
  // AUDIT_LIST_RULES, which the kernel answers only with CAP_AUDIT_CONTROL. Without it, `auto`
  // passes over this source (it might be blind) and an explicit `audit` trusts the administrator.
  if (auto checked = records_execve(); !checked) {
    if (!insist || checked.error().find(std::strerror(EPERM)) == std::string::npos) return checked;
  }
  fd_ = UniqueFd(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_AUDIT));
  if (!fd_) return make_unexpected(std::string("audit socket: ") + std::strerror(errno));
  int big = 8 << 20;
  ::setsockopt(fd_.get(), SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big);
  sockaddr_nl me{};
  me.nl_family = AF_NETLINK;
  me.nl_groups = 1u << (AUDIT_NLGRP_READLOG - 1);
  if (::bind(fd_.get(), reinterpret_cast<sockaddr*>(&me), sizeof me) != 0) {
    const int error = errno;
    fd_ = UniqueFd();
    return make_unexpected("audit multicast group: " + std::string(std::strerror(error)) +
                           (error == EPERM ? " (needs CAP_AUDIT_READ)" : ""));
  }
  return {};
}

void AuditEvents::read(const std::function<void(const KernelEvent&)>& on_event) {
  char buf[65536];
  for (;;) {
    ssize_t n = ::recv(fd_.get(), buf, sizeof buf, 0);
    if (n < 0) {
      if (errno == ENOBUFS) {
        ++overflows_;
        continue;
      }
      if (errno == EINTR) continue;
      break;
    }
    auto records = parse_audit_datagram(std::string_view(buf, static_cast<std::size_t>(n)));
    if (!records) continue;
    for (const auto& r : *records) assembler_.feed(r.type, r.text, ready_);
  }
  assembler_.age(ready_);
  for (const auto& e : ready_) on_event(e);
  ready_.clear();
}

}  // namespace vigil::watch
