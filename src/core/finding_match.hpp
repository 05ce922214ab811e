// Which findings a line of the administrator's selects: a rule-id glob, then conditions on
// the finding's evidence fields, all of which must hold. One grammar for the suppression file
// and for vigil watch's triggers:
//   RULE-GLOB [FIELD=GLOB | FIELD!=GLOB | FIELD=cidr:NET,NET… | FIELD!=cidr:NET,NET…]…
// FIELD=GLOB holds when a value of FIELD matches; FIELD!=GLOB when none does (an absent field
// included); cidr: compares an address with networks (192.0.2.0/24, 2001:db8::/32, or single
// addresses) instead of a glob.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/cidr.hpp"
#include "core/expected.hpp"
#include "core/finding.hpp"

namespace vigil {

struct FieldCondition {
  std::string key;
  bool negate = false;
  std::string glob;         // unless networks are given
  std::vector<Cidr> networks;
  bool holds(const Finding& f) const;
};

struct FindingMatch {
  std::string rule = "*";  // glob over rule ids
  std::vector<FieldCondition> conditions;
  bool matches(const Finding& f) const;
};

// `words`: the rule glob and the conditions, already split on blanks. The error names the word.
expected<FindingMatch, std::string> parse_finding_match(const std::vector<std::string_view>& words);

}  // namespace vigil
