// The change rules of `vigil diff`; rule_catalog() lists them after the triage rules.
#pragma once

#include <span>

#include "core/rule_catalog.hpp"

namespace vigil {

std::span<const RuleInfo> change_rules();

}  // namespace vigil
