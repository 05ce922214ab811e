// The change rules of `vigil diff`; rule_catalog() lists them after the triage rules.
#pragma once

#include <span>

#include "detect/rule_catalog.hpp"

namespace vigil::detect {

std::span<const RuleInfo> change_rules();

}  // namespace vigil::detect
