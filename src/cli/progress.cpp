// The progress line.
#include "cli/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace vigil::cli {

Progress::Progress(bool enabled) {
  if (!enabled) return;
  ticker_ = std::jthread([this](std::stop_token stop) {
    for (int tick = 0; !stop.stop_requested(); ++tick) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
      if (seconds < 2 || tick % 5) continue;  // quick work shows nothing
      std::lock_guard lock(mu_);
      std::fprintf(stderr, "\r\033[Kvigil: %s (%.0f s)", text_.c_str(), seconds);
      std::fflush(stderr);
      shown_ = true;
    }
  });
}

Progress::~Progress() {
  if (!ticker_.joinable()) return;
  ticker_.request_stop();
  ticker_.join();
  if (shown_) std::fputs("\r\033[K", stderr);
}

void Progress::set(std::string text) {
  std::lock_guard lock(mu_);
  text_ = std::move(text);
}

bool Progress::wanted(bool quiet) { return !quiet && ::isatty(2); }

}  // namespace vigil::cli
