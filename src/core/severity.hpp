// Severity of a finding, ordered so that a higher value is worse.
#pragma once

#include <optional>
#include <string_view>

namespace vigil {

enum class Severity { info, low, medium, high, critical };

std::string_view to_string(Severity s);
std::optional<Severity> parse_severity(std::string_view word);
// ECS event.severity number (the Elastic detection-rule scale: 21 low … 99 critical).
int ecs_severity(Severity s);

}  // namespace vigil
