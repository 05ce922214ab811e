// vigil allowlist build: every executable and shared library the package manager installed,
// whose content still matches the checksum the package shipped, plus what the administrator
// adds; each under its real path with its size and SHA-256.
#pragma once

#include <string>
#include <vector>

#include "allow/allowlist.hpp"
#include "collect/packages.hpp"
#include "core/collect_issue.hpp"
#include "core/root.hpp"

namespace vigil::allow {

struct BuildOptions {
  bool packages = true;            // the package database's programs and libraries
  std::vector<std::string> add;    // files or directories (inside the root) added as they are
  unsigned jobs = 0;               // hashing threads; 0 for every core
};

struct BuildResult {
  Allowlist list;
  std::size_t package_files = 0;   // programs and libraries of packages, listed
  std::size_t maintainer_scripts = 0;
  std::size_t added = 0;
  // Package files left out because their content is not what the package installed (edited
  // configuration scripts, or a replaced binary): the administrator reviews them and --adds.
  std::vector<std::string> modified;
  std::vector<std::string> missing_adds;  // --add paths that do not exist
  std::int64_t bytes = 0;
  double seconds = 0;
};

BuildResult build_allowlist(const Root& root, const collect::PackageDb& packages, const BuildOptions& o,
                            IssueLog& log);

}  // namespace vigil::allow
