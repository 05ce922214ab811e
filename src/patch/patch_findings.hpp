// What a patch audit says, as findings: security updates waiting (one per source package),
// other updates (one summary), lists too old to judge, no security archive, and the installed
// packages a vulnerability feed names.
#pragma once

#include <cstdint>
#include <vector>

#include "core/finding.hpp"
#include "patch/updates.hpp"
#include "patch/vuln_feed.hpp"

namespace vigil::patch {

struct PatchJudgement {
  std::int64_t now = 0;          // epoch seconds
  int max_list_age_days = 7;     // older lists are a finding (medium past 30 days)
};

// The age the patch status rests on: the security archive's lists when there are any (the
// ones that matter, and Debian's are republished daily), else the newest list.
struct ListAge {
  std::int64_t published = 0;  // the Release file's Date, or the list's mtime when it has none
  std::string release;         // which Release file (or list) that is
};
ListAge list_age(const PatchStatus& status);

Findings update_findings(const PatchStatus& status, const PatchJudgement& j);
Findings vulnerability_findings(const std::vector<Vulnerable>& vulnerable);

}  // namespace vigil::patch
