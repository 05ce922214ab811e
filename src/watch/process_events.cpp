#include "watch/process_events.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <ctime>

#include "collect/account_parse.hpp"
#include "collect/proc_parse.hpp"
#include "collect/processes.hpp"
#include "collect/snapshot.hpp"
#include "core/rule_catalog.hpp"
#include "core/text.hpp"
#include "detect/detectors.hpp"
#include "detect/paths.hpp"
#include "detect/process_view.hpp"
#include "watch/clock.hpp"

namespace vigil::watch {

namespace {

constexpr std::string_view kSource = "watch/processes";
// How long after a shell's connect its descriptors are looked at again: `bash -i >&
// /dev/tcp/…` connects, then moves the socket onto its input and output, then runs bash.
constexpr std::int64_t kShellRecheckMs = 150;

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
  if (mode != "connector") {
    auto r = bpf_.open(::getpid());
    if (r) {
      use_bpf_ = true;
      stats_.source = "bpf";
      return {};
    }
    if (mode == "bpf") return r;
    fallback = r.error();
  }
  if (auto r = connector_.open(); !r) {
    if (!fallback.empty()) return make_unexpected(fallback + "; " + r.error());
    return r;
  }
  stats_.source = "proc connector";
  return {};
}

int ProcessEvents::fd() const { return use_bpf_ ? bpf_.fd() : connector_.fd(); }

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
  if (use_bpf_) {
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
      if (e.kind == K::connect) judge_connect(e);
      if (sigma_.wants_connections())
        if (const auto* p = known(e.pid); p && !p->self) {
          auto found = sigma_.on_connection(*p, Connection{e.ip, e.port, e.kind == K::connect});
          out.insert(out.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
        }
      return;
    case K::bind: ++stats_.connections; return;
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
    if (e.path.empty() || e.path.front() != '/') return {};
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
  ShellConnection c{e, row ? *row : collect::ProcessRow{}, monotonic_ms() + kShellRecheckMs};
  if (c.process.pid == 0) {
    c.process.pid = e.pid;
    c.process.ppid = e.ppid;
    c.process.name = e.comm;
    c.process.uid = e.uid;
  }
  if (shell_connections_.size() < 1024) shell_connections_.push_back(std::move(c));
}

Findings ProcessEvents::tick() {
  Findings out;
  const std::int64_t now = monotonic_ms();
  while (!shell_connections_.empty() && shell_connections_.front().due_ms <= now) {
    auto c = std::move(shell_connections_.front());
    shell_connections_.pop_front();
    IssueLog log;
    auto later = collect::read_one_process(*root_, c.event.pid, log);
    const bool wired = later && stdio_is_socket(*later);
    const auto& p = later && !later->executable.empty() ? *later : c.process;
    std::string where = c.event.ip + ":" + std::to_string(c.event.port);
    auto f = wired ? make_finding("process.reverse-shell", Severity::critical, kSource,
                                  "Here: a shell connected to " + where +
                                      " and its input and output are that connection.")
                   : make_finding("process.shell-network-connection", Severity::low, kSource,
                                  "Here: a shell connected to " + where + ".");
    detect::add_process_evidence(f, p);
    f.add("event.action", std::string("connect"));
    f.add("destination.ip", c.event.ip);
    f.add("destination.port", static_cast<std::int64_t>(c.event.port));
    f.add("network.transport", std::string("tcp"));
    if (const auto* parent = known(p.ppid)) detect::add_parent_evidence(f, *parent);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace vigil::watch
