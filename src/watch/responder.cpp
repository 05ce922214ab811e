#include "watch/responder.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cctype>
#include <ctime>
#include <filesystem>

#include <fmt/format.h>

#include "core/command.hpp"
#include "core/rule_catalog.hpp"
#include "core/time_format.hpp"
#include "watch/nft_block.hpp"
#include "watch/pcap_capture.hpp"

namespace vigil::watch {

namespace {

constexpr int kMaxCaptures = 4;

std::int64_t now_s() { return static_cast<std::int64_t>(std::time(nullptr)); }

std::string_view action_name(ActionKind k) {
  return k == ActionKind::exec ? "exec" : k == ActionKind::block ? "block" : "capture";
}

// source.ip → VIGIL_SOURCE_IP
std::string env_name(std::string_view key) {
  std::string out = "VIGIL_";
  for (char c : key) out += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::toupper(c)) : '_';
  return out;
}

std::vector<std::string> environment(const Finding& f, const std::string& trigger) {
  std::vector<std::string> env = {"VIGIL_RULE=" + f.rule, "VIGIL_SEVERITY=" + std::string(to_string(f.severity)),
                                  "VIGIL_TRIGGER=" + trigger};
  for (const auto& e : f.evidence) {
    auto value = evidence_text(e.value);
    if (value.find('\0') != std::string::npos) continue;
    env.push_back(env_name(e.key) + "=" + value.substr(0, 4096));
  }
  return env;
}

// What the files of a directory take (0 when it does not exist).
std::int64_t bytes_in(const std::string& dir) {
  std::int64_t total = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.is_regular_file(ec)) total += static_cast<std::int64_t>(e.file_size(ec));
  return total;
}

std::string file_safe(std::string_view s) {
  std::string out;
  for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ? c : '_';
  return out;
}

}  // namespace

Responder::Responder(std::vector<TriggerConfig> triggers, ResponseConfig response, std::string state_dir)
    : triggers_(std::move(triggers)), response_(std::move(response)), state_dir_(std::move(state_dir)) {}

Responder::~Responder() { finish(); }

void Responder::finish() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  if (worker_.joinable()) worker_.join();  // after the queued jobs
  stop_captures_ = true;
  for (auto& c : captures_)
    if (c.thread.joinable()) c.thread.join();
  captures_.clear();
}

expected<void, std::string> Responder::open() {
  wake_ = UniqueFd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!wake_) return make_unexpected(std::string("eventfd failed"));
  if (auto r = ledger_.open(state_dir_ + "/actions.jsonl", now_s(), response_.dry_run); !r) return r;
  worker_ = std::thread([this] { work(); });
  return {};
}

void Responder::offer(const Finding& f, const nlohmann::json& ecs) {
  if (f.rule.starts_with("watch.action")) return;  // its own outcomes set nothing off
  const std::int64_t now = now_s();
  for (const auto& t : triggers_) {
    if (f.severity < t.min_severity || !t.when.matches(f)) continue;
    std::string key = t.key.empty() ? f.fingerprint() : f.get(t.key);
    std::lock_guard lock(mutex_);
    ++stats_.matched;
    if (ledger_.active(t.name, key, now)) {
      ++stats_.repeated;
      continue;
    }
    auto& recent = recent_[t.name];
    while (!recent.empty() && recent.front() <= now - 60) recent.pop_front();
    if (static_cast<int>(recent.size()) >= t.max_per_minute) {
      ++stats_.rate_limited;
      continue;
    }
    recent.push_back(now);
    // Written (and synced) before anything runs: a kill -9 during the actions does not run them again.
    if (auto r = ledger_.started(t.name, key, now, now + t.once_per_ms / 1000, response_.dry_run); !r) {
      auto problem = make_finding("watch.state-unsaved", Severity::medium, "watch", r.error());
      problem.add("event.start", iso8601(now));
      problem.identity = {"event.start"};
      outcomes_.push_back(std::move(problem));
    }
    const auto text = ecs.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    for (std::size_t i = 0; i < t.actions.size(); ++i) jobs_.push_back(Job{t.name, key, i, t.actions[i], f, text});
  }
  work_ready_.notify_one();
}

Findings Responder::take() {
  std::uint64_t n = 0;
  (void)::read(wake_.get(), &n, sizeof n);
  std::lock_guard lock(mutex_);
  Findings out;
  out.swap(outcomes_);
  return out;
}

ResponderStats Responder::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

std::size_t Responder::active_keys() const {
  std::lock_guard lock(mutex_);
  return ledger_.active_keys(now_s());
}

void Responder::work() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      work_ready_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping, and nothing left to do
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    run(job);
  }
}

void Responder::report(Finding f, const Job& job, const std::string& detail) {
  const bool ok = f.rule != "watch.action-failed";  // as outcome() named it
  std::lock_guard lock(mutex_);
  ++stats_.actions;
  if (!ok) ++stats_.failed;
  if (auto r = ledger_.outcome(job.trigger, job.key, action_name(job.action.kind), ok, detail, now_s()); !r)
    f.add("vigil.ledger_error", r.error());
  outcomes_.push_back(std::move(f));
  std::uint64_t one = 1;
  (void)::write(wake_.get(), &one, sizeof one);
}

// The finding that says what an action did: `done` false when it did nothing on purpose (a
// dry run, an address never blocked).
Finding Responder::outcome(const Job& job, bool ok, bool done, const std::string& detail) {
  auto f = make_finding(ok ? "watch.action" : "watch.action-failed", ok ? Severity::info : Severity::medium, "watch",
                        detail);
  f.add("event.kind", std::string("event"));
  f.add("event.start", iso8601(now_s()));
  f.add("event.outcome", std::string(!ok ? "failure" : done ? "success" : "unknown"));
  f.add("vigil.trigger", job.trigger);
  f.add("vigil.action", std::string(action_name(job.action.kind)));
  f.add("vigil.key", job.key);
  f.add("vigil.action_index", static_cast<std::int64_t>(job.index));
  f.add("vigil.trigger_rule", job.finding.rule);
  if (response_.dry_run) f.add("vigil.dry_run", true);
  for (const char* k : {"source.ip", "user.name", "process.executable", "destination.port"})
    if (auto v = job.finding.get(k); !v.empty()) f.add(k, v);
  f.identity = {"event.start", "vigil.trigger", "vigil.key", "vigil.action_index"};
  return f;
}

// The address a block or capture acts on; "" (and a failure said) when the finding has none.
std::string Responder::address_of(const Job& job) {
  auto address = job.finding.get(job.action.field);
  if (address.empty())
    report(outcome(job, false, false,
                   fmt::format("{}: the finding has no {}.", action_name(job.action.kind), job.action.field)),
           job, "no address");
  return address;
}

void Responder::run(const Job& job) {
  const auto& a = job.action;
  const bool dry = response_.dry_run;
  switch (a.kind) {
    case ActionKind::exec: {
      std::string line;
      for (const auto& arg : a.argv) line += (line.empty() ? "" : " ") + arg;
      if (dry) {
        report(outcome(job, true, false, "Dry run: would run " + line + " with the finding on its stdin."), job,
               "dry run");
        return;
      }
      Command c{a.argv, environment(job.finding, job.trigger), job.ecs, std::chrono::milliseconds(a.timeout_ms)};
      auto r = run_command(c);
      if (!r) {
        report(outcome(job, false, false, "Exec " + line + ": " + r.error() + "."), job, r.error());
        return;
      }
      auto first = r->output.substr(0, r->output.find('\n')).substr(0, 200);
      const bool ok = r->exit_status == 0;
      auto detail = fmt::format("Ran {}: exit {}{}", line, r->exit_status, first.empty() ? "" : "; it said: " + first);
      auto f = outcome(job, ok, true, detail + ".");
      f.add("process.exit_code", static_cast<std::int64_t>(r->exit_status));
      report(std::move(f), job, detail);
      return;
    }
    case ActionKind::block: {
      auto address = address_of(job);
      if (address.empty()) return;
      if (auto why = never_block(address, response_.allowlist); !why.empty()) {
        report(outcome(job, true, false, "Not blocked: " + address + " is " + why + "."), job, "not blocked: " + why);
        return;
      }
      NftBlocker nft(response_.table);
      const std::int64_t ttl = a.ttl_ms / 1000;
      if (dry) {
        report(outcome(job, true, false, "Dry run: would block " + address + " for " + std::to_string(ttl) +
                                             " s (nft " + nft.describe_block(address, ttl) + ")."),
               job, "dry run");
        return;
      }
      if (auto r = nft.block(address, ttl); !r) {
        report(outcome(job, false, false, "Block " + address + ": " + r.error() + "."), job, r.error());
        return;
      }
      auto f = outcome(job, true, true,
                       fmt::format("Blocked {} for {} s (nftables table inet {}); `vigil watch --unblock {}` lifts it.",
                                   address, ttl, response_.table, address));
      f.add("vigil.blocked_until", iso8601(now_s() + ttl));
      report(std::move(f), job, "blocked for " + std::to_string(ttl) + " s");
      return;
    }
    case ActionKind::capture: {
      auto address = address_of(job);
      if (address.empty()) return;
      if (dry) {
        report(outcome(job, true, false,
                       fmt::format("Dry run: would capture the traffic of {} on {} for {} s (at most {} bytes).", address,
                                   a.interface, a.duration_ms / 1000, a.max_size)),
               job, "dry run");
        return;
      }
      if (auto used = bytes_in(state_dir_ + "/captures"); used >= response_.captures_max) {
        report(outcome(job, false, false,
                       fmt::format("Capture of {}: the captures already take {} bytes (response.captures_max {}); "
                                   "move or delete old ones from {}/captures.",
                                   address, used, response_.captures_max, state_dir_)),
               job, "captures full");
        return;
      }
      if (captures_running_ >= kMaxCaptures) {
        report(outcome(job, false, false, fmt::format("Capture of {}: {} captures already running.", address, kMaxCaptures)),
               job, "too many captures");
        return;
      }
      ++captures_running_;
      std::erase_if(captures_, [](CaptureThread& c) {
        if (!*c.done) return false;
        c.thread.join();
        return true;
      });
      auto done = std::make_shared<std::atomic<bool>>(false);
      captures_.push_back({std::thread([this, job, address, done] {
                             capture(job, address);
                             *done = true;
                           }),
                           done});
      return;
    }
  }
}

void Responder::capture(Job job, std::string address) {
  std::error_code ec;
  const auto dir = state_dir_ + "/captures";
  std::filesystem::create_directories(dir, ec);
  const auto path = fmt::format("{}/{}-{}-{}.pcap", dir, file_safe(iso8601(now_s())), file_safe(address), file_safe(job.trigger));
  const auto& a = job.action;
  auto r = capture_host(a.interface, address, std::chrono::milliseconds(a.duration_ms), a.max_size, path, stop_captures_);
  --captures_running_;
  if (!r) {
    report(outcome(job, false, false, "Capture of " + address + ": " + r.error() + "."), job, r.error());
    return;
  }
  auto f = outcome(job, true, true,
                   fmt::format("Captured {} packets ({} bytes{}) of {}'s traffic on {} into {}.", r->packets, r->bytes,
                               r->capped ? ", stopped at the size cap" : "", address, a.interface, path));
  f.add("file.path", path);
  f.add("vigil.packets", static_cast<std::int64_t>(r->packets));
  report(std::move(f), job, path);
}

}  // namespace vigil::watch
