// The JSONL file and stdout sinks.
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>

#include "core/unique_fd.hpp"
#include "watch/sink_kinds.hpp"

namespace vigil::watch {

namespace {

std::string jsonl_line(const nlohmann::json& o) {
  return o.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

class JsonlSink : public Sink {
 public:
  JsonlSink(SinkConfig c, std::string path) : Sink(std::move(c)), path_(std::move(path)) {}

  expected<void, std::string> reopen() {
    fd_ = UniqueFd(::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600));
    struct stat st{};
    if (fd_.get() < 0 || ::fstat(fd_.get(), &st) != 0) return make_unexpected(path_ + ": " + std::strerror(errno));
    size_ = static_cast<std::uint64_t>(st.st_size);
    return {};
  }

  expected<void, std::string> accept(const std::vector<nlohmann::json>& objects) override {
    std::string out;
    for (const auto& o : objects) out += jsonl_line(o);
    if (size_ > 0 && size_ + out.size() > static_cast<std::uint64_t>(config_.max_size))
      if (auto r = rotate(); !r) return r;
    stats_.accepted += objects.size();
    if (!write_all(fd_.get(), out) || ::fdatasync(fd_.get()) != 0) {
      stats_.last_error = path_ + ": " + std::strerror(errno);
      stats_.dropped += objects.size();
      return make_unexpected(stats_.last_error);
    }
    size_ += out.size();
    stats_.delivered += objects.size();
    return {};
  }

  std::vector<std::string> recent_keys() const override { return keys_in_file_tail(path_); }

 private:
  // PATH.(keep-1) → PATH.keep, …, PATH → PATH.1; a new PATH.
  expected<void, std::string> rotate() {
    if (config_.keep == 0) {
      ::unlink(path_.c_str());
    } else {
      for (int i = config_.keep - 1; i >= 1; --i)
        ::rename((path_ + "." + std::to_string(i)).c_str(), (path_ + "." + std::to_string(i + 1)).c_str());
      ::rename(path_.c_str(), (path_ + ".1").c_str());
    }
    return reopen();
  }

  std::string path_;
  UniqueFd fd_;
  std::uint64_t size_ = 0;
};

class StdoutSink : public Sink {
 public:
  explicit StdoutSink(SinkConfig c, std::size_t limit) : Sink(std::move(c)), limit_(limit) {}

  expected<void, std::string> accept(const std::vector<nlohmann::json>& objects) override {
    stats_.accepted += objects.size();
    for (const auto& o : objects) {
      if (queue_.size() >= limit_) {
        queue_.pop_front();
        ++stats_.dropped;
      }
      queue_.push_back(jsonl_line(o));
    }
    pump();
    return {};
  }

  void pump() override {
    while (!queue_.empty()) {
      pollfd p{STDOUT_FILENO, POLLOUT, 0};
      if (::poll(&p, 1, 0) != 1 || !(p.revents & POLLOUT)) break;  // the reader is behind
      if (!write_all(STDOUT_FILENO, queue_.front())) {
        stats_.last_error = std::string("standard output: ") + std::strerror(errno);
        stats_.up = false;
        break;
      }
      queue_.pop_front();
      ++stats_.delivered;
    }
    stats_.queued = queue_.size();
  }

 private:
  std::size_t limit_;
  std::deque<std::string> queue_;
};

}  // namespace

expected<std::unique_ptr<Sink>, std::string> open_jsonl_sink(const SinkConfig& c, const std::string& state_dir) {
  auto s = std::make_unique<JsonlSink>(c, c.path.empty() ? state_dir + "/findings.jsonl" : c.path);
  if (auto r = s->reopen(); !r) return make_unexpected(r.error());
  return std::unique_ptr<Sink>(std::move(s));
}

expected<std::unique_ptr<Sink>, std::string> open_stdout_sink(const SinkConfig& c) {
  return std::unique_ptr<Sink>(std::make_unique<StdoutSink>(c, 10'000));
}

}  // namespace vigil::watch
