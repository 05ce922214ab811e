// What the vigil watch end-to-end tests share: a daemon started on a temp dir, auth.log
// failures written as sshd writes them, and the findings it wrote.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "e2e/vigil_run.hpp"
#include "support/temp_dir.hpp"

namespace vigil::testing {

// vigil watch on DIR/auth.log (or `args` after "watch"), state in DIR/state, findings in
// DIR/out.jsonl, its stderr in DIR/err.txt.
class WatchDaemon {
 public:
  explicit WatchDaemon(const TempDir& d, std::vector<std::string> args = {}) {
    err_ = ::open((d / "err.txt").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (args.empty()) args = {"--log", d / "auth.log", "--state-dir", d / "state", "--output", d / "out.jsonl"};
    args.insert(args.begin(), {"vigil", "watch"});
    p_ = std::make_unique<Planted>(VIGIL_BINARY, std::move(args), err_);
  }
  // A command other than vigil (a wrapper such as unshare or setpriv) running vigil watch.
  WatchDaemon(const TempDir& d, const std::string& path, std::vector<std::string> argv) {
    err_ = ::open((d / "err.txt").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    p_ = std::make_unique<Planted>(path, std::move(argv), err_);
  }
  ~WatchDaemon() { ::close(err_); }
  void kill9() { p_.reset(); }
  int stop(int sig, double seconds = 10) { return p_->stop(sig, seconds); }
  pid_t pid() const { return p_ ? p_->pid() : -1; }
  bool alive() const { return p_ && p_->alive(); }

 private:
  int err_ = -1;
  std::unique_ptr<Planted> p_;
};

inline std::string syslog_now() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%b %e %H:%M:%S", std::localtime(&t));
  return buf;
}

inline void failure(const TempDir& d, int n, const std::string& file = "auth.log",
                    const std::string& ip = "198.51.100.7") {
  std::ofstream(d / file, std::ios::app) << syslog_now() << " web1 sshd[" << 4000 + n
                                         << "]: Failed password for root from " << ip << " port " << 50000 + n
                                         << " ssh2\n";
}

// The findings of `rule` in DIR/out.jsonl (or `file`).
inline std::vector<nlohmann::json> written(const TempDir& d, const std::string& rule,
                                           const std::string& file = "out.jsonl") {
  std::vector<nlohmann::json> out;
  for (const auto& f : parse_jsonl(slurp(d / file)))
    if (f["rule"]["id"] == rule) out.push_back(f);
  return out;
}

// Shell functions for the scripts the live tests run in a mount namespace (D: the test's
// directory, V: the vigil binary): start_watch runs the daemon on D/w.yaml and waits for its
// first status; reported NAME waits up to 5 s for a finding naming NAME in D/out.jsonl and
// appends "NAME milliseconds" to D/elapsed.
inline constexpr std::string_view kWatchShellFunctions = R"SH(
start_watch() {
  "$V" watch --config "$D/w.yaml" 2>> "$D/err.txt" &
  W=$!
  i=0; while [ ! -f "$D/state/status.json" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
  sleep 0.3
}
ms() { echo $(( $(date +%s%N) / 1000000 )); }
reported() {
  start=$(ms)
  while ! grep -q "$1" "$D/out.jsonl" 2>/dev/null; do
    sleep 0.02
    [ $(( $(ms) - start )) -gt 5000 ] && break
  done
  echo "$1 $(( $(ms) - start ))" >> "$D/elapsed"
}
)SH";

// Started, and following (its first state is written once the logs are open).
inline bool watch_started(const TempDir& d, const std::string& state = "state") {
  return wait_for([&] { return std::filesystem::exists(d / (state + "/watch.state")); });
}

}  // namespace vigil::testing
