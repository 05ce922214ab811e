// The daemon's own use of memory and CPU against its limits (like osquery's watchdog, but the
// daemon slows itself instead of being killed): RSS from /proc/self/statm, CPU from getrusage
// over the last minute.
#pragma once

#include <cstdint>
#include <deque>
#include <utility>

namespace vigil::watch {

class ResourceMonitor {
 public:
  ResourceMonitor(std::int64_t rss_limit, double cpu_limit) : rss_limit_(rss_limit), cpu_limit_(cpu_limit) {}
  void set_limits(std::int64_t rss_limit, double cpu_limit) { rss_limit_ = rss_limit, cpu_limit_ = cpu_limit; }
  // Takes a sample; call about once a second.
  void sample();
  std::uint64_t rss() const { return rss_; }
  // Percent of one core over the window (up to a minute; less just after start).
  double cpu() const { return cpu_; }
  bool rss_over() const { return rss_limit_ > 0 && rss_ > static_cast<std::uint64_t>(rss_limit_); }
  // Judged once the samples span 5 s (a start's first second says nothing about a minute).
  bool cpu_over() const { return cpu_limit_ > 0 && span_ >= 5'000'000 && cpu_ > cpu_limit_; }
  // Back under with a margin (80 % of the limits): shedding may stop.
  bool comfortably_under() const;
  std::int64_t rss_limit() const { return rss_limit_; }
  double cpu_limit() const { return cpu_limit_; }

 private:
  std::int64_t rss_limit_;
  double cpu_limit_;
  std::uint64_t rss_ = 0;
  double cpu_ = 0;
  std::int64_t span_ = 0;  // µs the samples cover
  std::deque<std::pair<std::int64_t, std::int64_t>> samples_;  // (wall µs, CPU µs)
};

}  // namespace vigil::watch
