// The watch loop: wake on a log change, a journal entry, a timer or a signal; read every
// source; feed the engine; send findings to the sinks, then save the state that says so.
#include "watch/daemon.hpp"

#include <malloc.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <deque>
#include <filesystem>
#include <memory>
#include <set>
#include <unordered_set>

#include <fmt/format.h>

#include "collect/snapshot.hpp"
#include "core/root.hpp"
#include "core/host_files.hpp"
#include "core/rule_catalog.hpp"
#include "core/suppressions_file.hpp"
#include "core/time_format.hpp"
#include "core/unique_fd.hpp"
#include "logs/engine.hpp"
#include "logs/rules.hpp"
#include "report/ecs.hpp"
#include "watch/limits.hpp"
#include "watch/sink.hpp"
#include "watch/sources.hpp"
#include "watch/spooled_sink.hpp"
#include "watch/state.hpp"
#include "watch/status.hpp"
#include "watch/live_fim.hpp"
#include "watch/live_scan.hpp"
#include "watch/self_finding.hpp"
#include "watch/event_recorder.hpp"
#include "watch/process_events.hpp"
#include "watch/responder.hpp"
#include "watch/triage_source.hpp"

namespace vigil::watch {

namespace {

constexpr std::string_view kSource = "watch";
constexpr std::int64_t kDrainMs = 4000;  // of the 5 s a SIGTERM allows
constexpr std::int64_t kSaveEveryMs = 1000;

// A config with its rules loaded and the rule ids it names checked.
struct Prepared {
  WatchConfig config;
  std::unique_ptr<logs::LogRules> rules;
  std::set<std::string> disabled;  // finding rule ids
  std::vector<Suppression> suppressions;
  std::vector<std::string> warnings;
};

expected<Prepared, std::vector<ConfigError>> prepare(const ConfigLoader& load) {
  auto config = load();
  if (!config) return make_unexpected(std::move(config.error()));
  Prepared p;
  p.config = std::move(*config);
  p.rules = std::make_unique<logs::LogRules>(logs::load_log_rules(p.config.rule_paths));
  for (const auto& problem : p.rules->problems) p.warnings.push_back("rules: " + problem.file + ": " + problem.reason);
  std::vector<ConfigError> errors;
  if (!p.config.web_profile.empty()) {
    auto profile = logs::load_profile(p.config.web_profile);
    if (!profile) errors.push_back({p.config.file, p.config.web_profile_mark, "rules.web_profile: " + profile.error()});
    else p.rules->profile = std::make_shared<const logs::WebProfile>(std::move(*profile));
  }
  for (const auto& [id, mark] : p.config.disabled_rules) {
    std::string found;
    for (const auto& m : p.rules->loaded)
      if (m.finding_id == id || m.id == id || m.name == id) found = m.finding_id;
    for (auto b : logs::builtin_rule_ids())
      if (b == id) found = id;
    for (const auto& r : rule_catalog())
      if (r.id == id) found = id;
    if (found.empty())
      errors.push_back({p.config.file, mark,
                        fmt::format("rules.disable: no rule '{}' is loaded (`vigil logs rules` lists them)", id)});
    else
      p.disabled.insert(found);
  }
  if (p.config.suppressions != "none") {
    auto loaded = load_suppressions(p.config.suppressions, false);
    if (!loaded) errors.push_back({p.config.file, p.config.suppressions_mark, "suppressions: " + loaded.error()});
    else p.suppressions = std::move(*loaded);
  }
  if (!errors.empty()) return make_unexpected(std::move(errors));
  return p;
}

void print_errors(const std::vector<ConfigError>& errors, std::ostream& err) {
  for (const auto& e : errors) err << "vigil: watch: " << format_error(e) << "\n";
}

std::int64_t now_seconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

class Watcher {
 public:
  Watcher(const ConfigLoader& load, std::ostream& err) : load_(load), err_(err) {}

  int run() {
    auto prepared = prepare(load_);
    if (!prepared) {
      print_errors(prepared.error(), err_);
      return 2;
    }
    for (const auto& w : prepared->warnings) note(w);
    if (!start(std::move(*prepared))) return 2;
    sigset_t mask;
    sigemptyset(&mask);
    for (int s : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&mask, s);
    ::sigprocmask(SIG_BLOCK, &mask, nullptr);
    UniqueFd sig(::signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK));
    UniqueFd timer(::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
    notify_ = UniqueFd(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
    ep_ = UniqueFd(::epoll_create1(EPOLL_CLOEXEC));
    if (ep_.get() < 0 || sig.get() < 0 || timer.get() < 0 || notify_.get() < 0) {
      err_ << "vigil: watch: " << std::strerror(errno) << "\n";
      return 2;
    }
    // Changes in the logs' directories and new journal entries wake the loop at once; the
    // timer catches the rest (a directory that appears later, a file system without inotify)
    // and drives flush, delivery, status and the watchdog.
    itimerspec every{};
    every.it_interval.tv_nsec = every.it_value.tv_nsec = 250'000'000;
    ::timerfd_settime(timer.get(), 0, &every, nullptr);
    for (int fd : {sig.get(), timer.get(), notify_.get()}) watch_fd(fd);
    watch_sources();
    start_triage(state_triage_seen_);
    start_process_events();
    start_fim();
    start_scan();
    start_responder();
    step(true);
    housekeeping();
    sd_notify(0, "READY=1\nSTATUS=following logs");
    bool stop = false;
    while (!stop) {
      epoll_event events[8];
      int n = ::epoll_wait(ep_.get(), events, 8, -1);
      if (n < 0 && errno != EINTR) break;
      bool reload = false;
      for (int i = 0; i < n; ++i) {
        int fd = events[i].data.fd;
        if (fd == sig.get()) {
          signalfd_siginfo si{};
          while (::read(sig.get(), &si, sizeof si) == sizeof si) {
            if (si.ssi_signo == SIGHUP) reload = true;
            else stop = true;
          }
        } else if (fd == journal_fd_) {
          sources_->journal_woke();
        } else if (processes_ && fd == processes_->fd()) {
          auto found = processes_->read();
          pending_.insert(pending_.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
        } else if (fim_ && fd == fim_->fd()) {
          take(fim_->read());
        } else if (scan_ && fd == scan_->events_fd()) {
          scan_->read(monotonic_ms());
        } else if (scan_ && fd == scan_->results_fd()) {
          take(scan_->take());
        } else if (responder_ && fd == responder_->fd()) {
          take(responder_->take());
        } else if (triage_ && fd == triage_->fd()) {
          auto found = triage_->take();
          pending_.insert(pending_.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
        } else if (fd == notify_.get() || fd == timer.get()) {
          char drain[4096];
          while (::read(fd, drain, sizeof drain) > 0) {
          }
          if (fd == timer.get() && processes_) take(processes_->tick());
          if (fd == timer.get()) record_events(false);
          if (fd == timer.get() && fim_) {
            take(fim_->tick());
            for (const auto& p : fim_->take_problems()) note("file integrity: not watched: " + p);
          }
          if (fd == timer.get() && scan_) {
            scan_->tick(monotonic_ms());
            for (const auto& p : scan_->take_problems()) note("YARA scan: not watched: " + p);
          }
        }
      }
      if (reload) this->reload();
      step(false);
      if (monotonic_ms() - last_housekeeping_ >= 1000) housekeeping();
    }
    sd_notify(0, "STOPPING=1");
    record_events(true);
    stop_responder();
    emit();
    save();
    std::int64_t deadline = monotonic_ms() + kDrainMs;
    for (auto& s : sinks_) s->drain(deadline);
    save();
    write_status(config_.state_dir, status());
    return 0;
  }

 private:
  void note(const std::string& what) {
    err_ << "vigil: watch: " << what << "\n";
    messages_.push_back(iso8601(now_seconds()) + " " + what);
    while (messages_.size() > 20) messages_.pop_front();
  }

  void watch_fd(int fd) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    ::epoll_ctl(ep_.get(), EPOLL_CTL_ADD, fd, &ev);
  }

  void watch_sources() {
    for (const auto& d : sources_->directories())
      ::inotify_add_watch(notify_.get(), d.c_str(), IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE);
    journal_fd_ = sources_->journal_fd();
    if (journal_fd_ >= 0) watch_fd(journal_fd_);
  }

  expected<std::vector<std::unique_ptr<Sink>>, std::string> open_sinks(const WatchConfig& c,
                                                                       const std::map<std::string, Spool::Mark>& marks) {
    std::vector<std::unique_ptr<Sink>> out;
    for (const auto& sc : c.sinks) {
      auto s = make_sink(sc, c.state_dir);
      if (!s) return make_unexpected(s.error());
      if (auto m = marks.find(sc.name); m != marks.end()) (*s)->restore(m->second);
      out.push_back(std::move(*s));
    }
    return out;
  }

  bool start(Prepared p) {
    config_ = std::move(p.config);
    std::error_code ec;
    std::filesystem::create_directories(config_.state_dir, ec);
    if (!std::filesystem::is_directory(config_.state_dir, ec)) {
      err_ << "vigil: watch: state directory " << config_.state_dir << ": cannot be created\n";
      return false;
    }
    auto lock = lock_state_dir(config_.state_dir);
    if (!lock) {
      err_ << "vigil: watch: " << lock.error() << "\n";
      return false;
    }
    lock_ = std::move(*lock);
    state_path_ = config_.state_dir + "/watch.state";
    auto state = load_state(state_path_);
    if (!state) {
      err_ << "vigil: watch: " << state.error() << "\n";
      return false;
    }
    rules_ = std::move(p.rules);
    disabled_ = std::move(p.disabled);
    suppressions_ = std::move(p.suppressions);
    make_engine(state->engine);
    sources_ = std::make_unique<Sources>(config_.logs, config_.from_start, *state);
    auto sinks = open_sinks(config_, state->spools);
    if (!sinks) {
      err_ << "vigil: watch: " << sinks.error() << "\n";
      return false;
    }
    sinks_ = std::move(*sinks);
    for (auto& k : state->emitted) remember(std::move(k));
    state_triage_seen_ = std::move(state->triage_seen);
    // Findings sent just before a crash the state did not record yet.
    for (const auto& s : sinks_)
      for (auto& k : s->recent_keys()) remember(std::move(k));
    if (auto root = Root::open("/")) host_ = collect::collect_host_info(*root);
    monitor_.set_limits(config_.rss_limit, config_.cpu_limit);
    started_ = now_seconds();
    return true;
  }

  void make_engine(std::string_view blob) {
    logs::EngineOptions eo;
    eo.idle_close = config_.idle_close_ms / 1000;
    engine_ = std::make_unique<logs::LogEngine>(*rules_, eo);
    engine_->on_event([this](const Finding& f) { pending_.push_back(f); });
    if (!blob.empty())
      if (auto r = engine_->restore(blob); !r)
        note(state_path_ + ": engine state not restored (" + std::string(r.error()) + "); starting afresh");
  }

  // SIGHUP: the new config replaces the old one only when it has no error.
  void reload() {
    sd_notify(0, "RELOADING=1");
    auto next = prepare(load_);
    std::string why;
    if (!next) {
      for (const auto& e : next.error()) why += (why.empty() ? "" : "; ") + format_error(e);
    } else if (next->config.state_dir != config_.state_dir) {
      why = "state_dir cannot change while running (restart vigil watch)";
    }
    if (!why.empty()) {
      note("new config refused, the old one stays: " + why);
      pending_.push_back(self_finding("watch.config-rejected", Severity::info, why));
      sd_notify(0, "READY=1");
      return;
    }
    for (const auto& w : next->warnings) note(w);
    WatchState now;
    sources_->save(now);
    for (const auto& s : sinks_) now.spools[s->config().name] = s->progress();
    auto blob = engine_->save();
    if (journal_fd_ >= 0) ::epoll_ctl(ep_.get(), EPOLL_CTL_DEL, journal_fd_, nullptr);
    sinks_.clear();
    config_ = std::move(next->config);
    rules_ = std::move(next->rules);
    if (processes_) processes_->set_rules(rules_.get());
    disabled_ = std::move(next->disabled);
    suppressions_ = std::move(next->suppressions);
    make_engine(blob);
    sources_ = std::make_unique<Sources>(config_.logs, false, now);
    auto sinks = open_sinks(config_, now.spools);
    if (!sinks) {
      note("after reload: " + sinks.error() + "; findings go to the JSONL file in the state directory");
      SinkConfig fallback;
      sinks_.clear();
      if (auto s = make_sink(fallback, config_.state_dir)) sinks_.push_back(std::move(*s));
    } else {
      sinks_ = std::move(*sinks);
    }
    monitor_.set_limits(config_.rss_limit, config_.cpu_limit);
    watch_sources();
    if (!triage_ || triage_settings_.quick_ms != config_.triage_quick_ms || triage_settings_.full_ms != config_.triage_full_ms) {
      auto seen = triage_ ? triage_->seen() : std::vector<std::string>{};
      if (triage_) ::epoll_ctl(ep_.get(), EPOLL_CTL_DEL, triage_->fd(), nullptr);
      triage_.reset();
      start_triage(std::move(seen));
    }
    if (config_.fim != fim_mode_) {
      if (fim_) ::epoll_ctl(ep_.get(), EPOLL_CTL_DEL, fim_->fd(), nullptr);
      fim_.reset();
      start_fim();
    }
    if (config_.scan != scan_mode_) {
      if (scan_)
        for (int fd : {scan_->events_fd(), scan_->results_fd()}) ::epoll_ctl(ep_.get(), EPOLL_CTL_DEL, fd, nullptr);
      scan_.reset();
      start_scan();
    }
    if (config_.processes != processes_mode_ || config_.events != events_mode_) {
      if (processes_) ::epoll_ctl(ep_.get(), EPOLL_CTL_DEL, processes_->fd(), nullptr);
      processes_.reset();
      record_events(true);
      events_.reset();
      start_process_events();
    }
    stop_responder();
    start_responder();
    note("config reloaded" + (config_.file.empty() ? std::string() : " from " + config_.file));
    sd_notify(0, "READY=1");
  }

  void start_process_events() {
    processes_mode_ = config_.processes;
    if (config_.processes == "off") return;
    processes_ = std::make_unique<ProcessEvents>();
    std::string fallback;
    auto opened = processes_->open(config_.processes, fallback);
    if (!fallback.empty() && opened) {
      // Chosen at start and said: audit records and the proc connector give execs, no connections.
      const auto& source = processes_->stats().source;
      note("process events from " + source + ": " + fallback);
      auto f = self_finding("watch.source-problem", Severity::info,
                            "Process events come from " + (source == "audit" ? "the audit subsystem's records" : "the " + source) +
                                " (no connection events): " + fallback + ".");
      f.add("event.reason", std::string("fallback"));
      pending_.push_back(std::move(f));
    }
    if (!opened) {
      note("process events off: " + opened.error());
      source_unavailable("Process events: " + opened.error());
      processes_.reset();
      return;
    }
    processes_->set_rules(rules_.get());
    start_events();
    processes_->set_recorder(events_.get());
    watch_fd(processes_->fd());
  }

  // A source that could not be opened: an info finding, the rest keeps running.
  void source_unavailable(const std::string& why) {
    auto f = self_finding("watch.source-problem", Severity::info, why + ".");
    f.add("event.reason", std::string("unavailable"));
    pending_.push_back(std::move(f));
  }

  void take(Findings found) {
    pending_.insert(pending_.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  }

  // Live file integrity: `auto` watches the default baseline when the store has one and says
  // nothing otherwise; a configured one that cannot be opened is a finding.
  void start_fim() {
    fim_mode_ = config_.fim;
    if (config_.fim.mode == "off") return;
    std::error_code ec;
    if (config_.fim.mode == "auto" && !std::filesystem::exists(config_.fim.store, ec)) return;
    LiveFimSettings s{config_.fim.store, config_.fim.baseline, config_.fim.key, config_.fim.events,
                      config_.fim.debounce_ms};
    fim_ = std::make_unique<LiveFim>();
    std::vector<std::string> notes;
    auto opened = fim_->open(s, notes);
    for (const auto& n : notes) note("file integrity: " + n);
    if (!opened) {
      note("file integrity off: " + opened.error());
      if (auto forged = fim_->take_refusal()) pending_.push_back(std::move(*forged));
      fim_.reset();
      if (config_.fim.mode == "auto" && opened.error().find("no fim baseline") != std::string::npos) return;
      source_unavailable("File integrity: " + opened.error());
      return;
    }
    watch_fd(fim_->fd());
  }

  // YARA over the drop zones: rules compiled once (cached in the state directory), files
  // scanned on a worker thread as they are written.
  void start_scan() {
    scan_mode_ = config_.scan;
    if (config_.scan.mode != "on") return;
    LiveScanSettings s;
    s.paths = config_.scan.paths;
    if (config_.scan.builtin) s.rule_paths.push_back(default_rules_dir() + "/yara");
    s.rule_paths.insert(s.rule_paths.end(), config_.scan.rules.begin(), config_.scan.rules.end());
    s.cache_dir = config_.state_dir + "/yara";
    s.max_size = static_cast<std::uint64_t>(config_.scan.max_size);
    s.debounce_ms = config_.scan.debounce_ms;
    s.events = config_.scan.events;
    s.exclude = {config_.state_dir};  // its compiled rules hold every string the rules look for
    scan_ = std::make_unique<LiveScan>();
    std::vector<std::string> notes;
    auto opened = scan_->open(s, notes);
    for (const auto& n : notes) note("YARA scan: " + n);
    if (!opened) {
      note("YARA scan off: " + opened.error());
      scan_.reset();
      source_unavailable("YARA scan: " + opened.error());
      return;
    }
    watch_fd(scan_->events_fd());
    watch_fd(scan_->results_fd());
  }

  void start_triage(std::vector<std::string> seen) {
    triage_settings_.quick_ms = config_.triage_quick_ms;
    triage_settings_.full_ms = config_.triage_full_ms;
    if (triage_settings_.quick_ms == 0 && triage_settings_.full_ms == 0) return;
    auto base = collect::base_collect_options(default_rules_dir());
    if (!base) {
      note("periodic triage off: " + base.error());
      return;
    }
    triage_ = std::make_unique<PeriodicTriage>(triage_settings_, std::move(*base), std::move(seen));
    watch_fd(triage_->fd());
  }

  void remember(std::string key) {
    if (!emitted_set_.insert(key).second) return;
    emitted_.push_back(std::move(key));
    while (emitted_.size() > kEmittedKept) {
      emitted_set_.erase(emitted_.front());
      emitted_.pop_front();
    }
  }

  // One wake: read every source (within the budget when slowed down), feed the engine, flush
  // on schedule, send what was found, and save the state when anything moved.
  void step(bool first) {
    std::uint64_t budget = shedding_ ? (budget_left_ > 0 ? budget_left_ : 0) : UINT64_MAX;
    std::uint64_t bytes = 0;
    std::uint64_t lines = 0;
    if (budget > 0)
      lines = sources_->poll(
          [&](logs::SourceCursor& cursor, std::string_view line, const std::string& path) {
            bytes += line.size() + 1;
            engine_->feed(cursor, line, path);
          },
          [&](Finding f) { pending_.push_back(std::move(f)); }, [&](const std::string& what) { note(what); }, budget);
    lines_ += lines;
    bytes_second_ += bytes;
    if (shedding_) budget_left_ -= std::min(budget_left_, bytes);
    auto now = std::chrono::steady_clock::now();
    if (first || now - last_flush_ >= std::chrono::milliseconds(config_.flush_ms)) {
      last_flush_ = now;
      auto closed = engine_->flush(now_seconds());
      pending_.insert(pending_.end(), std::make_move_iterator(closed.begin()), std::make_move_iterator(closed.end()));
    }
    bool wrote = emit();
    bool moved = false;
    for (auto& s : sinks_) {
      auto before = s->progress();
      s->pump();
      auto after = s->progress();
      moved = moved || before.ino != after.ino || before.delivered != after.delivered;
    }
    sink_health();
    // Saved at most once a second under load: a crash replays the lines read since from the
    // saved positions into the saved windows (consistent), and the keys read back from the
    // sinks keep what was already sent from going out twice.
    dirty_ = dirty_ || first || lines > 0 || wrote || moved;
    if (dirty_ && (first || monotonic_ms() - last_save_ >= kSaveEveryMs)) save();
  }

  // A sink that went down, or dropped findings, is said through the others (and itself,
  // once it is back).
  void sink_health() {
    for (auto& s : sinks_) {
      const auto& st = s->stats();
      auto [it, fresh] = sink_up_.try_emplace(s->config().name, true);
      bool& was_up = it->second;
      if (was_up && !st.up) {
        auto f = self_finding("watch.sink-down", Severity::info, "Sink " + s->config().name + ": " + st.last_error + ".");
        f.add("vigil.sink", s->config().name);
        f.identity.push_back("vigil.sink");
        pending_.push_back(std::move(f));
      }
      was_up = st.up;
      if (auto dropped = s->take_new_drops()) {
        auto f = self_finding("watch.sink-dropped", Severity::info,
                              fmt::format("Sink {}: {} findings dropped.", s->config().name, dropped));
        f.add("vigil.sink", s->config().name);
        f.add("vigil.dropped", static_cast<std::int64_t>(dropped));
        f.identity.push_back("vigil.sink");
        pending_.push_back(std::move(f));
      }
    }
  }

  bool emit() {
    if (pending_.empty()) return false;
    std::vector<std::pair<Severity, nlohmann::json>> out;
    host_.collected_at = now_seconds();
    suppressed_ += apply_suppressions(suppressions_, pending_);
    for (const auto& f : pending_) {
      if (disabled_.contains(f.rule)) {
        ++suppressed_;
        continue;
      }
      auto j = report::finding_to_ecs(f, host_);
      auto key = finding_key(j);
      if (emitted_set_.contains(key)) continue;  // sent before a restart
      if (responder_) responder_->offer(f, j);
      out.emplace_back(f.severity, std::move(j));
      remember(std::move(key));
    }
    pending_.clear();
    if (out.empty()) return false;
    findings_ += out.size();
    for (auto& s : sinks_) {
      std::vector<nlohmann::json> selected;
      for (const auto& [severity, j] : out)
        if (severity >= s->config().min_severity) selected.push_back(j);
      if (selected.empty()) continue;
      if (auto r = s->accept(selected); !r) note("sink " + s->config().name + ": " + r.error());
    }
    return true;
  }

  void save() {
    dirty_ = false;
    last_save_ = monotonic_ms();
    WatchState s;
    sources_->save(s);
    s.engine = engine_->save();
    s.emitted = emitted_;
    for (const auto& k : sinks_) s.spools[k->config().name] = k->progress();
    s.triage_seen = triage_ ? triage_->seen() : state_triage_seen_;
    if (auto r = save_state(state_path_, s); !r) {
      if (!save_failing_) {
        note(r.error());
        pending_.push_back(self_finding("watch.state-unsaved", Severity::medium, r.error()));
      }
      save_failing_ = true;
      return;
    }
    save_failing_ = false;
    bool again = false;
    for (auto& k : sinks_) again = k->committed() || again;
    if (again) {
      s.spools.clear();
      for (const auto& k : sinks_) s.spools[k->config().name] = k->progress();
      (void)save_state(state_path_, s);
    }
  }

  // Once a second: limits, sink health, status file, watchdog.
  void housekeeping() {
    auto now = monotonic_ms();
    double seconds = last_housekeeping_ ? static_cast<double>(now - last_housekeeping_) / 1000.0 : 1.0;
    last_housekeeping_ = now;
    lines_per_s_ = static_cast<double>(lines_ - lines_before_) / std::max(seconds, 0.001);
    findings_per_s_ = static_cast<double>(findings_ - findings_before_) / std::max(seconds, 0.001);
    lines_before_ = lines_, findings_before_ = findings_;
    monitor_.sample();
    if (!shedding_ && (monitor_.cpu_over() || monitor_.rss_over())) {
      shedding_ = true;
      auto what = fmt::format("RSS {} MiB (limit {} MiB), CPU {:.1f}% of a core (limit {}%)", monitor_.rss() >> 20,
                              monitor_.rss_limit() >> 20, monitor_.cpu(), monitor_.cpu_limit());
      // Read what the limit allows: the last second's bytes scaled by limit / use.
      double scale = monitor_.cpu_over() ? monitor_.cpu_limit() / std::max(monitor_.cpu(), 0.01) : 0.5;
      budget_per_s_ = std::max<std::uint64_t>(256 * 1024, static_cast<std::uint64_t>(static_cast<double>(bytes_second_) * scale));
      note("over its limits (" + what + "): reading at most " + std::to_string(budget_per_s_ >> 10) +
           " KiB/s until back under");
      auto f = self_finding("watch.self-limit", Severity::low, what);
      f.add("process.memory.rss", static_cast<std::int64_t>(monitor_.rss()));
      pending_.push_back(std::move(f));
      if (monitor_.rss_over()) ::malloc_trim(0);
    } else if (shedding_ && monitor_.comfortably_under()) {
      shedding_ = false;
      note("back under its limits: reading at full speed");
    }
    budget_left_ = budget_per_s_;
    bytes_second_ = 0;
    if (triage_ && !shedding_) triage_->tick(now);
    write_status(config_.state_dir, status());
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0) sd_notify(0, "WATCHDOG=1");
  }

  // Triggers and their actions; the ledger in the state directory remembers what they did.
  void start_responder() {
    if (config_.triggers.empty()) return;
    responder_ = std::make_unique<Responder>(config_.triggers, config_.response, config_.state_dir);
    if (auto r = responder_->open(); !r) {
      note("triggers off: " + r.error());
      source_unavailable("Triggers: " + r.error());
      responder_.reset();
      return;
    }
    watch_fd(responder_->fd());
    if (config_.response.dry_run) note("triggers in dry run: actions are described, not taken");
  }

  // Waits for the actions under way (queued ones run first; captures end early) and keeps
  // their outcomes.
  void stop_responder() {
    if (!responder_) return;
    ::epoll_ctl(ep_.get(), EPOLL_CTL_DEL, responder_->fd(), nullptr);
    responder_->finish();
    take(responder_->take());
    responder_.reset();
  }

  // The process and socket event tables (vigil query), kept while process events come.
  void start_events() {
    events_mode_ = config_.events;
    if (!config_.events.on) return;
    auto path = config_.events.store.empty() ? config_.state_dir + "/events.db" : config_.events.store;
    events_ = std::make_unique<EventRecorder>();
    auto opened = events_->open(path, {config_.events.keep_ms / 1000, config_.events.max_rows});
    if (!opened) {
      note("event tables off: " + opened.error());
      source_unavailable("Event tables: " + opened.error());
      events_.reset();
    }
  }

  void record_events(bool force) {
    if (!events_) return;
    if (auto error = events_->flush(force)) {
      note(*error);
      pending_.push_back(self_finding("watch.state-unsaved", Severity::medium, *error));
    }
  }

  nlohmann::json status() const {
    nlohmann::json s;
    s["pid"] = ::getpid();
    s["started"] = started_;
    s["updated"] = now_seconds();
    if (!config_.file.empty()) s["config"] = config_.file;
    s["lines"] = lines_;
    s["findings"] = findings_;
    s["suppressed"] = suppressed_;
    s["lines_per_s"] = lines_per_s_;
    s["findings_per_s"] = findings_per_s_;
    s["sources"] = nlohmann::json::array();
    for (const auto& src : sources_->status())
      s["sources"].push_back(
          {{"path", src.path}, {"lines", src.lines}, {"lag", src.lag}, {"line", src.line}, {"problem", src.problem}});
    s["sinks"] = nlohmann::json::array();
    for (const auto& k : sinks_) {
      const auto& st = k->stats();
      s["sinks"].push_back({{"name", k->config().name},
                            {"kind", sink_kind_name(k->config().kind)},
                            {"up", st.up},
                            {"accepted", st.accepted},
                            {"delivered", st.delivered},
                            {"queued", st.queued},
                            {"dropped", st.dropped},
                            {"last_error", st.last_error}});
    }
    s["rss"] = monitor_.rss();
    s["rss_limit"] = monitor_.rss_limit();
    s["cpu"] = monitor_.cpu();
    s["cpu_limit"] = monitor_.cpu_limit();
    s["shedding"] = shedding_;
    if (processes_) {
      const auto& p = processes_->stats();
      s["processes"] = {{"source", p.source}, {"execs", p.execs}, {"connections", p.connections}, {"gone", p.gone},
                        {"lost", p.lost}, {"overflows", p.overflows},
                        {"sigma_informational", processes_->sigma_informational()}};
    }
    if (responder_) {
      auto r = responder_->stats();
      s["response"] = {{"triggers", config_.triggers.size()}, {"dry_run", config_.response.dry_run},
                       {"matched", r.matched},  {"repeated", r.repeated}, {"rate_limited", r.rate_limited},
                       {"actions", r.actions},  {"failed", r.failed},     {"active_keys", responder_->active_keys()}};
    }
    if (events_) {
      const auto& e = events_->stats();
      s["events"] = {{"path", e.path}, {"process_rows", e.process_rows}, {"socket_rows", e.socket_rows},
                     {"pruned", e.pruned}, {"dropped", e.dropped}, {"buffered", e.buffered}};
    }
    if (fim_) {
      const auto& f = fim_->stats();
      s["fim"] = {{"source", f.source}, {"baseline", f.baseline_id}, {"events", f.events}, {"judged", f.judged},
                  {"changes", f.changes}, {"overflows", f.overflows}, {"full_checks", f.full_checks}};
    }
    if (scan_) {
      auto y = scan_->stats();
      s["scan"] = {{"source", y.source}, {"rules", y.rules},       {"trees", y.trees},
                   {"events", y.events}, {"scanned", y.scanned}, {"matched", y.matched},
                   {"overflows", y.overflows}};
    }
    if (triage_) {
      auto t = triage_->status();
      s["triage"] = {{"quick_every_s", triage_settings_.quick_ms / 1000}, {"full_every_s", triage_settings_.full_ms / 1000},
                     {"runs", t.runs}, {"last_run", t.last_run}, {"last_kind", t.last_kind},
                     {"last_seconds", t.last_seconds}};
    }
    s["messages"] = messages_;
    return s;
  }

  const ConfigLoader& load_;
  std::ostream& err_;
  WatchConfig config_;
  UniqueFd lock_, ep_, notify_;
  int journal_fd_ = -1;
  std::string state_path_;
  std::unique_ptr<logs::LogRules> rules_;
  std::set<std::string> disabled_;
  std::vector<Suppression> suppressions_;
  std::unique_ptr<logs::LogEngine> engine_;
  std::unique_ptr<Sources> sources_;
  std::unique_ptr<PeriodicTriage> triage_;  // destroyed (its worker joined) before what it uses
  std::unique_ptr<Responder> responder_;
  std::unique_ptr<EventRecorder> events_;  // written by processes_ (so destroyed after it)
  EventsConfig events_mode_;               // the events it was started with
  std::unique_ptr<ProcessEvents> processes_;
  std::string processes_mode_;  // the sources.processes it was started with
  std::unique_ptr<LiveFim> fim_;
  std::unique_ptr<LiveScan> scan_;
  ScanSourceConfig scan_mode_;  // the sources.scan it was started with
  FimSourceConfig fim_mode_;    // the sources.fim it was started with
  TriageSettings triage_settings_;
  std::vector<std::string> state_triage_seen_;
  std::vector<std::unique_ptr<Sink>> sinks_;
  std::map<std::string, bool> sink_up_;
  collect::HostInfo host_;
  Findings pending_;
  std::deque<std::string> emitted_;
  std::unordered_set<std::string> emitted_set_;
  std::deque<std::string> messages_;  // the last said on stderr: errors, rotations, reloads
  std::chrono::steady_clock::time_point last_flush_{};
  ResourceMonitor monitor_{0, 0};
  bool shedding_ = false, save_failing_ = false, dirty_ = false;
  std::int64_t last_save_ = 0;
  std::uint64_t budget_per_s_ = 0, budget_left_ = 0, bytes_second_ = 0;
  std::uint64_t lines_ = 0, findings_ = 0, suppressed_ = 0, lines_before_ = 0, findings_before_ = 0;
  double lines_per_s_ = 0, findings_per_s_ = 0;
  std::int64_t started_ = 0, last_housekeeping_ = 0;
};

}  // namespace

int run_watch(const ConfigLoader& load, std::ostream& err) { return Watcher(load, err).run(); }

int check_watch_config(const ConfigLoader& load, std::ostream& out, std::ostream& err) {
  auto p = prepare(load);
  if (!p) {
    print_errors(p.error(), err);
    err << "vigil: watch: " << p.error().size() << (p.error().size() == 1 ? " error" : " errors")
        << "; vigil watch would not start\n";
    return 2;
  }
  for (const auto& w : p->warnings) err << "vigil: watch: " << w << "\n";
  const auto& c = p->config;
  out << "config: " << (c.file.empty() ? "(built-in defaults)" : c.file) << " - OK\n";
  out << "state directory: " << c.state_dir << "\n";
  out << "sources:\n";
  for (const auto& l : c.logs) out << "  " << l << "\n";
  if (c.scan.mode == "on") {
    std::string trees;
    for (const auto& p : c.scan.paths) trees += (trees.empty() ? "" : ", ") + p;
    out << fmt::format("  YARA on written files: {}; rules: {}{}\n", trees.empty() ? "the drop zones of vigil scan" : trees,
                       c.scan.builtin ? "vigil's rules/yara" : "",
                       c.scan.rules.empty() ? "" : (c.scan.builtin ? " and " : "") + std::to_string(c.scan.rules.size()) +
                                                       " more path(s)");
  }
  out << fmt::format("rules: {} loaded from {} files, {} disabled; {} suppressions\n", p->rules->loaded.size(),
                     p->rules->files, p->disabled.size(), p->suppressions.size());
  out << "sinks:\n";
  for (const auto& s : c.sinks) {
    out << "  " << s.name << " (" << sink_kind_name(s.kind) << ")";
    if (s.kind == SinkKind::jsonl) out << " " << (s.path.empty() ? c.state_dir + "/findings.jsonl" : s.path);
    if (s.kind == SinkKind::syslog) out << " " << s.address;
    if (s.min_severity != Severity::info) out << ", " << to_string(s.min_severity) << " and above";
    out << "\n";
  }
  if (!c.triggers.empty()) {
    out << "triggers" << (c.response.dry_run ? " (dry run: actions are described, not taken)" : "") << ":\n";
    for (const auto& t : c.triggers) {
      std::string actions;
      for (const auto& a : t.actions)
        actions += std::string(actions.empty() ? "" : ", ") +
                   (a.kind == ActionKind::exec ? "exec " + a.argv.front() : a.kind == ActionKind::block ? "block" : "capture");
      out << fmt::format("  {}: {} at {} and above, once per {} s per {} -> {}\n", t.name, t.when.rule,
                         to_string(t.min_severity), t.once_per_ms / 1000, t.key.empty() ? "finding" : t.key, actions);
    }
  }
  out << fmt::format("limits: RSS {} MiB, CPU {}% of a core\n", c.rss_limit >> 20, c.cpu_limit);
  return 0;
}

}  // namespace vigil::watch
