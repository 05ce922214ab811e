// The watch loop: wake on a log change, a timer or a signal; read every tail; feed the engine;
// write findings, then the state that says so.
#include "watch/daemon.hpp"

#include <signal.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <memory>
#include <set>
#include <unordered_set>

#include "collect/snapshot.hpp"
#include "core/root.hpp"
#include "core/text.hpp"
#include "core/unique_fd.hpp"
#include "logs/engine.hpp"
#include "logs/inputs.hpp"
#include "logs/rules.hpp"
#include "report/ecs.hpp"
#include "watch/sink.hpp"
#include "watch/state.hpp"
#include "watch/tail.hpp"

namespace vigil::watch {

namespace {

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

struct Followed {
  FileTail tail;
  logs::SourceCursor cursor;
  std::uint64_t generation = 0;  // of the tail the cursor was set up for
};

class Watcher {
 public:
  Watcher(const WatchOptions& o, std::ostream& err) : o_(o), err_(err) {}

  int run() {
    if (!prepare()) return 2;
    UniqueFd ep(::epoll_create1(EPOLL_CLOEXEC));
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGHUP);
    ::sigprocmask(SIG_BLOCK, &mask, nullptr);
    UniqueFd sig(::signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK));
    UniqueFd timer(::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
    UniqueFd notify(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
    if (ep.get() < 0 || sig.get() < 0 || timer.get() < 0 || notify.get() < 0) {
      err_ << "vigil: watch: " << std::strerror(errno) << "\n";
      return 2;
    }
    // Changes in the logs' directories wake the loop at once; the timer catches the rest
    // (a directory that appears later, a file system without inotify) and drives flush().
    std::set<std::string> dirs;
    for (const auto& f : followed_) dirs.insert(dirname_of(f->tail.path()));
    for (const auto& d : dirs)
      ::inotify_add_watch(notify.get(), d.c_str(), IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE);
    itimerspec every{};
    every.it_interval.tv_nsec = every.it_value.tv_nsec = 250'000'000;
    ::timerfd_settime(timer.get(), 0, &every, nullptr);
    for (int fd : {sig.get(), timer.get(), notify.get()}) {
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.fd = fd;
      ::epoll_ctl(ep.get(), EPOLL_CTL_ADD, fd, &ev);
    }
    step(true);
    for (;;) {
      epoll_event events[8];
      int n = ::epoll_wait(ep.get(), events, 8, -1);
      if (n < 0 && errno != EINTR) break;
      bool stop = false;
      for (int i = 0; i < n; ++i) {
        int fd = events[i].data.fd;
        char drain[4096];
        if (fd == sig.get()) {
          signalfd_siginfo si{};
          while (::read(sig.get(), &si, sizeof si) == sizeof si)
            if (si.ssi_signo == SIGINT || si.ssi_signo == SIGTERM) stop = true;
        } else {
          while (::read(fd, drain, sizeof drain) > 0) {
          }
        }
      }
      step(false);
      if (stop) break;
    }
    save();
    return failed_ ? 2 : 0;
  }

 private:
  bool prepare() {
    if (o_.logs.empty()) {
      err_ << "vigil: watch: no log to follow (--log PATH)\n";
      return false;
    }
    ::mkdir(o_.state_dir.c_str(), 0700);
    struct stat st{};
    if (::stat(o_.state_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      err_ << "vigil: watch: state directory " << o_.state_dir << ": " << std::strerror(errno) << "\n";
      return false;
    }
    state_path_ = o_.state_dir + "/watch.state";
    auto state = load_state(state_path_);
    if (!state) {
      err_ << "vigil: watch: " << state.error() << "\n";
      return false;
    }
    rules_ = std::make_unique<logs::LogRules>(logs::load_log_rules(o_.rule_paths));
    for (const auto& p : rules_->problems) err_ << "vigil: watch: rules: " << p.file << ": " << p.reason << "\n";
    logs::EngineOptions eo;
    eo.idle_close = o_.idle_close;
    engine_ = std::make_unique<logs::LogEngine>(*rules_, eo);
    engine_->on_event([this](const Finding& f) { pending_.push_back(f); });
    if (!state->engine.empty())
      if (auto r = engine_->restore(state->engine); !r)
        err_ << "vigil: watch: " << state_path_ << ": engine state not restored (" << r.error() << "); starting afresh\n";
    for (const auto& path : o_.logs) {
      auto f = std::make_unique<Followed>(Followed{FileTail(path, o_.from_start), {}});
      for (const auto& t : state->tails)
        if (t.path == path) f->tail.resume(t);
      followed_.push_back(std::move(f));
    }
    for (auto& k : state->emitted) remember(std::move(k));
    auto sink = JsonlFileSink::open(o_.output.empty() ? o_.state_dir + "/findings.jsonl" : o_.output);
    if (!sink) {
      err_ << "vigil: watch: " << sink.error() << "\n";
      return false;
    }
    sink_ = std::make_unique<JsonlFileSink>(std::move(*sink));
    // Findings written just before a crash the state did not record yet.
    for (auto& k : sink_->recent_keys()) remember(std::move(k));
    if (auto root = Root::open("/")) host_ = collect::collect_host_info(*root);
    return true;
  }

  void remember(std::string key) {
    if (!emitted_set_.insert(key).second) return;
    emitted_.push_back(std::move(key));
    while (emitted_.size() > kEmittedKept) {
      emitted_set_.erase(emitted_.front());
      emitted_.pop_front();
    }
  }

  // One wake: read every log, feed the engine, flush on schedule, write what was found, and
  // save the state when anything moved.
  void step(bool first) {
    std::uint64_t lines = 0;
    for (auto& f : followed_) {
      f->tail.poll(
          [&](std::string_view line, std::uint64_t number) {
            if (f->tail.generation() != f->generation) {
              f->generation = f->tail.generation();
              f->cursor = {};
              f->cursor.detect(f->tail.sample());
              f->cursor.year = logs::year_reference(std::time(nullptr));
            }
            f->cursor.next_line = number;
            engine_->feed(f->cursor, line, f->tail.path());
            ++lines;
          },
          [&](const std::string& what) { err_ << "vigil: watch: " << what << "\n"; });
    }
    auto now = std::chrono::steady_clock::now();
    if (first || now - last_flush_ >= std::chrono::milliseconds(o_.flush_ms)) {
      last_flush_ = now;
      auto closed = engine_->flush(now_seconds());
      pending_.insert(pending_.end(), std::make_move_iterator(closed.begin()), std::make_move_iterator(closed.end()));
    }
    bool wrote = emit();
    if (first || lines > 0 || wrote) save();  // the first save says: following now
  }

  bool emit() {
    if (pending_.empty()) return false;
    std::vector<nlohmann::json> out;
    for (const auto& f : pending_) {
      auto j = report::finding_to_ecs(f, host_);
      auto key = finding_key(j);
      if (emitted_set_.contains(key)) continue;  // written before a restart
      out.push_back(std::move(j));
      remember(std::move(key));
    }
    pending_.clear();
    if (out.empty()) return false;
    if (auto r = sink_->write(out); !r) {
      err_ << "vigil: watch: " << r.error() << "\n";
      failed_ = true;
    }
    return true;
  }

  void save() {
    WatchState s;
    for (const auto& f : followed_) s.tails.push_back(f->tail.position());
    s.engine = engine_->save();
    s.emitted = emitted_;
    if (auto r = save_state(state_path_, s); !r) err_ << "vigil: watch: " << r.error() << "\n";
  }

  const WatchOptions& o_;
  std::ostream& err_;
  std::string state_path_;
  std::unique_ptr<logs::LogRules> rules_;
  std::unique_ptr<logs::LogEngine> engine_;
  std::vector<std::unique_ptr<Followed>> followed_;
  std::unique_ptr<JsonlFileSink> sink_;
  collect::HostInfo host_;
  Findings pending_;
  std::deque<std::string> emitted_;
  std::unordered_set<std::string> emitted_set_;
  std::chrono::steady_clock::time_point last_flush_{};
  bool failed_ = false;
};

}  // namespace

int run_watch(const WatchOptions& options, std::ostream& err) { return Watcher(options, err).run(); }

}  // namespace vigil::watch
