// vigil scan over files: the YARA rules over every regular file under the given paths of a
// Root (the live host or a mounted image), in parallel - one YR_SCANNER per thread, each file
// read once (O_NOATIME, through the Root: symlinks never lead out of it), files over the size
// cap and special files skipped, a time limit per file. Every match is a Finding with file.*;
// what could not be read or finished is an info finding (collector.partial), never a stop.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/finding.hpp"
#include "core/root.hpp"
#include "scan/yara_rules.hpp"

namespace vigil::scan {

struct FileScanOptions {
  std::vector<std::string> paths;           // inside the root; empty: default_scan_paths()
  std::uint64_t max_size = 64ull << 20;     // larger files are counted and skipped
  unsigned jobs = 0;                        // 0: every core
  int timeout = 10;                         // seconds per file
  std::vector<std::string> exclude;         // directories not entered (vigil's own rule cache)
};

struct FileScanResult {
  Findings findings;                        // matches, then the partial-read findings
  std::uint64_t files = 0, bytes = 0, too_large = 0, matched_files = 0;
  std::vector<std::string> missing;         // paths given that do not exist in the root
};

// Where attackers drop files: temporary directories, web roots, homes, and the places that
// start programs (cron, systemd units, init scripts, profile scripts).
const std::vector<std::string>& default_scan_paths();

FileScanResult scan_files(const Root& root, const YaraRules& rules, const FileScanOptions& o);

}  // namespace vigil::scan
