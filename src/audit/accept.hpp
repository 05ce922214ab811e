// Failed checks the administrator accepts, through the same suppression file as every other
// command: "audit.POLICY.CHECK [check.title=GLOB] -- reason". An accepted check leaves the
// score (not applicable, with the reason and the line that accepted it) and is counted.
#pragma once

#include <vector>

#include "audit/result.hpp"
#include "core/suppress.hpp"

namespace vigil::audit {

// Returns how many failed checks were accepted.
std::size_t accept_failures(const std::vector<Suppression>& rules, AuditResult& r);

}  // namespace vigil::audit
