// The kernel's process and socket events through vigil's eBPF program (src/bpf): exec (with
// the file run and its arguments, so a process that is gone before /proc can be read is still
// known), fork, exit, and IPv4/IPv6 connect, bind and accept. Events reach user space through
// one BPF ring buffer whose epoll descriptor joins the daemon's loop; an event the kernel
// could not queue (ring buffer full) is counted there and reported, never lost silently.
// Built only where clang, bpftool, libbpf and the kernel's BTF were present (see
// CMakeLists.txt); otherwise open() says why and the daemon uses the proc connector.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"

namespace vigil::watch {

struct KernelEvent {
  enum class Kind { exec, fork, exit, connect, bind, accept } kind = Kind::exec;
  std::int64_t pid = 0, tid = 0, ppid = 0;  // fork: pid is the child, ppid the parent
  std::int64_t uid = -1;
  std::int64_t exit_code = 0;  // exit: the wait status
  std::uint64_t boot_ns = 0;   // when, nanoseconds since boot
  std::string comm;
  // exec
  std::string path;               // the file the kernel ran, as execve was given it
  std::vector<std::string> argv;  // its arguments (cut at 511 bytes)
  // connect, bind, accept
  int fd = -1;
  int sock_type = 0;  // SOCK_STREAM 1, SOCK_DGRAM 2; 0 unknown
  int family = 0;     // AF_INET, AF_INET6
  std::string ip;     // text form
  int port = 0;
};

std::string_view kind_name(KernelEvent::Kind k);

// One record from the ring buffer; an error says what is wrong with it (the kernel writes
// these, but a reader of bytes is fuzzed like every parser).
expected<KernelEvent, std::string> parse_bpf_event(std::string_view record);

class BpfEvents {
 public:
  BpfEvents();
  ~BpfEvents();
  BpfEvents(const BpfEvents&) = delete;
  BpfEvents& operator=(const BpfEvents&) = delete;

  // Loads and attaches the program (events of process `self` are not sent); an error says
  // why not: not built, refused by the kernel (EPERM without CAP_BPF/CAP_PERFMON), …
  expected<void, std::string> open(std::int64_t self);
  // An epoll descriptor that becomes readable when events wait.
  int fd() const;
  // Reads every waiting event.
  void read(const std::function<void(const KernelEvent&)>& on_event);
  // Events the kernel could not queue since open().
  std::uint64_t dropped() const;
  // Records that did not parse (never expected; counted rather than trusted).
  std::uint64_t malformed() const { return malformed_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::uint64_t malformed_ = 0;
};

}  // namespace vigil::watch
