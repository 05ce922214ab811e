// End-to-end: vigil watch sends findings to syslog receivers the test runs (TCP with octet
// counting, UDP, a Unix datagram socket) and to a journald socket in a private mount
// namespace; a receiver that goes away and comes back gets what it missed.
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "e2e/watch_support.hpp"

using namespace vigil::testing;
namespace fs = std::filesystem;

namespace {

// A TCP syslog receiver on loopback reading RFC 6587 octet-counted frames.
class TcpReceiver {
 public:
  explicit TcpReceiver(int port = 0) {
    listen_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    ::setsockopt(listen_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    if (::bind(listen_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(listen_, 4) != 0) return;
    socklen_t len = sizeof a;
    ::getsockname(listen_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~TcpReceiver() { stop(); }
  void stop() {
    if (!thread_.joinable()) return;
    stopping_ = true;
    thread_.join();
    ::close(listen_);
  }
  int port() const { return port_; }
  std::vector<std::string> frames() {
    std::lock_guard lock(m_);
    return frames_;
  }
  bool framing_ok() const { return framing_ok_; }

 private:
  void serve() {
    std::vector<int> conns;
    std::vector<std::string> bufs;
    while (!stopping_) {
      std::vector<pollfd> fds{{listen_, POLLIN, 0}};
      for (int c : conns) fds.push_back({c, POLLIN, 0});
      if (::poll(fds.data(), fds.size(), 20) <= 0) continue;
      if (fds[0].revents & POLLIN) {
        int c = ::accept4(listen_, nullptr, nullptr, SOCK_CLOEXEC);
        if (c >= 0) conns.push_back(c), bufs.emplace_back();
      }
      for (std::size_t i = 1; i < fds.size(); ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP))) continue;
        char buf[65536];
        ssize_t n = ::read(conns[i - 1], buf, sizeof buf);
        if (n <= 0) continue;
        auto& b = bufs[i - 1];
        b.append(buf, static_cast<std::size_t>(n));
        // MSG-LEN SP SYSLOG-MSG
        for (;;) {
          auto sp = b.find(' ');
          if (sp == std::string::npos) break;
          std::size_t len = 0;
          for (std::size_t k = 0; k < sp; ++k) {
            if (!std::isdigit(static_cast<unsigned char>(b[k]))) framing_ok_ = false;
            len = len * 10 + static_cast<std::size_t>(b[k] - '0');
          }
          if (b.size() < sp + 1 + len) break;
          std::lock_guard lock(m_);
          frames_.push_back(b.substr(sp + 1, len));
          b.erase(0, sp + 1 + len);
        }
      }
    }
    for (int c : conns) ::close(c);  // the receiver goes away: its connections close
  }

  int listen_ = -1, port_ = 0;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> framing_ok_{true};
  std::mutex m_;
  std::vector<std::string> frames_;
};

bool frame_about(const std::vector<std::string>& frames, const std::string& rule, const std::string& ip) {
  for (const auto& f : frames) {
    auto brace = f.find('{');
    if (brace == std::string::npos || f.rfind("<", 0) != 0) continue;
    auto j = nlohmann::json::parse(f.substr(brace), nullptr, false);
    if (!j.is_discarded() && j["rule"]["id"] == rule && (ip.empty() || j["source"]["ip"] == ip)) return true;
  }
  return false;
}

std::string config_with(const TempDir& d, const std::string& sinks) {
  return "state_dir: " + d / "state" + "\nsources:\n  logs: [" + d / "auth.log" + "]\n  triage: off\n  processes: off\nsinks:\n  - type: jsonl\n    path: " +
         d / "out.jsonl" + "\n" + sinks;
}

void six_failures(const TempDir& d, const std::string& ip, int from = 1) {
  for (int i = from; i < from + 6; ++i) failure(d, i, "auth.log", ip);
}

}  // namespace

TEST(WatchSinks, SyslogTcpReceiverGetsRfc5424FramesAndARestartLosesNothing) {
  TempDir d("vigil-watch-tcp");
  d.write("auth.log", "");
  auto rx = std::make_unique<TcpReceiver>();
  int port = rx->port();
  ASSERT_GT(port, 0);
  d.write("w.yaml", config_with(d, "  - type: syslog\n    name: siem\n    transport: tcp\n    address: 127.0.0.1:" +
                                       std::to_string(port) + "\n"));
  WatchDaemon w(d, {"--config", d / "w.yaml"});
  ASSERT_TRUE(watch_started(d)) << slurp(d / "err.txt");
  six_failures(d, "198.51.100.7");
  ASSERT_TRUE(wait_for([&] { return frame_about(rx->frames(), "logs.auth-brute-force", "198.51.100.7"); }, 2.0))
      << slurp(d / "err.txt");
  auto frame = rx->frames().front();
  EXPECT_EQ(frame.rfind("<84>1 ", 0), 0u) << frame;  // authpriv.warning, version 1
  EXPECT_NE(frame.find(" vigil "), std::string::npos);
  EXPECT_NE(frame.find("[vigil@32473 rule=\"logs.auth-brute-force\" severity=\"medium\""), std::string::npos) << frame;
  EXPECT_TRUE(rx->framing_ok());

  // The receiver goes away; an attack meanwhile waits in the spool.
  rx.reset();
  six_failures(d, "203.0.113.50", 10);
  ASSERT_TRUE(wait_for([&] { return written(d, "logs.auth-brute-force").size() == 2; }, 2.0)) << slurp(d / "err.txt");
  ASSERT_TRUE(wait_for([&] { return !written(d, "watch.sink-down").empty(); }, 3.0)) << slurp(d / "err.txt");
  // --status (written every second) shows the sink down with the finding queued.
  RunResult status;
  bool queued = false;
  wait_for([&] {
    status = run_vigil({"watch", "--status", "--state-dir", d / "state", "--format", "json"});
    auto s = nlohmann::json::parse(status.out, nullptr, false);
    if (status.exit_code != 0 || s.is_discarded()) return false;
    for (const auto& k : s["sinks"])
      if (k["name"] == "siem") queued = !k["up"].get<bool>() && k["queued"].get<int>() >= 1;
    return queued;
  });
  EXPECT_TRUE(queued) << status.out;

  // Back on the same port: the missed finding arrives (the sink retries with backoff).
  TcpReceiver again(port);
  ASSERT_EQ(again.port(), port);
  ASSERT_TRUE(wait_for([&] { return frame_about(again.frames(), "logs.auth-brute-force", "203.0.113.50"); }, 8.0))
      << slurp(d / "err.txt");
  EXPECT_EQ(w.stop(SIGTERM), 0);
}

TEST(WatchSinks, SyslogOverUdpAndAUnixDatagramSocket) {
  TempDir d("vigil-watch-udp");
  d.write("auth.log", "");
  int udp = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(udp, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  socklen_t len = sizeof a;
  ::getsockname(udp, reinterpret_cast<sockaddr*>(&a), &len);
  int unix_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un un{};
  un.sun_family = AF_UNIX;
  std::string path = d / "log.sock";
  std::strncpy(un.sun_path, path.c_str(), sizeof un.sun_path - 1);
  ASSERT_EQ(::bind(unix_fd, reinterpret_cast<sockaddr*>(&un), sizeof un), 0);
  d.write("w.yaml", config_with(d, "  - {type: syslog, name: udp, transport: udp, address: '127.0.0.1:" +
                                       std::to_string(ntohs(a.sin_port)) +
                                       "', facility: local3}\n  - {type: syslog, name: local, transport: unix, "
                                       "address: '" + path + "', min_severity: high}\n"));
  WatchDaemon w(d, {"--config", d / "w.yaml"});
  ASSERT_TRUE(watch_started(d)) << slurp(d / "err.txt");
  six_failures(d, "198.51.100.7");
  pollfd p{udp, POLLIN, 0};
  ASSERT_EQ(::poll(&p, 1, 3000), 1) << slurp(d / "err.txt");
  char buf[65536];
  ssize_t n = ::recv(udp, buf, sizeof buf, 0);
  ASSERT_GT(n, 0);
  std::string msg(buf, static_cast<std::size_t>(n));
  EXPECT_EQ(msg.rfind("<156>1 ", 0), 0u) << msg;  // local3 (19) * 8 + warning (4), no octet count
  EXPECT_TRUE(frame_about({msg}, "logs.auth-brute-force", "198.51.100.7")) << msg;
  // The Unix sink takes only high and critical: the medium brute force is not sent there.
  pollfd q{unix_fd, POLLIN, 0};
  EXPECT_EQ(::poll(&q, 1, 500), 0);
  EXPECT_EQ(w.stop(SIGTERM), 0);
  ::close(udp);
  ::close(unix_fd);
}

// journald is played by a datagram socket at /run/systemd/journal/socket inside a private
// mount namespace (a tmpfs on /run there): the host's /run is never touched.
TEST(WatchSinks, JournalSinkSendsStructuredFieldsAndWaitsWhileJournaldIsAbsent) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root for a private mount namespace";
  TempDir d("vigil-watch-journal");
  d.write("auth.log", "");
  d.write("w.yaml", config_with(d, "  - type: journal\n"));
  std::string got = d / "journal.txt";
  pid_t child = ::fork();
  if (child == 0) {
    // In the child only: its own mounts, a tmpfs over /run, then vigil watch before any
    // journald exists; the socket appears after the first finding.
    if (::unshare(CLONE_NEWNS) != 0 || ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
        ::mount("tmpfs", "/run", "tmpfs", 0, "size=1m") != 0)
      ::_exit(10);
    int err = ::open((d / "err.txt").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    pid_t vigil = ::fork();
    if (vigil == 0) {
      ::dup2(err, 1);
      ::dup2(err, 2);
      std::string cfg = d / "w.yaml";
      ::execl(VIGIL_BINARY, "vigil", "watch", "--config", cfg.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    auto stop = [&](int code) {
      ::kill(vigil, SIGKILL);
      ::waitpid(vigil, nullptr, 0);
      ::_exit(code);
    };
    for (int i = 0; i < 250 && !fs::exists(d / "state/watch.state"); ++i) ::usleep(20'000);
    six_failures(d, "198.51.100.7");
    for (int i = 0; i < 250 && written(d, "logs.auth-brute-force").empty(); ++i) ::usleep(20'000);
    // The journal sink tried, found no journald, spooled the finding and said so.
    for (int i = 0; i < 250 && written(d, "watch.sink-down").empty(); ++i) ::usleep(20'000);
    ::mkdir("/run/systemd", 0755);
    ::mkdir("/run/systemd/journal", 0755);
    int s = ::socket(AF_UNIX, SOCK_DGRAM, 0);
    sockaddr_un un{};
    un.sun_family = AF_UNIX;
    std::strcpy(un.sun_path, "/run/systemd/journal/socket");
    if (::bind(s, reinterpret_cast<sockaddr*>(&un), sizeof un) != 0) stop(11);
    pollfd p{s, POLLIN, 0};
    if (::poll(&p, 1, 5000) != 1) stop(12);
    char buf[65536];
    ssize_t n = ::recv(s, buf, sizeof buf, 0);
    std::ofstream(got) << std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
    stop(0);
  }
  ASSERT_GT(child, 0);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0) << "child step failed; vigil said: " << slurp(d / "err.txt");
  auto entry = slurp(got);
  // The journal's native protocol: FIELD=value lines.
  EXPECT_NE(entry.find("SYSLOG_IDENTIFIER=vigil\n"), std::string::npos) << entry;
  EXPECT_NE(entry.find("VIGIL_RULE_ID=logs.auth-brute-force\n"), std::string::npos) << entry;
  EXPECT_NE(entry.find("PRIORITY=4\n"), std::string::npos) << entry;
  EXPECT_NE(entry.find("SOURCE_IP=198.51.100.7\n"), std::string::npos) << entry;
  EXPECT_NE(entry.find("VIGIL_ECS={"), std::string::npos) << entry;
  EXPECT_FALSE(written(d, "watch.sink-down").empty()) << "journald's absence was said";
}
