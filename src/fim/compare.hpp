// fim check: a baseline against the files now, entry by entry, as findings whose severity
// follows where the file lives and what changed.
#pragma once

#include <cstdint>
#include <vector>

#include "core/finding.hpp"
#include "fim/entry.hpp"

namespace vigil::fim {

struct CompareResult {
  Findings findings;
  std::int64_t checked = 0, added = 0, removed = 0, changed = 0;
};

// Both sorted by path.
CompareResult compare_entries(const std::vector<FimEntry>& baseline, const std::vector<FimEntry>& now);

// Where a path lives, for severity: programs and libraries, authentication files, other
// configuration, or data.
enum class Zone { data, config, sensitive, system };
Zone zone_of(std::string_view path);

}  // namespace vigil::fim
