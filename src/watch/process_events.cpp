#include "watch/process_events.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>

#include "collect/account_parse.hpp"
#include "collect/proc_parse.hpp"
#include "collect/processes.hpp"
#include "collect/snapshot.hpp"
#include "collect/sockets.hpp"
#include "core/rule_catalog.hpp"
#include "core/text.hpp"
#include "detect/detectors.hpp"
#include "detect/paths.hpp"
#include "detect/process_view.hpp"
#include "watch/clock.hpp"

namespace vigil::watch {

namespace {

constexpr std::string_view kSource = "watch/processes";
// How long after a shell's connect its descriptors are looked at again (`bash -i >&
// /dev/tcp/…` connects, then moves the socket onto its input and output, then runs bash),
// and after a bind its sockets (a server calls listen right after bind).
constexpr std::int64_t kRecheckMs = 150;
constexpr std::size_t kMaxRechecks = 1024;

KernelEvent from_connector(const ProcEvent& p) {
  KernelEvent e;
  e.kind = p.kind == ProcEvent::Kind::fork   ? KernelEvent::Kind::fork
           : p.kind == ProcEvent::Kind::exec ? KernelEvent::Kind::exec
                                             : KernelEvent::Kind::exit;
  e.pid = p.tgid;
  e.tid = p.pid;
  e.ppid = p.parent_pid;
  return e;
}

bool stdio_is_socket(const collect::ProcessRow& p) {
  for (const auto& s : p.sockets)
    if (s.fd == 0 || s.fd == 1) return true;
  return false;
}

}  // namespace

expected<void, std::string> ProcessEvents::open(const std::string& mode, std::string& fallback) {
  auto root = Root::open("/");
  if (!root) return make_unexpected(std::string("cannot open / for enrichment"));
  root_.emplace(std::move(*root));
  IssueLog log;
  packages_ = collect::open_package_db(*root_, log);
  auto passed_over = [&](std::string_view what, const std::string& why) {
    fallback += (fallback.empty() ? "" : "; ") + std::string(what) + ": " + why;
  };
  if (mode == "auto" || mode == "bpf") {
    if (auto r = bpf_.open(::getpid()); r) {
      use_ = Source::bpf;
      stats_.source = "bpf";
      return {};
    } else if (mode == "bpf") {
      return r;
    } else {
      passed_over("BPF", r.error());
    }
  }
  if (mode == "auto" || mode == "audit") {
    if (auto r = audit_.open(mode == "audit"); r) {
      use_ = Source::audit;
      stats_.source = "audit";
      return {};
    } else if (mode == "audit") {
      return r;
    } else {
      passed_over("audit", r.error());
    }
  }
  if (auto r = connector_.open(); !r) {
    if (!fallback.empty()) return make_unexpected(fallback + "; proc connector: " + r.error());
    return r;
  }
  use_ = Source::connector;
  stats_.source = "proc connector";
  return {};
}

int ProcessEvents::fd() const {
  return use_ == Source::bpf ? bpf_.fd() : use_ == Source::audit ? audit_.fd() : connector_.fd();
}

std::string ProcessEvents::owner(const std::string& executable) {
  if (executable.empty() || !packages_ || !packages_->knows_ownership()) return {};
  if (auto it = owners_.find(executable); it != owners_.end()) return it->second;
  if (owners_.size() > 50'000) owners_.clear();  // bounded; refilled as programs run again
  IssueLog log;
  std::string path = executable;
  auto found = packages_->owners(std::span<const std::string>(&path, 1), log);
  auto it = found.find(executable);
  return owners_[executable] = it == found.end() ? std::string() : it->second;
}

std::string ProcessEvents::user_of(std::int64_t uid) {
  auto it = users_.find(uid);
  if (it == users_.end() && monotonic_ms() - users_read_ms_ > 10'000) {  // an account added since
    users_read_ms_ = monotonic_ms();
    users_.clear();
    if (auto text = root_->read("/etc/passwd"))
      for (const auto& e : collect::parse_passwd(*text).rows) users_.emplace(e.uid, e.name);
    it = users_.find(uid);
  }
  return it == users_.end() ? std::string() : it->second;
}

const collect::ProcessRow* ProcessEvents::known(std::int64_t pid) {
  if (auto it = known_.find(pid); it != known_.end()) return &it->second;
  IssueLog log;
  auto read = collect::read_one_process(*root_, pid, log);
  if (!read) return nullptr;
  read->package = owner(read->executable);
  read->user = user_of(read->uid);
  if (known_.size() > 4096) known_.clear();
  return &(known_[pid] = std::move(*read));
}

Findings ProcessEvents::read() {
  Findings out;
  if (use_ == Source::audit) {
    // Like BPF's, each exec event carries the program and its arguments.
    batch_.clear();
    ended_.clear();
    audit_.read([&](const KernelEvent& e) { batch_.push_back(e); });
    for (const auto& e : batch_) handle(e, out);
    stats_.overflows = audit_.overflows();
  } else if (use_ == Source::bpf) {
    // In a batch, an exec whose exit follows is judged from the kernel's account alone: /proc
    // no longer has it (in an exec storm, a third of them), and trying costs as much as reading.
    batch_.clear();
    ended_.clear();
    bpf_.read([&](const KernelEvent& e) {
      if (e.kind == KernelEvent::Kind::exit) ended_.insert(e.pid);
      batch_.push_back(e);
    });
    for (const auto& e : batch_) handle(e, out);
    stats_.lost = bpf_.dropped();
  } else {
    stats_.overflows += connector_.read([&](const ProcEvent& p) {
      if (p.kind == ProcEvent::Kind::other) return;
      if (p.kind != ProcEvent::Kind::fork && p.pid != p.tgid) return;  // a thread's exec or exit is its process's
      handle(from_connector(p), out);
    });
  }
  return out;
}

void ProcessEvents::handle(const KernelEvent& e, Findings& out) {
  using K = KernelEvent::Kind;
  switch (e.kind) {
    case K::exit: known_.erase(e.pid); return;
    case K::fork: return;
    case K::exec: {
      known_.erase(e.pid);  // it is another program now
      ++stats_.execs;
      auto found = judge_exec(e);
      out.insert(out.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
      return;
    }
    case K::connect:
    case K::accept:
      ++stats_.connections;
      if (recorder_) recorder_->socket(e, known(e.pid));
      if (e.kind == K::connect) judge_connect(e);
      if (sigma_.wants_connections())
        if (const auto* p = known(e.pid); p && !p->self) {
          auto found = sigma_.on_connection(*p, Connection{e.ip, e.port, e.kind == K::connect});
          out.insert(out.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
        }
      return;
    case K::bind:
      ++stats_.connections;
      if (recorder_) recorder_->socket(e, known(e.pid));
      judge_bind(e);
      return;
  }
}

Findings ProcessEvents::judge_exec(const KernelEvent& e) {
  IssueLog log;
  std::optional<collect::ProcessRow> row;
  if (!ended_.contains(e.pid)) row = collect::read_one_process(*root_, e.pid, log);
  bool gone = !row || row->executable.empty();
  if (gone) {
    ++stats_.gone;
    // The kernel's own account, where BPF gave one: the file it ran and the arguments.
    if (e.path.empty() || e.path.front() != '/') {
      if (recorder_) {  // the proc connector says no more than that it happened
        collect::ProcessRow bare;
        bare.pid = e.pid;
        bare.ppid = e.ppid;
        bare.name = e.comm;
        bare.uid = e.uid;
        recorder_->exec(bare, nullptr, true, stats_.source);
      }
      return {};
    }
    row.emplace();
    row->pid = e.pid;
    row->ppid = e.ppid;
    row->name = e.comm;
    row->executable = e.path;
    row->argv = e.argv;
    row->cmdline = collect::join_argv(e.argv);
    row->uid = e.uid;
  }
  if (row->self) return {};
  row->package = owner(row->executable);
  row->user = user_of(row->uid);
  collect::Snapshot s;
  s.packages = packages_;
  s.tables = {"processes"};
  s.processes.push_back(*row);
  // Kept for its later events (a connect, its children's execs), which may come after it ended.
  if (known_.size() > 4096) known_.clear();
  known_[e.pid] = *row;
  // The parent too: some rules judge a process by who started it (a shell of a web server).
  const collect::ProcessRow* parent = known(row->ppid);
  if (parent) s.processes.push_back(*parent);
  if (recorder_) recorder_->exec(*row, parent, gone, stats_.source);
  detect::Context ctx;
  ctx.now = static_cast<std::int64_t>(std::time(nullptr));
  Findings findings;
  for (auto& f : detect::detect_processes(s, ctx))
    if (f.get("process.pid") == std::to_string(e.pid)) findings.push_back(std::move(f));  // not the parent's
  auto sigma = sigma_.on_exec(*row, parent);
  findings.insert(findings.end(), std::make_move_iterator(sigma.begin()), std::make_move_iterator(sigma.end()));
  for (auto& f : findings) {
    if (gone) f.add("vigil.enrichment", std::string("the process ended before /proc could be read; program and arguments are the kernel's"));
    if (f.source == "watch/sigma") continue;  // has its action and parent already
    f.add("event.action", std::string("exec"));
    if (parent) detect::add_parent_evidence(f, *parent);
  }
  return findings;
}

// A shell that opens a TCP connection (bash's /dev/tcp: shells have no other network code)
// is looked at again a moment later; see tick().
void ProcessEvents::judge_connect(const KernelEvent& e) {
  if (e.sock_type != SOCK_STREAM) return;
  const collect::ProcessRow* row = known(e.pid);  // kept from its exec when it is gone already
  std::string program = row && !row->executable.empty() ? basename_of(row->executable) : e.comm;
  if (!detect::is_shell(program) || (row && row->self)) return;
  Recheck c{e, row ? *row : collect::ProcessRow{}, monotonic_ms() + kRecheckMs};
  if (c.process.pid == 0) {
    c.process.pid = e.pid;
    c.process.ppid = e.ppid;
    c.process.name = e.comm;
    c.process.uid = e.uid;
  }
  if (rechecks_.size() < kMaxRechecks) rechecks_.push_back(std::move(c));
}

// A program that takes a port is looked at again once it had the time to listen on it.
void ProcessEvents::judge_bind(const KernelEvent& e) {
  if (e.port == 0 || rechecks_.size() >= kMaxRechecks) return;  // an ephemeral port: a client's
  rechecks_.push_back(Recheck{e, {}, monotonic_ms() + kRecheckMs});
}

Findings ProcessEvents::tick() {
  Findings out;
  if (use_ == Source::audit) {
    auto aged = read();  // events whose last record was lost, completed by age
    out.insert(out.end(), std::make_move_iterator(aged.begin()), std::make_move_iterator(aged.end()));
  }
  const std::int64_t now = monotonic_ms();
  while (!rechecks_.empty() && rechecks_.front().due_ms <= now) {
    auto c = std::move(rechecks_.front());
    rechecks_.pop_front();
    auto found = c.event.kind == KernelEvent::Kind::bind ? recheck_listener(c.event) : recheck_shell(c.event, c.process);
    out.insert(out.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  }
  return out;
}

Findings ProcessEvents::recheck_shell(const KernelEvent& e, const collect::ProcessRow& before) {
  IssueLog log;
  auto later = collect::read_one_process(*root_, e.pid, log);
  const bool wired = later && stdio_is_socket(*later);
  const auto& p = later && !later->executable.empty() ? *later : before;
  std::string where = e.ip + ":" + std::to_string(e.port);
  auto f = wired ? make_finding("process.reverse-shell", Severity::critical, kSource,
                                "Here: a shell connected to " + where + " and its input and output are that connection.")
                 : make_finding("process.shell-network-connection", Severity::low, kSource,
                                "Here: a shell connected to " + where + ".");
  detect::add_process_evidence(f, p);
  f.add("event.action", std::string("connect"));
  f.add("destination.ip", e.ip);
  f.add("destination.port", static_cast<std::int64_t>(e.port));
  f.add("network.transport", std::string("tcp"));
  if (const auto* parent = known(p.ppid)) detect::add_parent_evidence(f, *parent);
  return {std::move(f)};
}

// The triage's network detectors on the process alone and the sockets it listens on now: an
// unpackaged program listening (worse from /tmp, or on every address) is reported while it
// runs, though it may be gone before the next periodic triage.
Findings ProcessEvents::recheck_listener(const KernelEvent& e) {
  IssueLog log;
  auto p = collect::read_one_process(*root_, e.pid, log);
  if (!p || p->self || p->executable.empty()) return {};
  p->package = owner(p->executable);
  p->user = user_of(p->uid);
  collect::Snapshot s;
  s.packages = packages_;
  s.tables = {"processes", "sockets"};
  for (auto& sock : collect::collect_sockets(*root_, {*p}, {}, log)) {
    const bool held = std::any_of(sock.holders.begin(), sock.holders.end(), [&](const auto& h) { return h.pid == e.pid; });
    if (held && sock.listening()) s.sockets.push_back(std::move(sock));
  }
  if (s.sockets.empty()) return {};  // bound, not listening (or closed already)
  s.processes.push_back(std::move(*p));
  detect::Context ctx;
  ctx.now = static_cast<std::int64_t>(std::time(nullptr));
  Findings out;
  for (auto& f : detect::detect_network(s, ctx)) {
    if (f.get("process.pid") != std::to_string(e.pid)) continue;
    f.add("event.action", std::string("listen"));
    if (const auto* parent = known(s.processes[0].ppid)) detect::add_parent_evidence(f, *parent);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace vigil::watch
