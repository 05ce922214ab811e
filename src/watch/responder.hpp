// vigil watch's responses: each finding it sends is offered to the triggers of watch.yaml; a
// trigger that selects it (the suppression file's grammar, a least severity) runs its actions -
// exec a handler, block the address in nftables, capture its traffic - at most once per key and
// `once_per`, at most `max_per_minute` times. Actions run on a worker thread (a capture on a
// thread of its own), never on the daemon's loop; each outcome comes back as a finding
// (watch.action, or watch.action-failed) and a line of the ledger (action_ledger.hpp). With
// dry_run every action says what it would do and does nothing.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/expected.hpp"
#include "core/finding.hpp"
#include "core/unique_fd.hpp"
#include "watch/action_ledger.hpp"
#include "watch/config.hpp"

namespace vigil::watch {

struct ResponderStats {
  std::uint64_t matched = 0;       // findings a trigger selected
  std::uint64_t repeated = 0;      // … whose key had acted within once_per
  std::uint64_t rate_limited = 0;  // … beyond max_per_minute
  std::uint64_t actions = 0;       // actions run (or, dry, described)
  std::uint64_t failed = 0;
};

class Responder {
 public:
  Responder(std::vector<TriggerConfig> triggers, ResponseConfig response, std::string state_dir);
  ~Responder();
  Responder(const Responder&) = delete;
  Responder& operator=(const Responder&) = delete;

  // Reads the ledger and starts the worker.
  expected<void, std::string> open();
  // Readable when outcomes wait.
  int fd() const { return wake_.get(); }
  // A finding being sent (with its ECS form, which exec actions receive on stdin).
  void offer(const Finding& f, const nlohmann::json& ecs);
  // The outcomes' findings, and what went wrong with the ledger itself.
  Findings take();
  ResponderStats stats() const;
  // Runs what is queued, ends the captures early, and waits for all of it; take() then has
  // every outcome. Called before the responder goes (a stop, a reload).
  void finish();
  std::size_t active_keys() const;

 private:
  struct Job {
    std::string trigger, key;
    std::size_t index = 0;  // of the action in its trigger
    ActionConfig action;
    Finding finding;
    std::string ecs;
  };
  void work();
  void run(const Job& job);
  std::string address_of(const Job& job);
  Finding outcome(const Job& job, bool ok, bool done, const std::string& detail);
  void capture(Job job, std::string address);
  void report(Finding f, const Job& job, const std::string& detail);

  std::vector<TriggerConfig> triggers_;
  ResponseConfig response_;
  std::string state_dir_;
  ActionLedger ledger_;
  UniqueFd wake_;
  std::map<std::string, std::deque<std::int64_t>> recent_;  // trigger → times it ran in the last minute

  mutable std::mutex mutex_;  // guards everything below and the ledger
  std::condition_variable work_ready_;
  std::deque<Job> jobs_;
  Findings outcomes_;
  ResponderStats stats_;
  bool stopping_ = false;
  std::thread worker_;
  struct CaptureThread {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  std::vector<CaptureThread> captures_;  // joined once done, and at the end
  std::atomic<int> captures_running_{0};
  std::atomic<bool> stop_captures_{false};
};

}  // namespace vigil::watch
