// vigil watch: one event loop (epoll over inotify, a timer and signals) that follows logs into
// the log engine and writes what it finds, keeping its state so a restart carries on.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace vigil::watch {

struct WatchOptions {
  std::vector<std::string> logs;        // files to follow
  std::vector<std::string> rule_paths;  // log rule files and directories
  std::string output;                   // JSONL findings file; default STATE_DIR/findings.jsonl
  std::string state_dir = "/var/lib/vigil/watch";
  bool from_start = false;              // on a first start, read what the logs already hold
  std::int64_t flush_ms = 1000;         // windows evicted and idle groups closed this often
  std::int64_t idle_close = 600;        // a finding group idle this long is closed (seconds)
};

// Runs until SIGINT or SIGTERM (then saves its state and returns 0), or an error at start
// (said on `err`, returns 2).
int run_watch(const WatchOptions& options, std::ostream& err);

}  // namespace vigil::watch
