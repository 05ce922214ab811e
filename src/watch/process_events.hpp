// Live process events in vigil watch: each exec the kernel reports (the proc connector for
// now; BPF comes next) is read from /proc at once - program, arguments, directory, user,
// parent, owning package (cached per program) - and judged by the same process detectors as
// `vigil triage`, so a reverse shell or a program run from /tmp that lives for a tenth of a
// second is still seen. A process gone before it could be read is counted.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "collect/packages.hpp"
#include "collect/processes.hpp"
#include "core/finding.hpp"
#include "core/root.hpp"
#include "watch/proc_connector.hpp"

namespace vigil::watch {

struct ProcessEventStats {
  std::string source;             // "proc connector", or "" when off
  std::uint64_t execs = 0;        // exec events
  std::uint64_t gone = 0;         // exited before /proc could be read
  std::uint64_t overflows = 0;    // times the kernel dropped events (socket buffer full)
};

class ProcessEvents {
 public:
  // Subscribes to the kernel's events; an error says why not (the daemon reports it and goes on).
  expected<void, std::string> open();
  int fd() const { return connector_.fd(); }
  // Reads what arrived; the findings of the execs among it.
  Findings read();
  const ProcessEventStats& stats() const { return stats_; }

 private:
  Findings judge_exec(std::int64_t pid);
  std::string owner(const std::string& executable);

  ProcConnector connector_;
  std::optional<Root> root_;
  std::shared_ptr<collect::PackageDb> packages_;
  std::unordered_map<std::string, std::string> owners_;  // executable → package ("" none)
  // Parents read recently, by pid (a shell starting a hundred commands is read once); dropped
  // at its exit event, and when the cache is full.
  std::unordered_map<std::int64_t, collect::ProcessRow> parents_;
  ProcessEventStats stats_;
};

}  // namespace vigil::watch
