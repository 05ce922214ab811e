// An index over a snapshot's processes and sockets that the detectors share.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "collect/snapshot.hpp"
#include "core/finding.hpp"

namespace vigil::detect {

class ProcessView {
 public:
  explicit ProcessView(const collect::Snapshot& s);
  const collect::ProcessRow* find(std::int64_t pid) const;
  // Sockets (tcp/udp, either family) the process holds.
  const std::vector<const collect::SocketRow*>& inet_sockets(std::int64_t pid) const;
  bool listens(std::int64_t pid) const;
  bool networked(std::int64_t pid) const { return !inet_sockets(pid).empty(); }
  // The process has no package, is not in a container, and a package database exists.
  bool unowned(const collect::ProcessRow& p) const;

 private:
  const collect::Snapshot& s_;
  std::unordered_map<std::int64_t, const collect::ProcessRow*> by_pid_;
  std::unordered_map<std::int64_t, std::vector<const collect::SocketRow*>> sockets_;
  std::vector<const collect::SocketRow*> none_;
};

// CPU used since start as a percentage of one core (0 when the start time is unknown).
std::int64_t cpu_percent(const collect::ProcessRow& p, std::int64_t now);
// Half a core or more, sustained for over a minute: what a miner does.
bool busy_process(const collect::ProcessRow& p, std::int64_t now);

// Standard evidence for a process: pid, ppid, name, executable, command line, user.
void add_process_evidence(Finding& f, const collect::ProcessRow& p);
// Who started it: the parent's program and command line (live events, where the parent is
// read with the process).
void add_parent_evidence(Finding& f, const collect::ProcessRow& parent);

}  // namespace vigil::detect
