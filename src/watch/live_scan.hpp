// YARA inside vigil watch (sources.scan): the file change events of the drop zones (the same
// FileEvents as live file integrity: fanotify, else inotify), each written or moved-in path
// scanned once it has been quiet for the debounce time, on a worker thread with the rules
// `vigil scan` uses (scan::scan_files), so a web shell dropped into /var/www or a tool unpacked
// into /tmp is a finding within a second, and the loop never waits on a large file. A match is
// reported once per file, rule, size and matched strings (a rewrite that matches otherwise is
// new); when the kernel lost events the trees are scanned in full.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "core/finding.hpp"
#include "core/unique_fd.hpp"
#include "scan/yara_rules.hpp"
#include "watch/file_events.hpp"

namespace vigil::watch {

struct LiveScanSettings {
  std::vector<std::string> paths;       // empty: the drop zones of `vigil scan` this host has
  std::vector<std::string> rule_paths;  // rule files or directories (vigil's own among them)
  std::string cache_dir;                // compiled rules ("" for none)
  std::uint64_t max_size = 64ull << 20;
  int timeout = 10;                     // seconds per file
  std::int64_t debounce_ms = 500;
  std::string events = "auto";          // auto (fanotify, else inotify), fanotify, inotify
  std::vector<std::string> exclude;     // never scanned (vigil's state directory)
};

struct LiveScanStats {
  std::string source;  // fanotify or inotify
  std::size_t rules = 0, trees = 0;
  std::uint64_t events = 0, scanned = 0, matched = 0, overflows = 0;
};

class LiveScan {
 public:
  LiveScan() = default;
  ~LiveScan();
  LiveScan(const LiveScan&) = delete;
  LiveScan& operator=(const LiveScan&) = delete;

  // Compiles the rules and starts watching; `notes` hears of rule files left out, a fallback
  // to inotify and directories that cannot be watched.
  expected<void, std::string> open(const LiveScanSettings& s, std::vector<std::string>& notes);
  int events_fd() const { return events_.fd(); }
  int results_fd() const { return done_.get(); }
  // The kernel's events: paths wait for their debounce.
  void read(std::int64_t now_ms);
  // Hands the paths that have been quiet long enough to the worker.
  void tick(std::int64_t now_ms);
  // The findings of the scans that finished since the last call.
  Findings take();
  LiveScanStats stats() const;
  std::vector<std::string> take_problems() { return events_.take_problems(); }

 private:
  void work();
  bool excluded(const std::string& path) const;

  LiveScanSettings settings_;
  std::unique_ptr<scan::YaraRules> rules_;
  FileEvents events_;
  std::map<std::string, std::int64_t> pending_;  // path → when it may be scanned (ms)
  UniqueFd done_;
  mutable std::mutex m_;
  std::condition_variable cv_;
  std::deque<std::vector<std::string>> queue_;  // batches for the worker
  bool stopping_ = false;
  Findings ready_;
  LiveScanStats stats_;
  std::deque<std::string> seen_order_;  // fingerprints reported (the newest 10,000)
  std::unordered_set<std::string> seen_;
  std::thread worker_;
};

}  // namespace vigil::watch
