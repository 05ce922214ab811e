// vigil allowlist enforce: the kernel asks before it runs a program (fanotify
// FAN_OPEN_EXEC_PERM on every mount of the caller's mount namespace: execve's program and its
// ELF interpreter or #! interpreter), and vigil answers from the allowlist.
//   audit (default): every execution is allowed; what --deny would refuse is reported.
//   deny: executions not on the list fail with EPERM.
// Safety net: vigil itself is never refused; the shells of /etc/shells started by root from
// a terminal are allowed even off the list (a way back in for the administrator); --for ends
// enforcement after a while; and if vigil dies the kernel lets everything run (the fanotify
// descriptor closes and pending requests are allowed), so a crash never locks a host.
// Not covered: libraries the loader maps (no exec event exists for mmap), and scripts read
// by an interpreter (bash script.sh); docs/ALLOWLIST.md says so.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "allow/allowlist.hpp"
#include "core/expected.hpp"
#include "core/finding.hpp"

namespace vigil::allow {

struct EnforceOptions {
  bool deny = false;
  std::chrono::milliseconds duration{0};  // 0: until stopped
  bool console_shells = true;             // root's shells from a terminal always run
  std::string shells_file = "/etc/shells";
  std::function<void(Finding)> report;            // each refused (or, in audit, unlisted) program, once per file version
  std::function<void(const std::string&)> notice;  // what the enforcer is doing (marks, mounts, the end)
  const std::atomic<bool>* stop = nullptr;         // set by a signal handler to end
};

struct EnforceStats {
  std::uint64_t events = 0, allowed = 0, refused = 0, unlisted_allowed = 0, safety_net = 0, cached = 0;
  std::uint64_t overflows = 0;
  std::size_t mounts = 0, mount_errors = 0;
  std::size_t ignore_marks = 0;  // allowed file versions the kernel no longer asks about
  // Decision time: from reading the request to the answer ready (judging, hashing when new).
  double p50_us = 0, p99_us = 0, max_us = 0, first_p50_us = 0;
  std::uint64_t first_decisions = 0;  // decisions that hashed the file (not from the cache)
  double seconds = 0;
};

// Runs until options.stop, the duration, or an error; the error when fanotify cannot start
// (not root, a kernel without permission events).
expected<EnforceStats, std::string> enforce(const Allowlist& list, const EnforceOptions& o);

// Pseudo file systems nothing runs from (proc, sysfs, cgroup …): not marked.
bool unmarked_fstype(std::string_view fstype);

}  // namespace vigil::allow
