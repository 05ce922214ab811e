// YARA over the files written in the drop zones, inside vigil watch.
#include "watch/live_scan.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cstring>
#include <filesystem>

#include "core/root.hpp"
#include "scan/file_scan.hpp"

namespace vigil::watch {

namespace {

constexpr std::size_t kSeenKept = 10'000;
constexpr std::size_t kBatch = 256;

}  // namespace

LiveScan::~LiveScan() {
  {
    std::lock_guard lock(m_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

expected<void, std::string> LiveScan::open(const LiveScanSettings& s, std::vector<std::string>& notes) {
  settings_ = s;
  rules_ = std::make_unique<scan::YaraRules>(scan::YaraRules::load(s.rule_paths, s.cache_dir));
  for (const auto& p : rules_->problems())
    notes.push_back(fmt::format("{}{}: {} (left out)", p.file, p.line ? ":" + std::to_string(p.line) : "", p.message));
  if (rules_->empty()) return make_unexpected("no YARA rule could be loaded");
  std::vector<fim::WatchDir> dirs;
  std::error_code ec;
  for (const auto& p : s.paths.empty() ? scan::default_scan_paths() : s.paths) {
    if (!std::filesystem::is_directory(p, ec)) continue;  // a zone this host does not have (files: their directory is watched elsewhere)
    dirs.push_back({p, true, s.exclude});
  }
  if (dirs.empty()) return make_unexpected("none of the directories to scan exists");
  std::string fallback;
  std::vector<std::string> problems;
  if (auto r = events_.open(dirs, s.events, fallback, problems); !r) return r;
  if (!fallback.empty()) notes.push_back(fallback);
  for (const auto& p : problems) notes.push_back("not watched: " + p);
  done_ = UniqueFd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!done_) return make_unexpected("eventfd: " + std::string(std::strerror(errno)));
  stats_.source = events_.kind();
  stats_.rules = rules_->rule_count();
  stats_.trees = dirs.size();
  worker_ = std::thread([this] { work(); });
  return {};
}

bool LiveScan::excluded(const std::string& path) const {
  for (const auto& e : settings_.exclude)
    if (path == e || (path.starts_with(e) && path.size() > e.size() && path[e.size()] == '/')) return true;
  return false;
}

void LiveScan::read(std::int64_t now_ms) {
  std::vector<std::string> paths;
  bool overflow = false;
  events_.read(paths, overflow);
  std::lock_guard lock(m_);
  stats_.events += paths.size();
  for (auto& p : paths)
    if (!excluded(p)) pending_[std::move(p)] = now_ms + settings_.debounce_ms;
  if (overflow) {
    ++stats_.overflows;
    std::vector<std::string> all;
    for (const auto& p : settings_.paths.empty() ? scan::default_scan_paths() : settings_.paths) all.push_back(p);
    queue_.push_back(std::move(all));
    cv_.notify_one();
  }
}

void LiveScan::tick(std::int64_t now_ms) {
  std::vector<std::string> due;
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (it->second <= now_ms) {
      due.push_back(it->first);
      it = pending_.erase(it);
    } else {
      ++it;
    }
  }
  if (due.empty()) return;
  std::lock_guard lock(m_);
  for (std::size_t i = 0; i < due.size(); i += kBatch)
    queue_.emplace_back(due.begin() + static_cast<std::ptrdiff_t>(i),
                        due.begin() + static_cast<std::ptrdiff_t>(std::min(due.size(), i + kBatch)));
  cv_.notify_one();
}

Findings LiveScan::take() {
  std::uint64_t n = 0;
  while (::read(done_.get(), &n, sizeof n) > 0) {
  }
  std::lock_guard lock(m_);
  return std::exchange(ready_, {});
}

LiveScanStats LiveScan::stats() const {
  std::lock_guard lock(m_);
  return stats_;
}

void LiveScan::work() {
  auto root = Root::open("/");
  for (;;) {
    std::vector<std::string> batch;
    {
      std::unique_lock lock(m_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      batch = std::move(queue_.front());
      queue_.pop_front();
    }
    if (!root) continue;
    scan::FileScanOptions o;
    o.paths = std::move(batch);
    o.jobs = 1;  // a daemon does not take every core
    o.max_size = settings_.max_size;
    o.timeout = settings_.timeout;
    o.exclude = settings_.exclude;
    auto r = scan::scan_files(*root, *rules_, o);
    Findings fresh;
    {
      std::lock_guard lock(m_);
      stats_.scanned += r.files;
      for (auto& f : r.findings) {
        if (f.rule == "collector.partial") continue;  // a file gone before its scan is no news
        auto fp = f.fingerprint() + "|" + f.get("file.size") + "|" + f.get("vigil.yara.strings");
        if (!seen_.insert(fp).second) continue;
        seen_order_.push_back(fp);
        if (seen_order_.size() > kSeenKept) {
          seen_.erase(seen_order_.front());
          seen_order_.pop_front();
        }
        ++stats_.matched;
        ready_.push_back(std::move(f));
      }
      if (ready_.empty()) continue;
    }
    std::uint64_t one = 1;
    (void)!::write(done_.get(), &one, sizeof one);
  }
}

}  // namespace vigil::watch
