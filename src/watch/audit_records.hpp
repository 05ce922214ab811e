// The kernel audit subsystem's records of an exec turned into a KernelEvent: SYSCALL (execve or
// execveat that succeeded: pid, ppid, uid, comm, exe), EXECVE (the arguments, hex-encoded ones
// decoded), CWD, joined by the event's serial number through libauparse - the audit project's
// own parser, so quoting, hex encoding and multi-record events are read as auditd reads them.
// Records are given one at a time as the audit netlink socket delivers them (type number and
// text "audit(SECONDS.MS:SERIAL): field=value …"); events are complete once every event begun
// has had its EOE record (records of events on different CPUs interleave), or 2 s after.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "watch/bpf_events.hpp"

namespace vigil::watch {

class AuditAssembler {
 public:
  AuditAssembler();
  ~AuditAssembler();
  AuditAssembler(const AuditAssembler&) = delete;
  AuditAssembler& operator=(const AuditAssembler&) = delete;

  // One record; the exec events it completes are appended to `out`. Types other than the
  // records of a syscall event are ignored.
  void feed(int type, std::string_view text, std::vector<KernelEvent>& out);
  // Completes what waited 2 s for an end that was lost on the way, and, with `all`, every
  // pending event.
  void age(std::vector<KernelEvent>& out, bool all = false);
  // Events that were an exec but lacked what makes one (no pid, no program).
  std::uint64_t malformed() const { return malformed_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::uint64_t malformed_ = 0;
};

}  // namespace vigil::watch
