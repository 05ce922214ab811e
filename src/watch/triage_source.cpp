#include "watch/triage_source.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <chrono>
#include <ctime>

#include "core/root.hpp"
#include "detect/detectors.hpp"
#include "detect/snapshot_diff.hpp"

namespace vigil::watch {

collect::CollectOptions quick_options(collect::CollectOptions base) {
  base.rootkit.port_probe = false;
  base.files.walk = false;
  base.files.verify = collect::VerifyScope::none;
  return base;
}

PeriodicTriage::PeriodicTriage(TriageSettings settings, collect::CollectOptions base, std::vector<std::string> seen)
    : settings_(settings), base_(std::move(base)), event_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  base_.threads = 1;  // a daemon does not take every core for a periodic look
  for (auto& s : seen) {
    if (seen_.insert(s).second) seen_order_.push_back(std::move(s));
  }
  worker_ = std::thread([this] { work(); });
}

PeriodicTriage::~PeriodicTriage() {
  {
    std::lock_guard lock(m_);
    stopping_ = true;
  }
  cv_.notify_all();
  worker_.join();
}

void PeriodicTriage::tick(std::int64_t now_ms) {
  std::lock_guard lock(m_);
  if (running_ || request_) return;
  // The first quick run is at once (the baseline the next ones are diffed with); the first
  // full run, which costs about a second of CPU, waits its interval unless it is the only kind.
  if (next_full_ == 0 && settings_.quick_ms > 0) next_full_ = now_ms + settings_.full_ms;
  bool full = settings_.full_ms > 0 && now_ms >= next_full_;
  bool quick = settings_.quick_ms > 0 && now_ms >= next_quick_;
  if (!full && !quick) return;
  if (full) {
    next_full_ = now_ms + settings_.full_ms;
    if (settings_.quick_ms > 0) next_quick_ = now_ms + settings_.quick_ms;  // a full run covers the quick one
  } else {
    next_quick_ = now_ms + settings_.quick_ms;
  }
  request_ = !full;
  cv_.notify_all();
}

Findings PeriodicTriage::take() {
  std::uint64_t n = 0;
  (void)!::read(event_.get(), &n, sizeof n);
  std::lock_guard lock(m_);
  return std::exchange(ready_, {});
}

TriageStatus PeriodicTriage::status() const {
  std::lock_guard lock(m_);
  return status_;
}

std::vector<std::string> PeriodicTriage::seen() const {
  std::lock_guard lock(m_);
  return {seen_order_.begin(), seen_order_.end()};
}

void PeriodicTriage::work() {
  for (;;) {
    bool quick = false;
    {
      std::unique_lock lock(m_);
      cv_.wait(lock, [&] { return stopping_ || request_.has_value(); });
      if (stopping_) return;
      quick = *request_;
      request_.reset();
      running_ = true;
    }
    auto t0 = std::chrono::steady_clock::now();
    Findings found;
    if (auto root = Root::open("/")) {
      auto snapshot = collect::collect_snapshot(*root, quick ? quick_options(base_) : base_);
      found = judge(std::move(snapshot), quick);
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    {
      std::lock_guard lock(m_);
      running_ = false;
      ready_.insert(ready_.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
      ++status_.runs;
      status_.last_seconds = seconds;
      status_.last_run = static_cast<std::int64_t>(std::time(nullptr));
      status_.last_kind = quick ? "quick" : "full";
    }
    std::uint64_t one = 1;
    (void)!::write(event_.get(), &one, sizeof one);
  }
}

Findings PeriodicTriage::judge(collect::Snapshot snapshot, bool quick) {
  detect::Context ctx;
  ctx.now = snapshot.host.collected_at;
  Findings candidates;
  for (auto& f : detect::run_triage(snapshot, ctx))
    if (f.severity >= settings_.detector_floor) candidates.push_back(std::move(f));
  auto listener_key = [](std::string_view protocol, std::string_view address, std::string_view port) {
    return std::string(protocol) + "|" + std::string(address) + "|" + std::string(port);
  };
  // Last run's ownerless new listeners: still there and still ownerless, they are reported now.
  for (auto& [key, f] : std::exchange(deferred_, {}))
    for (const auto& s : snapshot.sockets)
      if (s.listening() && s.pid < 0 && listener_key(s.protocol, s.local_address, std::to_string(s.local_port)) == key) {
        candidates.push_back(std::move(f));
        break;
      }
  auto& previous = quick ? previous_quick_ : previous_full_;
  if (previous) {
    auto diff = detect::diff_snapshots(*previous, snapshot);
    for (auto& f : diff.findings) {
      if (f.severity < settings_.change_floor || f.rule.ends_with("-removed")) continue;
      if (f.rule == "change.listener-added" && f.get("process.executable").empty()) {
        deferred_[listener_key(f.get("network.transport"), f.get("destination.ip"), f.get("destination.port"))] = f;
        continue;
      }
      candidates.push_back(std::move(f));
    }
  }
  previous = std::move(snapshot);
  Findings fresh;
  std::lock_guard lock(m_);
  for (auto& f : candidates) {
    auto fp = f.fingerprint();
    if (!seen_.insert(fp).second) continue;  // reported once per fingerprint
    seen_order_.push_back(fp);
    while (seen_order_.size() > kKept) {
      seen_.erase(seen_order_.front());
      seen_order_.pop_front();
    }
    fresh.push_back(std::move(f));
  }
  return fresh;
}

}  // namespace vigil::watch
