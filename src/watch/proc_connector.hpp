// The kernel's process events through the proc connector (NETLINK_CONNECTOR, CN_IDX_PROC):
// fork, exec and exit of every process, as they happen. It needs CAP_NET_ADMIN in the initial
// network namespace; what it does not give (the program, its arguments) is read from /proc
// when the event arrives. The fallback source of process events where BPF is not used.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"
#include "core/unique_fd.hpp"

namespace vigil::watch {

struct ProcEvent {
  enum class Kind { fork, exec, exit, other } kind = Kind::other;
  std::int64_t pid = 0, tgid = 0;  // the process (exec, exit) or the child (fork)
  std::int64_t parent_pid = 0;     // fork only
};

// The events in one datagram from the connector (netlink header, connector header, event);
// an error names what is malformed.
expected<std::vector<ProcEvent>, std::string> parse_proc_events(std::string_view datagram);

class ProcConnector {
 public:
  // Subscribes; an error says why not (EPERM without CAP_NET_ADMIN, another network namespace).
  expected<void, std::string> open();
  int fd() const { return fd_.get(); }
  // Reads every datagram waiting; returns how many events were lost to a full socket buffer
  // (ENOBUFS), which the kernel only counts.
  std::uint64_t read(const std::function<void(const ProcEvent&)>& on_event);

 private:
  UniqueFd fd_;
};

}  // namespace vigil::watch
