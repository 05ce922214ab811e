// Severity names and numbers.
#include "core/severity.hpp"

#include <array>

namespace vigil {

namespace {
constexpr std::array<std::string_view, 5> kNames = {"info", "low", "medium", "high", "critical"};
constexpr std::array<int, 5> kEcs = {1, 21, 47, 73, 99};
}  // namespace

std::string_view to_string(Severity s) { return kNames[static_cast<int>(s)]; }

std::optional<Severity> parse_severity(std::string_view word) {
  for (size_t i = 0; i < kNames.size(); ++i)
    if (kNames[i] == word) return static_cast<Severity>(i);
  return std::nullopt;
}

int ecs_severity(Severity s) { return kEcs[static_cast<int>(s)]; }

}  // namespace vigil
