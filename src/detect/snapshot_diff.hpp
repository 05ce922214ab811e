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

DiffResult diff_snapshots(const collect::Snapshot& before, const collect::Snapshot& after);

struct DiffKeyDoc {
  std::string_view table;
  std::string key;      // identity columns
  std::string compare;  // columns whose change is reported
  std::string_view rows;  // which rows take part
};
// What diff compares, table by table (docs and `vigil diff --explain`).
std::vector<DiffKeyDoc> diff_key_docs();

}  // namespace vigil::detect
