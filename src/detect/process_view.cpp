// ProcessView.
#include "detect/process_view.hpp"

#include "core/time_format.hpp"

namespace vigil::detect {

ProcessView::ProcessView(const collect::Snapshot& s) : s_(s) {
  for (const auto& p : s.processes) by_pid_[p.pid] = &p;
  for (const auto& sock : s.sockets) {
    if (sock.protocol == "packet" || sock.protocol.starts_with("raw")) continue;
    std::int64_t last = -1;
    for (const auto& h : sock.holders) {
      if (h.pid == last) continue;
      last = h.pid;
      sockets_[h.pid].push_back(&sock);
    }
  }
}

const collect::ProcessRow* ProcessView::find(std::int64_t pid) const {
  auto it = by_pid_.find(pid);
  return it == by_pid_.end() ? nullptr : it->second;
}

const std::vector<const collect::SocketRow*>& ProcessView::inet_sockets(std::int64_t pid) const {
  auto it = sockets_.find(pid);
  return it == sockets_.end() ? none_ : it->second;
}

bool ProcessView::listens(std::int64_t pid) const {
  for (const auto* s : inet_sockets(pid))
    if (s->listening()) return true;
  return false;
}

bool ProcessView::unowned(const collect::ProcessRow& p) const {
  return s_.packages && s_.packages->knows_ownership() && !p.kernel_thread && !p.in_container &&
         !p.executable.empty() && p.package.empty();
}

std::int64_t cpu_percent(const collect::ProcessRow& p, std::int64_t now) {
  std::int64_t alive = now - p.start_time;
  if (p.start_time <= 0 || alive <= 0) return 0;
  return p.cpu_seconds * 100 / alive;
}

bool busy_process(const collect::ProcessRow& p, std::int64_t now) {
  return now - p.start_time > 60 && cpu_percent(p, now) >= 50;
}

void add_process_evidence(Finding& f, const collect::ProcessRow& p) {
  f.add("process.pid", p.pid);
  if (p.start_time) f.add("process.start", iso8601(p.start_time));  // with the pid, names one process
  f.add("process.parent.pid", p.ppid);
  f.add("process.name", p.name);
  if (!p.executable.empty())
    f.add("process.executable", p.executable + (p.deleted ? " (deleted)" : ""));
  if (!p.cmdline.empty()) f.add("process.command_line", p.cmdline);
  if (!p.user.empty())
    f.add("user.name", p.user);
  else
    f.add("user.id", p.uid);
  if (!p.sha256.empty()) f.add("process.hash.sha256", p.sha256);
}

void add_parent_evidence(Finding& f, const collect::ProcessRow& parent) {
  f.add("process.parent.executable", parent.executable);
  f.add("process.parent.command_line", parent.cmdline);
}

}  // namespace vigil::detect
