#include "watch/process_events.hpp"

#include <ctime>

#include "collect/processes.hpp"
#include "collect/snapshot.hpp"
#include "detect/detectors.hpp"

namespace vigil::watch {

expected<void, std::string> ProcessEvents::open() {
  auto root = Root::open("/");
  if (!root) return make_unexpected(std::string("cannot open / for enrichment"));
  root_.emplace(std::move(*root));
  IssueLog log;
  packages_ = collect::open_package_db(*root_, log);
  if (auto r = connector_.open(); !r) return r;
  stats_.source = "proc connector";
  return {};
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

Findings ProcessEvents::read() {
  Findings out;
  stats_.overflows += connector_.read([&](const ProcEvent& e) {
    if (e.kind == ProcEvent::Kind::exit && e.pid == e.tgid) parents_.erase(e.pid);
    if (e.kind == ProcEvent::Kind::exec) parents_.erase(e.pid);  // it is another program now
    if (e.kind != ProcEvent::Kind::exec || e.pid != e.tgid) return;  // a thread's exec is its process's
    ++stats_.execs;
    auto found = judge_exec(e.pid);
    out.insert(out.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  });
  return out;
}

Findings ProcessEvents::judge_exec(std::int64_t pid) {
  IssueLog log;
  auto row = collect::read_one_process(*root_, pid, log);
  if (!row || row->executable.empty()) {
    ++stats_.gone;
    return {};
  }
  if (row->self) return {};
  row->package = owner(row->executable);
  collect::Snapshot s;
  s.packages = packages_;
  s.tables = {"processes"};
  s.processes.push_back(*row);
  // The parent too: some rules judge a process by who started it (a shell of a web server).
  const collect::ProcessRow* parent = nullptr;
  if (auto it = parents_.find(row->ppid); it != parents_.end()) {
    parent = &it->second;
  } else if (auto read = collect::read_one_process(*root_, row->ppid, log)) {
    read->package = owner(read->executable);
    if (parents_.size() > 4096) parents_.clear();
    parent = &(parents_[row->ppid] = std::move(*read));
  }
  if (parent) s.processes.push_back(*parent);
  detect::Context ctx;
  ctx.now = static_cast<std::int64_t>(std::time(nullptr));
  Findings findings;
  for (auto& f : detect::detect_processes(s, ctx))
    if (f.get("process.pid") == std::to_string(pid)) findings.push_back(std::move(f));  // not the parent's
  for (auto& f : findings) {
    f.add("event.action", std::string("exec"));
    if (parent) {
      f.add("process.parent.executable", parent->executable);
      f.add("process.parent.command_line", parent->cmdline);
    }
  }
  return findings;
}

}  // namespace vigil::watch
