// What detectors may be told besides the snapshot: thresholds and the clock.
#pragma once

#include <cstdint>

namespace vigil::detect {

struct Context {
  std::int64_t now = 0;                      // epoch seconds
  std::int64_t failed_login_threshold = 10;  // btmp failures from one source before "low"
  std::int64_t out_of_order_slack = 300;     // seconds a login record may step back (clock fixes)
  std::int64_t since_days = 3;  // "recently changed" window (--since)
};

}  // namespace vigil::detect
