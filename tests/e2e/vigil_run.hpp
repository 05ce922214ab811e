// Running the vigil binary as a user would, and planting real processes for it to find.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace vigil::testing {

struct RunResult {
  int exit_code = -1;
  std::string out, err;
};

inline std::vector<char*> c_argv(std::vector<std::string>& args) {
  std::vector<char*> v;
  for (auto& a : args) v.push_back(a.data());
  v.push_back(nullptr);
  return v;
}

// Runs args[0] (an absolute path) with its arguments; captures stdout and stderr.
inline RunResult run_vigil_as(std::vector<std::string> args) {
  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) return {};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err[1], 2);
  auto argv = c_argv(args);
  pid_t pid = 0;
  RunResult r;
  if (::posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ) != 0) return r;
  posix_spawn_file_actions_destroy(&fa);
  ::close(out[1]);
  ::close(err[1]);
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  std::string* sinks[2] = {&r.out, &r.err};
  int open = 2;
  char buf[65536];
  while (open > 0 && ::poll(fds, 2, 60000) > 0) {
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0)
        sinks[i]->append(buf, static_cast<std::size_t>(n));
      else {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      }
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

// Runs VIGIL_BINARY with args.
inline RunResult run_vigil(std::vector<std::string> args) {
  args.insert(args.begin(), VIGIL_BINARY);
  return run_vigil_as(std::move(args));
}

inline std::vector<nlohmann::json> parse_jsonl(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  return out;
}

// Findings (ECS objects) of one rule, optionally only those about one pid.
inline std::vector<nlohmann::json> findings_of(const std::vector<nlohmann::json>& all,
                                               const std::string& rule, long pid = -1) {
  std::vector<nlohmann::json> out;
  for (const auto& f : all) {
    if (f["rule"]["id"] != rule) continue;
    if (pid >= 0 && !(f.contains("process") && f["process"].value("pid", -1L) == pid)) continue;
    out.push_back(f);
  }
  return out;
}

inline std::vector<nlohmann::json> findings_for_pid(const std::vector<nlohmann::json>& all,
                                                    long pid) {
  std::vector<nlohmann::json> out;
  for (const auto& f : all)
    if (f.contains("process") && f["process"].value("pid", -1L) == pid) out.push_back(f);
  return out;
}

// A process the test starts; killed and reaped when the test ends, pass or fail.
class Planted {
 public:
  // `path` is executed; argv[0] may be anything (a disguise).
  Planted(const std::string& path, std::vector<std::string> argv, int stdio_fd = -1) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (stdio_fd >= 0) {
      for (int fd = 0; fd < 3; ++fd) posix_spawn_file_actions_adddup2(&fa, stdio_fd, fd);
    } else {
      posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
      posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
      posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    }
    auto v = c_argv(argv);
    if (::posix_spawn(&pid_, path.c_str(), &fa, nullptr, v.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&fa);
  }
  ~Planted() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  Planted(const Planted&) = delete;
  Planted& operator=(const Planted&) = delete;
  pid_t pid() const { return pid_; }
  bool alive() const { return pid_ > 0 && ::kill(pid_, 0) == 0; }
  // Sends `sig` and waits up to `seconds` for the exit; the exit code (128 + signal when
  // killed), or -1 when it did not exit in time (it is then killed).
  int stop(int sig, double seconds = 10) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, sig);
    int status = 0;
    auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > end) return -1;  // the destructor kills it
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

 private:
  pid_t pid_ = -1;
};

// Polls `cond` for up to `seconds`.
template <class F>
bool wait_for(F&& cond, double seconds = 5) {
  auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < end) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return cond();
}

}  // namespace vigil::testing
