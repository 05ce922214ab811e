// Suppressions: known local services the administrator vouches for, each with a reason.
// File format, one entry a line ('#' starts a comment):
//   RULE-GLOB [FIELD=GLOB | FIELD!=GLOB | FIELD=cidr:NET,… …] -- REASON   (core/finding_match.hpp)
// e.g.  network.unowned-public-listener process.executable=/opt/acme/bin/* -- Acme API, ticket 42
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"
#include "core/finding.hpp"
#include "core/finding_match.hpp"
#include "core/parse_error.hpp"

namespace vigil {

struct Suppression {
  FindingMatch match;
  std::string reason;
  std::size_t line = 0;
  bool matches(const Finding& f) const { return match.matches(f); }
};

// Any malformed line is an error (a typo must not silently suppress nothing or everything).
expected<std::vector<Suppression>, ParseError> parse_suppressions(std::string_view text);

// Removes suppressed findings; returns how many were removed.
std::size_t apply_suppressions(const std::vector<Suppression>& rules, Findings& findings);

}  // namespace vigil
