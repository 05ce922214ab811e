// Times as people and SIEMs read them: ISO 8601 in UTC.
#pragma once

#include <cstdint>
#include <string>

namespace vigil {

// Seconds since the epoch, now.
std::int64_t epoch_now();

// 2026-11-23T20:27:17Z
std::string iso8601(std::int64_t epoch_seconds);
// The same, or "-" for 0: a time a log line did not give.
inline std::string iso8601_or_dash(std::int64_t t) { return t ? iso8601(t) : "-"; }

}  // namespace vigil
