// Live process events in vigil watch: each exec the kernel reports - through vigil's BPF
// program; where BPF is refused or not built, the audit subsystem's records (where audit runs
// with a rule recording execve) or the proc connector - is read from /proc at once
// (program, arguments, directory, user, parent, owning package cached per program) and judged
// by the same process detectors as `vigil triage`, so a reverse shell or a program run from
// /tmp that lives a tenth of a second is still seen. With BPF the kernel's event carries the
// program and its arguments, so a process gone before /proc could be read is still judged
// (and marked so); connections are seen too: a shell that connects out is checked again a
// moment later, and one whose input and output have become that connection is a reverse shell;
// a program that binds a port is looked at a moment later too, and judged by the triage's
// network detectors when it listens (an unpackaged listener that lived a few seconds). Each
// exec, connect, bind and accept is also a row for the event tables (event_recorder.hpp).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "collect/packages.hpp"
#include "collect/processes.hpp"
#include "core/finding.hpp"
#include "core/root.hpp"
#include "watch/audit_events.hpp"
#include "watch/bpf_events.hpp"
#include "watch/event_recorder.hpp"
#include "watch/proc_connector.hpp"
#include "watch/process_sigma.hpp"

namespace vigil::watch {

struct ProcessEventStats {
  std::string source;             // "bpf", "audit", "proc connector", or "" when off
  std::uint64_t execs = 0;        // exec events
  std::uint64_t connections = 0;  // connect, bind and accept events (BPF only)
  std::uint64_t gone = 0;         // exited before /proc could be read
  std::uint64_t lost = 0;         // events the kernel could not queue (BPF: exact count)
  std::uint64_t overflows = 0;    // proc connector, audit: times the socket buffer overflowed (count unknown)
};

class ProcessEvents {
 public:
  // mode "auto" (BPF, else audit records, else the proc connector), "bpf", "audit" or
  // "connector". An error says why no source could be opened; `fallback` says why the better
  // sources were passed over when auto fell back.
  expected<void, std::string> open(const std::string& mode, std::string& fallback);
  int fd() const;
  // Reads what arrived; the findings of the events among it.
  Findings read();
  // The checks that wait a moment (a shell's connection); called from the daemon's timer.
  Findings tick();
  // The Sigma process_creation and network_connection rules among these (nullptr: none).
  void set_rules(const logs::LogRules* rules) { sigma_.set_rules(rules); }
  // Where the events are recorded as rows (nullptr: nowhere).
  void set_recorder(EventRecorder* recorder) { recorder_ = recorder; }
  const ProcessEventStats& stats() const { return stats_; }
  std::uint64_t sigma_informational() const { return sigma_.informational(); }

 private:
  void handle(const KernelEvent& e, Findings& out);
  Findings judge_exec(const KernelEvent& e);
  void judge_connect(const KernelEvent& e);
  void judge_bind(const KernelEvent& e);
  Findings recheck_shell(const KernelEvent& e, const collect::ProcessRow& before);
  Findings recheck_listener(const KernelEvent& e);
  std::string owner(const std::string& executable);
  // A process read recently (cached by pid until its exit or exec), or nullptr when gone.
  const collect::ProcessRow* known(std::int64_t pid);
  std::string user_of(std::int64_t uid);

  // An event looked at again a moment later: a shell's connect, a bind.
  struct Recheck {
    KernelEvent event;
    collect::ProcessRow process;  // as known at the event (shells)
    std::int64_t due_ms = 0;
  };

  enum class Source { none, bpf, audit, connector };
  BpfEvents bpf_;
  AuditEvents audit_;
  ProcConnector connector_;
  Source use_ = Source::none;
  std::optional<Root> root_;
  std::shared_ptr<collect::PackageDb> packages_;
  std::unordered_map<std::string, std::string> owners_;  // executable → package ("" none)
  // Processes read recently, by pid (a shell starting a hundred commands is read once as their
  // parent); dropped at its exit or exec event, and when the cache is full.
  std::unordered_map<std::int64_t, collect::ProcessRow> known_;
  std::deque<Recheck> rechecks_;                   // by tick(), in order of their due time
  std::vector<KernelEvent> batch_;                 // one read's BPF events
  std::unordered_set<std::int64_t> ended_;         // pids whose exit is in that batch
  ProcessSigma sigma_;
  EventRecorder* recorder_ = nullptr;
  std::unordered_map<std::int64_t, std::string> users_;  // uid → name, from /etc/passwd
  std::int64_t users_read_ms_ = 0;
  ProcessEventStats stats_;
};

}  // namespace vigil::watch
