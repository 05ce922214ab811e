// A status line on standard error for work that takes more than two seconds: what is being
// done and for how long. Only on a terminal, and not with --quiet; gone when the work ends.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <thread>

namespace vigil::cli {

class Progress {
 public:
  explicit Progress(bool enabled);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // What is happening now; any thread.
  void set(std::string text);

  // A terminal on standard error and no --quiet.
  static bool wanted(bool quiet);

 private:
  std::mutex mu_;
  std::string text_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  bool shown_ = false;
  std::jthread ticker_;
};

}  // namespace vigil::cli
