// The patch section of vigil audit: the patch audit's findings as checks of a built-in policy
// (vigil_patches), so they count in the score, are saved with --save and compared with
// --compare like every hardening check.
#pragma once

#include "audit/result.hpp"
#include "core/finding.hpp"
#include "patch/updates.hpp"

namespace vigil::audit {

inline constexpr std::string_view kPatchPolicyId = "vigil_patches";

// `findings`: the patch audit's findings; `feed_given`: a vulnerability feed was read (else its
// check is not applicable).
PolicyResult patch_policy(const patch::PatchStatus& status, const Findings& findings, bool feed_given);

}  // namespace vigil::audit
