// Which rule covers each ATT&CK for Linux technique of the persistence, privilege-escalation
// and defence-evasion tactics, or why none does: the table at the end of docs/DETECTORS.md,
// computed from the rule catalog so it cannot drift.
#pragma once

#include <string>

namespace vigil {

std::string attack_coverage_markdown();

}  // namespace vigil
