// Exec events from the kernel's audit subsystem, read-only: the audit netlink socket's
// multicast group AUDIT_NLGRP_READLOG (CAP_AUDIT_READ) receives a copy of every record the
// kernel emits, beside auditd, without taking its place or changing a rule. Records come only
// for what the audit rules select: the source is offered where audit is on and a rule records
// execve (`-a always,exit -S execve`, as auditd setups for exec logging have) - checked at
// open through AUDIT_GET and AUDIT_LIST_RULES, which read and change nothing (but need
// CAP_AUDIT_CONTROL; without it only an explicit `audit` is taken on trust). Like BPF, each
// event carries the program and its arguments, so a process gone before /proc is still judged.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"
#include "core/unique_fd.hpp"
#include "watch/audit_records.hpp"

namespace vigil::watch {

// Records in one datagram from the audit socket: (type, text) pairs; an error names what is
// malformed.
struct AuditRecord {
  int type = 0;
  std::string_view text;
};
expected<std::vector<AuditRecord>, std::string> parse_audit_datagram(std::string_view datagram);

// Whether the rules in an AUDIT_LIST_RULES reply (every datagram's bytes) record execve or
// execveat at syscall exit.
bool rules_record_execve(const std::vector<std::string>& replies);

// Whether the kernel's audit is on and a rule records execve; an error says what is missing.
expected<void, std::string> records_execve();

class AuditEvents {
 public:
  // Joins the multicast group; an error says why not: audit off, no rule recording execve,
  // EPERM without CAP_AUDIT_READ. `insist`: the administrator chose this source, so it is
  // opened even when the rules cannot be read.
  expected<void, std::string> open(bool insist = false);
  int fd() const { return fd_.get(); }
  // Reads every waiting record; the exec events completed among them.
  void read(const std::function<void(const KernelEvent&)>& on_event);
  // Times the socket buffer overflowed (the kernel drops records then without a count).
  std::uint64_t overflows() const { return overflows_; }

 private:
  UniqueFd fd_;
  AuditAssembler assembler_;
  std::vector<KernelEvent> ready_;
  std::uint64_t overflows_ = 0;
};

}  // namespace vigil::watch
