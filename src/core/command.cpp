// posix_spawn with pipes and a poll deadline; no system(), no popen(), no shell.
#include "core/command.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <pthread.h>

#include <cerrno>
#include <cstring>

#include "core/unique_fd.hpp"

namespace vigil {

namespace {

constexpr std::string_view kPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

std::string resolve(const std::string& program) {
  if (program.find('/') != std::string::npos) return program;
  std::string_view dirs = kPath;
  while (!dirs.empty()) {
    auto colon = dirs.find(':');
    auto dir = dirs.substr(0, colon);
    std::string candidate = fmt::format("{}/{}", dir, program);
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string_view::npos) break;
    dirs.remove_prefix(colon + 1);
  }
  return {};
}

// A write to a pipe whose reader is gone: EPIPE, not the SIGPIPE that would end vigil. The
// signal is blocked in this thread for the write and a pending one taken back.
ssize_t write_without_sigpipe(int fd, std::string_view data) {
  sigset_t pipe_only, old;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  ::pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
  ssize_t w = ::write(fd, data.data(), data.size());
  const int error = errno;
  if (w < 0 && error == EPIPE) {
    timespec zero{};
    ::sigtimedwait(&pipe_only, nullptr, &zero);
  }
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  errno = error;
  return w;
}

}  // namespace

expected<std::vector<std::string>, std::string> split_argv(std::string_view line) {
  std::vector<std::string> argv;
  std::string cur;
  bool in_word = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) argv.push_back(std::move(cur)), cur.clear(), in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\'') {
      auto end = line.find('\'', i + 1);
      if (end == std::string_view::npos) return make_unexpected(fmt::format("unterminated ' in: {}", line));
      cur.append(line.substr(i + 1, end - i - 1));
      i = end;
    } else if (c == '"') {
      std::size_t j = i + 1;
      for (; j < line.size() && line[j] != '"'; ++j) {
        if (line[j] == '\\' && j + 1 < line.size() && std::strchr("\"\\$`\n", line[j + 1])) ++j;
        cur += line[j];
      }
      if (j >= line.size()) return make_unexpected(fmt::format("unterminated \" in: {}", line));
      i = j;
    } else if (c == '\\' && i + 1 < line.size()) {
      cur += line[++i];
    } else {
      cur += c;
    }
  }
  if (in_word) argv.push_back(std::move(cur));
  if (argv.empty()) return make_unexpected("empty command");
  return argv;
}

expected<CommandOutput, std::string> run_command(std::string_view line, std::chrono::milliseconds timeout) {
  auto argv = split_argv(line);
  if (!argv) return make_unexpected(argv.error());
  return run_command(Command{std::move(*argv), {}, {}, timeout});
}

expected<CommandOutput, std::string> run_command(const Command& command) {
  if (command.argv.empty() || command.argv.front().empty()) return make_unexpected("empty command");
  const auto& name = command.argv.front();
  std::string program = resolve(name);
  if (program.empty() || ::access(program.c_str(), X_OK) != 0)
    return make_unexpected(name.find('/') != std::string::npos
                               ? fmt::format("program '{}' does not exist or cannot be run", name)
                               : fmt::format("program '{}' is not installed (not in the system PATH)", name));

  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return make_unexpected(fmt::format("pipe: {}", std::strerror(errno)));
  UniqueFd read_end(fds[0]), write_end(fds[1]);
  UniqueFd input_read, input_write;
  if (!command.input.empty()) {
    if (::pipe2(fds, O_CLOEXEC) != 0) return make_unexpected(fmt::format("pipe: {}", std::strerror(errno)));
    input_read = UniqueFd(fds[0]);
    input_write = UniqueFd(fds[1]);
    ::fcntl(input_write.get(), F_SETFL, O_NONBLOCK);
  }

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (input_read) posix_spawn_file_actions_adddup2(&fa, input_read.get(), 0);
  else posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, write_end.get(), 1);
  posix_spawn_file_actions_adddup2(&fa, write_end.get(), 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);

  std::vector<std::string> args = command.argv;
  std::vector<char*> cargv;
  for (auto& a : args) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  std::vector<std::string> env = {fmt::format("PATH={}", kPath), "LC_ALL=C"};
  env.insert(env.end(), command.env.begin(), command.env.end());
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);

  pid_t pid = 0;
  int rc = ::posix_spawn(&pid, program.c_str(), &fa, &attr, cargv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  write_end.reset();
  input_read.reset();
  if (rc != 0) return make_unexpected(fmt::format("cannot run '{}': {}", program, std::strerror(rc)));

  CommandOutput out;
  auto deadline = std::chrono::steady_clock::now() + command.timeout;
  bool timed_out = false;
  std::string_view pending = command.input;
  char buf[65536];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p[2] = {{read_end.get(), POLLIN, 0}, {input_write.get(), POLLOUT, 0}};
    int pr = ::poll(p, input_write ? 2 : 1, static_cast<int>(left.count()));
    if (pr < 0 && errno == EINTR) continue;
    if (pr == 0) {
      timed_out = true;
      break;
    }
    if (input_write && (p[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t w = write_without_sigpipe(input_write.get(), pending);
      if (w > 0) pending.remove_prefix(static_cast<std::size_t>(w));
      if (w < 0 && errno != EAGAIN && errno != EINTR) pending = {};  // it stopped reading: fine
      if (pending.empty()) input_write.reset();
    }
    if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    ssize_t n = ::read(read_end.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    std::size_t room = kMaxCommandOutput - std::min(kMaxCommandOutput, out.output.size());
    out.output.append(buf, std::min<std::size_t>(room, static_cast<std::size_t>(n)));
    if (static_cast<std::size_t>(n) > room) out.truncated = true;
  }
  input_write.reset();
  if (timed_out) ::kill(-pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    std::string line;
    for (const auto& a : command.argv) line += (line.empty() ? "" : " ") + a;
    return make_unexpected(fmt::format("'{}' did not finish within {} s and was killed", line,
                                       std::chrono::duration<double>(command.timeout).count()));
  }
  out.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return out;
}

}  // namespace vigil
