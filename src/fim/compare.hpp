// fim check: a baseline against the files now, entry by entry, as findings whose severity
// follows where the file lives and what changed.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/finding.hpp"
#include "fim/entry.hpp"

namespace vigil::fim {

struct CompareResult {
  Findings findings;
  std::int64_t checked = 0, added = 0, removed = 0, changed = 0;
};

// What happened to one path: `was` in the baseline, `is` now (either may be absent: added,
// removed). Nothing when the attributes the baseline recorded are unchanged. The batch
// comparison and a watcher judging one file event both decide here.
std::optional<Finding> judge(const FimEntry* was, const FimEntry* is);

// Baseline entries are fed one at a time in path order (streamed from the store), against
// the current entries, sorted by path.
class Comparison {
 public:
  explicit Comparison(const std::vector<FimEntry>& now);
  void baseline(const FimEntry& e);
  CompareResult finish();

 private:
  void judged(const FimEntry* was, const FimEntry* is);
  const std::vector<FimEntry>& now_;
  std::size_t next_ = 0;
  CompareResult result_;
};

// Both sorted by path.
CompareResult compare_entries(const std::vector<FimEntry>& baseline, const std::vector<FimEntry>& now);

// Where a path lives, for severity: programs and libraries, authentication files, other
// configuration, or data.
enum class Zone { data, config, sensitive, system };
Zone zone_of(std::string_view path);

}  // namespace vigil::fim
