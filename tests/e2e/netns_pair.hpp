// Two network namespaces the test creates (`ip netns add`) joined by a veth pair: "a"
// (10.231.N.1, where vigil runs) and "b" (10.231.N.2, the attacker). Deleted with everything in
// them (tables, sets, the veth) when the test ends; the host's own namespace is never touched.
// Sockets are made inside either namespace from a thread that joins it.
#pragma once

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <string>
#include <thread>

#include "e2e/vigil_run.hpp"

namespace vigil::testing {

class NetnsPair {
 public:
  NetnsPair() {
    const auto id = std::to_string(::getpid() % 100000);
    a_ = "vigil-a-" + id;
    b_ = "vigil-b-" + id;
    subnet_ = "10.231." + std::to_string(::getpid() % 250) + ".";
    const std::string va = "vga" + id, vb = "vgb" + id;
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"ip", "netns", "add", a_},
             {"ip", "netns", "add", b_},
             {"ip", "link", "add", va, "netns", a_, "type", "veth", "peer", "name", vb, "netns", b_},
             {"ip", "-n", a_, "addr", "add", subnet_ + "1/24", "dev", va},
             {"ip", "-n", b_, "addr", "add", subnet_ + "2/24", "dev", vb},
             {"ip", "-n", b_, "addr", "add", subnet_ + "3/24", "dev", vb},
             {"ip", "-n", a_, "link", "set", va, "up"},
             {"ip", "-n", b_, "link", "set", vb, "up"},
             {"ip", "-n", a_, "link", "set", "lo", "up"},
             {"ip", "-n", b_, "link", "set", "lo", "up"}}) {
      std::vector<std::string> argv = args;
      argv.insert(argv.begin(), "/bin/ip");
      argv.erase(argv.begin() + 1);
      auto r = run_vigil_as(argv);
      if (r.exit_code != 0) {
        error_ = "ip " + args[1] + " " + args[2] + ": " + r.err;
        return;
      }
    }
  }
  ~NetnsPair() {
    for (const auto& ns : {a_, b_}) run_vigil_as({"/bin/ip", "netns", "del", ns});
  }
  NetnsPair(const NetnsPair&) = delete;
  NetnsPair& operator=(const NetnsPair&) = delete;

  // Why the namespaces could not be made ("" when they were).
  const std::string& error() const { return error_; }
  const std::string& a() const { return a_; }
  const std::string& b() const { return b_; }
  std::string address_a() const { return subnet_ + "1"; }
  std::string address_b() const { return subnet_ + "2"; }
  std::string address_b2() const { return subnet_ + "3"; }

  // A TCP listener on every address of namespace a; -1 on failure.
  int listen_in_a(int port) const {
    int fd = -1;
    in_namespace(a_, [&] {
      fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      int one = 1;
      ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
      sockaddr_in s{};
      s.sin_family = AF_INET;
      s.sin_port = htons(static_cast<std::uint16_t>(port));
      if (::bind(fd, reinterpret_cast<sockaddr*>(&s), sizeof s) != 0 || ::listen(fd, 64) != 0) {
        ::close(fd);
        fd = -1;
      }
    });
    return fd;
  }

  // Whether a TCP connection from namespace b (from `from`) to a's address completes in time.
  bool connects_from_b(int port, const std::string& from, int timeout_ms = 800) const {
    bool ok = false;
    in_namespace(b_, [&] {
      int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
      sockaddr_in src{};
      src.sin_family = AF_INET;
      ::inet_pton(AF_INET, from.c_str(), &src.sin_addr);
      ::bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src);
      sockaddr_in dst{};
      dst.sin_family = AF_INET;
      dst.sin_port = htons(static_cast<std::uint16_t>(port));
      ::inet_pton(AF_INET, address_a().c_str(), &dst.sin_addr);
      ::connect(fd, reinterpret_cast<sockaddr*>(&dst), sizeof dst);
      pollfd p{fd, POLLOUT, 0};
      if (::poll(&p, 1, timeout_ms) == 1) {
        int error = 0;
        socklen_t len = sizeof error;
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
        ok = error == 0;
      }
      ::close(fd);
    });
    return ok;
  }

  // Runs `f` on a thread inside namespace a (sockets it makes live there).
  template <class F>
  void in_a(F&& f) const {
    in_namespace(a_, std::forward<F>(f));
  }

  // Runs `argv` (an absolute path first) inside namespace a.
  RunResult run_in_a(std::vector<std::string> argv) const {
    argv.insert(argv.begin(), {"/bin/ip", "netns", "exec", a_});
    return run_vigil_as(argv);
  }

 private:
  template <class F>
  static void in_namespace(const std::string& ns, F&& f) {
    std::thread t([&] {
      int fd = ::open(("/run/netns/" + ns).c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0 || ::setns(fd, CLONE_NEWNET) != 0) {
        if (fd >= 0) ::close(fd);
        return;
      }
      ::close(fd);
      f();
    });
    t.join();
  }

  std::string a_, b_, subnet_, error_;
};

}  // namespace vigil::testing
