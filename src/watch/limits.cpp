#include "watch/limits.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace vigil::watch {

void ResourceMonitor::sample() {
  if (std::FILE* f = std::fopen("/proc/self/statm", "re")) {
    unsigned long size = 0, resident = 0;
    if (std::fscanf(f, "%lu %lu", &size, &resident) == 2)
      rss_ = static_cast<std::uint64_t>(resident) * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
    std::fclose(f);
  }
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  std::int64_t cpu = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1'000'000ll + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
  std::int64_t wall =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
  samples_.emplace_back(wall, cpu);
  while (samples_.size() > 2 && wall - samples_.front().first > 60'000'000) samples_.pop_front();
  auto [w0, c0] = samples_.front();
  span_ = wall - w0;
  cpu_ = wall > w0 ? 100.0 * static_cast<double>(cpu - c0) / static_cast<double>(wall - w0) : 0;
}

bool ResourceMonitor::comfortably_under() const {
  bool rss_ok = rss_limit_ <= 0 || static_cast<double>(rss_) < 0.8 * static_cast<double>(rss_limit_);
  bool cpu_ok = cpu_limit_ <= 0 || cpu_ < 0.8 * cpu_limit_;
  return rss_ok && cpu_ok;
}

}  // namespace vigil::watch
