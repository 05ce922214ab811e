#include "watch/event_recorder.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <ctime>

#include "watch/clock.hpp"

namespace vigil::watch {

namespace {

constexpr std::int64_t kWriteEveryMs = 1000;
constexpr std::int64_t kPruneEveryMs = 60'000;
// Rows held while the file cannot be written (about 100 MB at most); the oldest go beyond.
constexpr std::size_t kMaxBuffered = 200'000;

std::int64_t wall_seconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

std::string protocol_of(const KernelEvent& e) {
  std::string p = e.sock_type == SOCK_STREAM ? "tcp" : e.sock_type == SOCK_DGRAM ? "udp" : "";
  if (!p.empty() && e.family == AF_INET6) p += "6";
  return p;
}

}  // namespace

store::ProcessEventRow process_event_row(const collect::ProcessRow& p, const collect::ProcessRow* parent, bool gone,
                                         std::string_view source, std::int64_t now) {
  store::ProcessEventRow r;
  r.time = now;
  r.pid = p.pid;
  r.ppid = p.ppid;
  r.uid = p.uid;
  r.user = p.user;
  r.name = p.name;
  r.executable = p.executable;
  r.cmdline = p.cmdline;
  r.cwd = p.cwd;
  r.package = p.package;
  if (parent) {
    r.parent_executable = parent->executable;
    r.parent_cmdline = parent->cmdline;
  }
  r.gone = gone;
  r.source = source;
  return r;
}

store::SocketEventRow socket_event_row(const KernelEvent& e, const collect::ProcessRow* p, std::int64_t now) {
  store::SocketEventRow r;
  r.time = now;
  r.action = kind_name(e.kind);
  r.pid = e.pid;
  r.uid = e.uid;
  r.name = e.comm;
  if (p) {
    r.executable = p->executable;
    if (r.name.empty()) r.name = p->name;
    if (r.uid < 0) r.uid = p->uid;
  }
  r.protocol = protocol_of(e);
  if (e.kind == KernelEvent::Kind::bind) {
    r.local_address = e.ip;
    r.local_port = e.port;
  } else {
    r.remote_address = e.ip;
    r.remote_port = e.port;
  }
  return r;
}

expected<void, std::string> EventRecorder::open(const std::string& path, store::EventRetention keep) {
  auto s = store::EventStore::open(path);
  if (!s) return make_unexpected(s.error());
  store_.emplace(std::move(*s));
  keep_ = keep;
  stats_.path = path;
  last_write_ms_ = last_prune_ms_ = monotonic_ms();
  if (auto pruned = store_->prune(wall_seconds(), keep_)) stats_.pruned += static_cast<std::uint64_t>(*pruned);
  return {};
}

void EventRecorder::exec(const collect::ProcessRow& p, const collect::ProcessRow* parent, bool gone,
                         std::string_view source) {
  if (!store_) return;
  processes_.push_back(process_event_row(p, parent, gone, source, wall_seconds()));
  keep_bounded();
}

void EventRecorder::socket(const KernelEvent& e, const collect::ProcessRow* p) {
  if (!store_) return;
  sockets_.push_back(socket_event_row(e, p, wall_seconds()));
  keep_bounded();
}

void EventRecorder::keep_bounded() {
  auto trim = [&](auto& rows) {
    if (rows.size() <= kMaxBuffered) return;
    auto extra = rows.size() - kMaxBuffered / 2;  // drop in halves, not one row per event
    rows.erase(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(extra));
    stats_.dropped += extra;
  };
  trim(processes_);
  trim(sockets_);
  stats_.buffered = processes_.size() + sockets_.size();
}

std::optional<std::string> EventRecorder::flush(bool force) {
  if (!store_) return std::nullopt;
  const std::int64_t now = monotonic_ms();
  if (!force && now - last_write_ms_ < kWriteEveryMs) return std::nullopt;
  last_write_ms_ = now;
  std::optional<std::string> error;
  if (auto r = store_->append(processes_, sockets_); !r) {
    if (!failing_) error = "events not saved: " + r.error();
    failing_ = true;
    return error;
  }
  failing_ = false;
  stats_.process_rows += processes_.size();
  stats_.socket_rows += sockets_.size();
  processes_.clear();
  sockets_.clear();
  stats_.buffered = 0;
  if (now - last_prune_ms_ >= kPruneEveryMs) {
    last_prune_ms_ = now;
    if (auto pruned = store_->prune(wall_seconds(), keep_)) stats_.pruned += static_cast<std::uint64_t>(*pruned);
  }
  return std::nullopt;
}

}  // namespace vigil::watch
