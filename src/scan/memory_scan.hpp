// vigil scan --pids: the YARA rules over the memory of running processes - what a program
// decoded, unpacked or was sent, which its file never shows. Each process's readable regions
// (/proc/PID/maps) are read through /proc/PID/mem without stopping it (no ptrace attach), as
// one address space for libyara (string offsets are addresses). Read-only mappings of files a
// package owns are left out unless all_regions: they are the package's file, which a file scan
// judges. vigil's own process is never scanned (its memory holds the rules).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <vector>

#include "core/finding.hpp"
#include "scan/yara_rules.hpp"

namespace vigil::scan {

struct MemoryScanOptions {
  std::vector<pid_t> pids;                  // empty: every process
  bool all_regions = false;
  std::uint64_t max_bytes = 256ull << 20;   // read per process; the rest is counted, not read
  unsigned jobs = 0;
  int timeout = 10;                         // seconds per process
};

struct MemoryScanResult {
  Findings findings;                        // matches, then the partial-read findings
  std::uint64_t processes = 0, regions = 0, bytes = 0, skipped_package_regions = 0, capped = 0;
  std::uint64_t vanished = 0;               // processes gone before or while they were read
};

MemoryScanResult scan_processes(const YaraRules& rules, const MemoryScanOptions& o);

}  // namespace vigil::scan
