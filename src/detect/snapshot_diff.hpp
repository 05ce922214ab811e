// vigil diff: what changed between two snapshots. Rows are matched by each table's identity
// key (a listener by protocol, address, port and program; a process by executable, command
// line and user, never pid), and each added, removed or changed row becomes a finding.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "collect/snapshot.hpp"
#include "core/finding.hpp"

namespace vigil::detect {

struct DiffResult {
  Findings findings;
  std::vector<std::string> compared;   // tables both snapshots hold
  std::vector<std::string> skipped;    // tables only one holds: not compared, so not "all added"
};

// Compares table by table. The diff judges no rootkit probe, so `after` (usually what the
// report shows as its host) loses its list of probes skipped: none is missing from a diff.
DiffResult diff_snapshots(const collect::Snapshot& before, collect::Snapshot& after);

}  // namespace vigil::detect
