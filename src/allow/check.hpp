// vigil allowlist check: every executable file under the root, and (live) every running
// process's program, compared with the allowlist by real path, size and SHA-256.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "allow/allowlist.hpp"
#include "collect/packages.hpp"
#include "core/collect_issue.hpp"
#include "core/finding.hpp"
#include "core/root.hpp"

namespace vigil::allow {

struct CheckOptions {
  std::vector<std::string> paths;  // inside the root; empty: the whole file system (pseudo file systems left out)
  bool processes = true;           // live only
  unsigned jobs = 0;
};

struct CheckResult {
  Findings findings;
  std::size_t executables = 0, listed = 0, unlisted = 0, changed = 0;
  std::size_t processes = 0, processes_unlisted = 0;
  std::int64_t bytes_hashed = 0;
  double seconds = 0;
};

// The directories a whole-system check walks: / and the usual separate mounts, never /proc,
// /sys or /dev (but /dev/shm).
const std::vector<std::string>& default_check_paths();

CheckResult check_allowlist(const Root& root, const Allowlist& list, const collect::PackageDb& packages,
                            const CheckOptions& o, IssueLog& log);

}  // namespace vigil::allow
