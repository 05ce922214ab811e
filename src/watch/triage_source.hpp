// Periodic triage inside vigil watch: every `quick` interval the cheap tables (processes,
// sockets, accounts, start-up items, the cheap rootkit probes) and every `full` interval all of
// them are collected on a worker thread, judged by the same detectors as `vigil triage` and
// diffed with the previous snapshot of the same kind (`vigil diff`'s diff_snapshots). What is
// new comes back to the loop through an eventfd, once per fingerprint.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "collect/snapshot.hpp"
#include "core/finding.hpp"
#include "core/unique_fd.hpp"

namespace vigil::watch {

struct TriageSettings {
  std::int64_t quick_ms = 60'000;   // 0: off
  std::int64_t full_ms = 300'000;   // 0: off
  Severity detector_floor = Severity::medium;  // a triage finding below this is not sent
  Severity change_floor = Severity::low;       // nor a change below this
};

struct TriageStatus {
  std::uint64_t runs = 0;
  double last_seconds = 0;       // how long the last run took
  std::int64_t last_run = 0;     // epoch seconds
  std::string last_kind;         // quick or full
};

class PeriodicTriage {
 public:
  // `seen`: fingerprints already reported (from the saved state).
  PeriodicTriage(TriageSettings settings, collect::CollectOptions base, std::vector<std::string> seen);
  ~PeriodicTriage();
  PeriodicTriage(const PeriodicTriage&) = delete;
  PeriodicTriage& operator=(const PeriodicTriage&) = delete;

  // Readable when a run finished: wait on it, then take().
  int fd() const { return event_.get(); }
  // Starts a run when one is due and none is running.
  void tick(std::int64_t now_ms);
  // The new findings of the runs that finished since the last call.
  Findings take();
  TriageStatus status() const;
  // Fingerprints reported so far (the newest kKept), for the state.
  std::vector<std::string> seen() const;

  static constexpr std::size_t kKept = 10'000;

 private:
  void work();
  Findings judge(collect::Snapshot snapshot, bool quick);

  TriageSettings settings_;
  collect::CollectOptions base_;
  UniqueFd event_;
  mutable std::mutex m_;
  std::condition_variable cv_;
  std::optional<bool> request_;  // quick?
  bool running_ = false, stopping_ = false;
  Findings ready_;
  TriageStatus status_;
  std::int64_t next_quick_ = 0, next_full_ = 0;
  // Worker-side: the previous snapshot of each kind, and what was reported.
  std::optional<collect::Snapshot> previous_quick_, previous_full_;
  // New listeners seen without their program (read in the instant it started: sockets are
  // read after processes), by protocol|address|port: the next run names the program, or
  // reports them ownerless.
  std::map<std::string, Finding> deferred_;
  std::deque<std::string> seen_order_;
  std::unordered_set<std::string> seen_;
  std::thread worker_;
};

// The collection options of a quick run (as `vigil triage --quick`).
collect::CollectOptions quick_options(collect::CollectOptions base);

}  // namespace vigil::watch
