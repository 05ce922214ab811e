// Timestamps found in logs, turned into seconds since the epoch.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace vigil::logs {

std::int64_t epoch_seconds(int year, int month, int day, int hour, int minute, int second);
// "Jan" … "Dec" → 1 … 12; 0 when not a month.
int month_number(std::string_view abbrev);
// 2024-11-17T08:01:02[.123][Z|+01:00] or with a space for the T; the offset is applied.
// `consumed`, when given, receives how many characters the timestamp took.
std::optional<std::int64_t> parse_iso8601(std::string_view s, std::size_t* consumed = nullptr);
// The access-log form 10/Oct/2004:04:20:13 -0400.
std::optional<std::int64_t> parse_clf_time(std::string_view s);

}  // namespace vigil::logs
