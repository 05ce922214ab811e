// The units a watch.yaml value is written in: durations ("500ms", "10s", "5m", "1h", "2d"),
// sizes ("64KB", "10MB", "1GB", plain bytes) and percentages ("10%").
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace vigil::watch {

// Milliseconds; nullopt when the text is not a duration (a bare number is refused: "60"
// could be seconds or milliseconds, and a wrong guess is silent).
std::optional<std::int64_t> parse_duration_ms(std::string_view text);
// Bytes (KB, MB, GB are powers of 1024; a bare number is bytes).
std::optional<std::int64_t> parse_size(std::string_view text);
// A percentage of one core, 0 < p <= 100*cores; "10%" or "10".
std::optional<double> parse_percent(std::string_view text);

}  // namespace vigil::watch
