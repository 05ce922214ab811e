#include "watch/status.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "core/time_format.hpp"
#include "watch/sink.hpp"

namespace vigil::watch {

namespace {

std::string bytes_text(double b) {
  const char* units[] = {"B", "KiB", "MiB", "GiB"};
  int u = 0;
  while (b >= 1024 && u < 3) b /= 1024, ++u;
  return u == 0 ? fmt::format("{:.0f} {}", b, units[u]) : fmt::format("{:.1f} {}", b, units[u]);
}

// The daemon holds the lock; taking it here means none runs.
bool daemon_running(const std::string& state_dir) {
  UniqueFd fd(::open((state_dir + "/watch.lock").c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return false;
  return ::flock(fd.get(), LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
}

}  // namespace

expected<UniqueFd, std::string> lock_state_dir(const std::string& state_dir) {
  std::string path = state_dir + "/watch.lock";
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (fd.get() < 0) return make_unexpected(path + ": " + std::strerror(errno));
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    char pid[32] = {};
    ssize_t n = ::pread(fd.get(), pid, sizeof pid - 1, 0);
    std::string who = n > 0 ? std::string(pid, static_cast<std::size_t>(n)) : "?";
    while (!who.empty() && (who.back() == '\n' || who.back() == ' ')) who.pop_back();
    return make_unexpected(fmt::format("another vigil watch (pid {}) uses the state directory {}", who, state_dir));
  }
  auto me = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd.get(), 0) != 0 || ::pwrite(fd.get(), me.data(), me.size(), 0) < 0) {
    // The lock holds without the pid written; --status still works.
  }
  return fd;
}

void write_status(const std::string& state_dir, const nlohmann::json& status) {
  std::string path = state_dir + "/status.json", tmp = path + ".tmp";
  {
    UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (fd.get() < 0) return;
    auto text = status.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    if (!write_all(fd.get(), text)) {
      ::unlink(tmp.c_str());
      return;
    }
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) ::unlink(tmp.c_str());
}

int print_status(const std::string& state_dir, bool json, std::ostream& out, std::ostream& err) {
  std::ifstream in(state_dir + "/status.json");
  if (!in) {
    err << "vigil: watch: no status in " << state_dir << " (has vigil watch run with this --state-dir?)\n";
    return 2;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto s = nlohmann::json::parse(text.str(), nullptr, false);
  if (s.is_discarded() || !s.is_object()) {
    err << "vigil: watch: " << state_dir << "/status.json: not a status file\n";
    return 2;
  }
  bool running = daemon_running(state_dir);
  s["running"] = running;
  if (json) {
    out << s.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return running ? 0 : 3;
  }
  auto num = [&](const nlohmann::json& j, const char* k) -> double { return j.value(k, 0.0); };
  out << fmt::format("vigil watch: {} (pid {}, started {}), status of {}\n", running ? "running" : "NOT running",
                     s.value("pid", 0), iso8601(s.value("started", std::int64_t{0})),
                     iso8601(s.value("updated", std::int64_t{0})));
  out << "config: " << s.value("config", std::string("(built-in defaults)")) << "\n";
  out << fmt::format("lines: {} ({:.1f}/s)   findings: {} ({:.2f}/s)   suppressed: {}\n",
                     s.value("lines", std::uint64_t{0}), num(s, "lines_per_s"), s.value("findings", std::uint64_t{0}),
                     num(s, "findings_per_s"), s.value("suppressed", std::uint64_t{0}));
  out << "sources:\n";
  for (const auto& src : s.value("sources", nlohmann::json::array())) {
    out << fmt::format("  {:<40} line {:>9}  lag {:>10}  read {}", src.value("path", std::string()),
                       src.value("line", std::uint64_t{0}), bytes_text(num(src, "lag")),
                       src.value("lines", std::uint64_t{0}));
    if (auto p = src.value("problem", std::string()); !p.empty()) out << "  PROBLEM: " << p;
    out << "\n";
  }
  out << "sinks:\n";
  for (const auto& k : s.value("sinks", nlohmann::json::array())) {
    out << fmt::format("  {:<16} {:<8} {:<4}  delivered {:>7}  queued {:>6}  dropped {:>5}", k.value("name", std::string()),
                       k.value("kind", std::string()), k.value("up", true) ? "up" : "DOWN",
                       k.value("delivered", std::uint64_t{0}), k.value("queued", std::uint64_t{0}),
                       k.value("dropped", std::uint64_t{0}));
    if (auto e = k.value("last_error", std::string()); !e.empty()) out << "  last error: " << e;
    out << "\n";
  }
  if (auto p = s.find("processes"); p != s.end() && p->is_object())
    out << fmt::format("process events ({}): {} execs judged ({} ended before /proc could be read), {} connections; "
                       "lost: {} events{}{}\n",
                       p->value("source", std::string()), p->value("execs", 0), p->value("gone", 0),
                       p->value("connections", 0), p->value("lost", 0),
                       p->value("overflows", 0) ? fmt::format(", {} buffer overflows", p->value("overflows", 0)) : "",
                       p->value("sigma_informational", 0)
                           ? fmt::format("; {} informational Sigma matches not sent", p->value("sigma_informational", 0))
                           : "");
  if (auto r = s.find("response"); r != s.end() && r->is_object())
    out << fmt::format("triggers ({}{}): {} findings selected, {} repeats within once_per, {} over the rate; {} actions, "
                       "{} FAILED; {} keys active\n",
                       r->value("triggers", 0), r->value("dry_run", false) ? ", DRY RUN" : "", r->value("matched", 0),
                       r->value("repeated", 0), r->value("rate_limited", 0), r->value("actions", 0),
                       r->value("failed", 0), r->value("active_keys", 0));
  if (auto e = s.find("events"); e != s.end() && e->is_object())
    out << fmt::format("event tables ({}): {} process and {} socket rows written, {} pruned by the retention{}\n",
                       e->value("path", std::string()), e->value("process_rows", 0), e->value("socket_rows", 0),
                       e->value("pruned", 0),
                       e->value("dropped", 0) ? fmt::format(", {} DROPPED (the file could not be written)", e->value("dropped", 0))
                                              : "");
  if (auto f = s.find("fim"); f != s.end() && f->is_object())
    out << fmt::format("file integrity ({}, baseline #{}): {} events, {} paths judged, {} differed; {} overflows "
                       "(each a full check)\n",
                       f->value("source", std::string()), f->value("baseline", 0), f->value("events", 0),
                       f->value("judged", 0), f->value("changes", 0), f->value("overflows", 0));
  if (auto t = s.find("triage"); t != s.end() && t->is_object())
    out << fmt::format("triage: quick every {} s, full every {} s; {} runs, the last ({}) at {} took {:.2f} s\n",
                       t->value("quick_every_s", 0), t->value("full_every_s", 0), t->value("runs", 0),
                       t->value("last_kind", std::string("-")), iso8601(t->value("last_run", std::int64_t{0})),
                       t->value("last_seconds", 0.0));
  out << fmt::format("resources: RSS {} (limit {}), CPU {:.2f}% of a core over the last minute (limit {}%){}\n",
                     bytes_text(num(s, "rss")), bytes_text(num(s, "rss_limit")), num(s, "cpu"), num(s, "cpu_limit"),
                     s.value("shedding", false) ? " - SLOWED DOWN to stay under the limits" : "");
  auto messages = s.value("messages", nlohmann::json::array());
  if (!messages.empty()) {
    out << "recent messages:\n";
    for (const auto& e : messages) out << "  " << e.get<std::string>() << "\n";
  }
  return running ? 0 : 3;
}

}  // namespace vigil::watch
