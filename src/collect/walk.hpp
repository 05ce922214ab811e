// A bounded, read-only directory walk through a Root that never follows symlinks.
#pragma once

#include <sys/stat.h>

#include <cstddef>
#include <functional>
#include <string>

#include "core/collect_issue.hpp"
#include "core/root.hpp"

namespace vigil::collect {

struct WalkEntry {
  const std::string& path;
  const struct stat& st;
  int depth;  // 0 for the start directory itself
  bool capabilities = false;  // with WalkLimits::capabilities: the file carries file capabilities
};

struct WalkLimits {
  int max_depth = 64;
  std::size_t max_entries = 500000;
  bool same_filesystem = true;  // do not descend into other mounts (/proc, network shares)
  bool capabilities = false;    // ask executable files whether they carry file capabilities
};

// Calls visit for the start directory and every entry below it; visit returns false to
// skip a directory's contents. Unreadable directories are logged under `collector`.
void walk(const Root& root, const std::string& start, const WalkLimits& limits, std::string_view collector,
          IssueLog& log, const std::function<bool(const WalkEntry&)>& visit);

}  // namespace vigil::collect
