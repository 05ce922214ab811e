// The fim walk: every path the policy selects, stat'ed and hashed in parallel (all cores by
// default), each file read once through a large per-thread buffer. FIFOs, sockets and
// devices are recorded, never opened for reading; files that vanish mid-walk are skipped.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "core/collect_issue.hpp"
#include "core/root.hpp"
#include "fim/entry.hpp"
#include "fim/measure.hpp"
#include "fim/policy.hpp"

namespace vigil::fim {

struct ScanOptions {
  unsigned jobs = 0;                  // threads; 0 for one per core
  std::int64_t max_hash_size = 0;     // files larger are recorded, not hashed; 0 for no limit
  double files_per_second = 0;        // throttle for production hosts; 0 for none
  bool progress = false;              // a progress line on stderr
  std::int64_t expected_files = 0;    // for the progress line (the baseline's size)
};

struct ScanStats {
  std::int64_t entries = 0, files_hashed = 0, bytes_hashed = 0, unreadable = 0;
  double seconds = 0;
};

// Entries sorted by path. Directories that cannot be listed are logged under "fim".
std::vector<FimEntry> scan(const Root& root, const Policy& policy, const ScanOptions& opts, IssueLog& log,
                           ScanStats& stats);

}  // namespace vigil::fim
