// What every sink shares, and the choice of sink by kind.
#include "watch/sink.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "core/text.hpp"
#include "core/unique_fd.hpp"
#include "watch/clock.hpp"
#include "watch/sink_kinds.hpp"

namespace vigil::watch {

std::string finding_key(const nlohmann::json& ecs) {
  std::string key;
  if (auto v = ecs.find("vigil"); v != ecs.end() && v->is_object())
    if (auto f = v->find("fingerprint"); f != v->end() && f->is_string()) key = f->get<std::string>();
  key += '|';
  if (auto e = ecs.find("event"); e != ecs.end() && e->is_object())
    if (auto s = e->find("start"); s != e->end()) key += s->is_string() ? s->get<std::string>() : s->dump();
  return key;
}

bool write_all(int fd, std::string_view bytes) {
  for (std::size_t done = 0; done < bytes.size();) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

std::vector<std::string> keys_in_file_tail(const std::string& path, std::size_t tail_bytes) {
  std::vector<std::string> keys;
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat st{};
  if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0) return keys;
  std::size_t size = static_cast<std::size_t>(st.st_size), from = size > tail_bytes ? size - tail_bytes : 0;
  std::string text(size - from, '\0');
  ssize_t n = ::pread(fd.get(), text.data(), text.size(), static_cast<off_t>(from));
  text.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  for_each_line(text, [&](std::string_view line, std::size_t) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_discarded() && j.is_object()) keys.push_back(finding_key(j));
  });
  return keys;
}

void Sink::drain(std::int64_t deadline_ms) {
  while (stats_.queued > 0 && monotonic_ms() < deadline_ms) {
    auto before = stats_.queued;
    pump();
    if (stats_.queued == before) ::usleep(20'000);
  }
}

std::uint64_t Sink::take_new_drops() {
  auto n = stats_.dropped - drops_reported_;
  drops_reported_ = stats_.dropped;
  return n;
}

expected<std::unique_ptr<Sink>, std::string> make_sink(const SinkConfig& c, const std::string& state_dir) {
  switch (c.kind) {
    case SinkKind::jsonl: return open_jsonl_sink(c, state_dir);
    case SinkKind::stdout_: return open_stdout_sink(c);
    case SinkKind::syslog: return open_syslog_sink(c, state_dir);
    case SinkKind::journal: return open_journal_sink(c, state_dir);
  }
  return make_unexpected(std::string("unknown sink kind"));
}

}  // namespace vigil::watch
