// JSONL file sink.
#include "watch/sink.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/text.hpp"

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

expected<JsonlFileSink, std::string> JsonlFileSink::open(const std::string& path) {
  JsonlFileSink s;
  s.path_ = path;
  s.fd_ = UniqueFd(::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600));
  if (s.fd_.get() < 0) return make_unexpected(path + ": " + std::strerror(errno));
  return s;
}

std::vector<std::string> JsonlFileSink::recent_keys(std::size_t tail_bytes) const {
  std::vector<std::string> keys;
  UniqueFd fd(::open(path_.c_str(), O_RDONLY | O_CLOEXEC));
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

expected<void, std::string> JsonlFileSink::write(const std::vector<nlohmann::json>& objects) {
  std::string out;
  for (const auto& o : objects) out += o.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  for (std::size_t done = 0; done < out.size();) {
    ssize_t n = ::write(fd_.get(), out.data() + done, out.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return make_unexpected(path_ + ": " + std::strerror(errno));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fdatasync(fd_.get()) != 0) return make_unexpected(path_ + ": " + std::strerror(errno));
  return {};
}

}  // namespace vigil::watch
