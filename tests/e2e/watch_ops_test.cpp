// End-to-end: running vigil watch as an administrator does - --check-config, --status, SIGHUP
// with a good and a bad config, SIGTERM - and what it does with bad input: a log turned
// binary, a log deleted, a log it may not read, a state directory on a full disk.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "e2e/watch_support.hpp"

using namespace vigil::testing;
namespace fs = std::filesystem;

namespace {

std::string base_config(const TempDir& d, const std::string& logs, const std::string& extra = "") {
  return "state_dir: " + d / "state" + "\nsources:\n  logs: [" + logs + "]\n  triage: off\n  processes: off\n" + extra + "sinks:\n  - type: jsonl\n    path: " +
         d / "out.jsonl" + "\n";
}

}  // namespace

TEST(WatchOps, CheckConfigListsEveryErrorWithItsPlace) {
  TempDir d("vigil-watch-check");
  d.write("bad.yaml",
          "sources:\n"
          "  logs: [/var/log/auth.log]\n"
          "  follow: yes\n"
          "rules:\n"
          "  disable: [logs.auth-brute-force, logs.no-such-rule]\n"
          "limits:\n"
          "  cpu: lots\n");
  auto bad = run_vigil({"watch", "--check-config", "--config", d / "bad.yaml"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find(d / "bad.yaml" + ":3:3: sources: unknown key 'follow'"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find(d / "bad.yaml" + ":7:8: limits.cpu: 'lots'"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("errors; vigil watch would not start"), std::string::npos) << bad.err;
  // Rule ids are checked against the rules loaded, once the file itself is right.
  d.write("rules.yaml", "sources:\n  logs: [/var/log/auth.log]\nrules:\n  disable: [logs.auth-brute-force, logs.no-such-rule]\n");
  auto rules = run_vigil({"watch", "--check-config", "--config", d / "rules.yaml"});
  EXPECT_EQ(rules.exit_code, 2);
  EXPECT_NE(rules.err.find(":4:36: rules.disable: no rule 'logs.no-such-rule' is loaded"), std::string::npos) << rules.err;
  d.write("good.yaml", "sources:\n  logs: [/var/log/auth.log]\nrules:\n  disable: [logs.auth-brute-force]\n");
  auto good = run_vigil({"watch", "--check-config", "--config", d / "good.yaml"});
  EXPECT_EQ(good.exit_code, 0) << good.err;
  EXPECT_NE(good.out.find("- OK"), std::string::npos) << good.out;
  EXPECT_NE(good.out.find("1 disabled"), std::string::npos) << good.out;
  // The daemon refuses the bad file the same way.
  auto start = run_vigil({"watch", "--config", d / "bad.yaml"});
  EXPECT_EQ(start.exit_code, 2);
  EXPECT_NE(start.err.find(":3:3:"), std::string::npos) << start.err;
}

TEST(WatchOps, StatusReloadAndStop) {
  TempDir d("vigil-watch-ops");
  d.write("auth.log", "");
  d.write("other.log", "");
  d.write("w.yaml", base_config(d, d / "auth.log"));
  WatchDaemon w(d, {"--config", d / "w.yaml"});
  ASSERT_TRUE(watch_started(d)) << slurp(d / "err.txt");
  ASSERT_TRUE(wait_for([&] { return fs::exists(d / "state/status.json"); }));
  auto st = run_vigil({"watch", "--status", "--config", d / "w.yaml"});
  EXPECT_EQ(st.exit_code, 0) << st.err;
  EXPECT_NE(st.out.find("vigil watch: running (pid " + std::to_string(w.pid())), std::string::npos) << st.out;
  EXPECT_NE(st.out.find(d / "auth.log"), std::string::npos) << st.out;
  EXPECT_NE(st.out.find("jsonl"), std::string::npos) << st.out;

  // A second daemon on the same state directory is refused.
  auto twice = run_vigil({"watch", "--config", d / "w.yaml"});
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_NE(twice.err.find("another vigil watch (pid " + std::to_string(w.pid())), std::string::npos) << twice.err;

  // SIGHUP with a config that follows other.log too and disables nothing: it follows it.
  d.write("w.yaml", base_config(d, d / "auth.log" + ", " + d / "other.log"));
  ::kill(w.pid(), SIGHUP);
  ASSERT_TRUE(wait_for([&] { return slurp(d / "err.txt").find("config reloaded") != std::string::npos; }))
      << slurp(d / "err.txt");
  for (int i = 1; i <= 6; ++i) failure(d, i, "other.log");
  ASSERT_TRUE(wait_for([&] { return !written(d, "logs.auth-brute-force").empty(); }, 2.0)) << slurp(d / "err.txt");

  // SIGHUP with a broken config: refused, said as a finding, the old one keeps working.
  d.write("w.yaml", base_config(d, d / "auth.log", "limits:\n  rss: huge\n"));
  ::kill(w.pid(), SIGHUP);
  ASSERT_TRUE(wait_for([&] { return !written(d, "watch.config-rejected").empty(); })) << slurp(d / "err.txt");
  EXPECT_NE(written(d, "watch.config-rejected")[0]["message"].get<std::string>().find("'huge' is not a size"),
            std::string::npos);
  for (int i = 1; i <= 6; ++i) failure(d, i, "auth.log", "203.0.113.9");
  ASSERT_TRUE(wait_for([&] { return written(d, "logs.auth-brute-force").size() == 2; }, 2.0)) << slurp(d / "err.txt");

  // SIGTERM: state saved, exit 0, well within 5 s; --status then says it is not running.
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(w.stop(SIGTERM), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  auto after = run_vigil({"watch", "--status", "--state-dir", d / "state"});
  EXPECT_EQ(after.exit_code, 3);
  EXPECT_NE(after.out.find("NOT running"), std::string::npos) << after.out;
}

TEST(WatchOps, ALogTurnedBinaryOrDeletedIsSaidAndTheOthersAreStillWatched) {
  TempDir d("vigil-watch-bad");
  d.write("auth.log", "");
  d.write("app.log", "");
  d.write("w.yaml", base_config(d, d / "auth.log" + ", " + d / "app.log"));
  WatchDaemon w(d, {"--config", d / "w.yaml"});
  ASSERT_TRUE(watch_started(d)) << slurp(d / "err.txt");
  {
    std::ofstream bin(d / "app.log", std::ios::binary | std::ios::app);
    for (int i = 0; i < 64; ++i) bin << std::string("\x7f" "ELF\x02\x01\x01\0\0\0\xff\xfe\n", 14);
  }
  ASSERT_TRUE(wait_for([&] { return !written(d, "watch.source-problem").empty(); })) << slurp(d / "err.txt");
  auto binary = written(d, "watch.source-problem")[0];
  EXPECT_EQ(binary["vigil"]["severity"], "medium");
  EXPECT_EQ(binary["file"]["path"], d / "app.log");
  EXPECT_NE(binary["message"].get<std::string>().find("binary data from line 1"), std::string::npos);
  EXPECT_EQ(written(d, "watch.source-problem").size(), 1u) << "one finding for the file, not one per line";
  fs::remove(d / "app.log");
  ASSERT_TRUE(wait_for([&] { return written(d, "watch.source-problem").size() == 2; })) << slurp(d / "err.txt");
  EXPECT_EQ(written(d, "watch.source-problem")[1]["vigil"]["severity"], "low");
  for (int i = 1; i <= 6; ++i) failure(d, i);
  ASSERT_TRUE(wait_for([&] { return !written(d, "logs.auth-brute-force").empty(); }, 2.0)) << slurp(d / "err.txt");
  EXPECT_TRUE(w.alive());
}

TEST(WatchOps, ALogItMayNotReadIsAFindingNotAnExit) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to drop to nobody";
  if (!fs::exists("/usr/bin/setpriv")) GTEST_SKIP() << "needs setpriv (util-linux)";
  TempDir d("vigil-watch-perm");
  d.write("auth.log", "");
  d.write("secret.log", "root only\n");
  ::chmod((d / "secret.log").c_str(), 0600);
  ::chmod(d.path().c_str(), 0777);
  ::chmod((d / "auth.log").c_str(), 0666);
  std::string copy = d / "vigil";
  fs::copy_file(VIGIL_BINARY, copy);
  WatchDaemon w(d, "/usr/bin/setpriv",
                {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", copy, "watch", "--log", d / "auth.log",
                 "--log", d / "secret.log", "--state-dir", d / "state", "--output", d / "out.jsonl", "--no-builtin",
                 "--rules", std::string(VIGIL_SOURCE_DIR) + "/rules/logs"});
  ASSERT_TRUE(wait_for([&] { return !written(d, "watch.source-problem").empty(); })) << slurp(d / "err.txt");
  auto f = written(d, "watch.source-problem")[0];
  EXPECT_EQ(f["vigil"]["severity"], "info");
  EXPECT_NE(f["message"].get<std::string>().find("Permission denied"), std::string::npos) << f.dump();
  for (int i = 1; i <= 6; ++i) failure(d, i);
  ASSERT_TRUE(wait_for([&] { return !written(d, "logs.auth-brute-force").empty(); }, 2.0)) << slurp(d / "err.txt");
}

// The state directory on a tmpfs that is full, in a private mount namespace (unshare -m) so
// the host's mounts are never touched.
TEST(WatchOps, AFullStateDiskIsAFindingAndFindingsStillFlow) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root for a private mount namespace";
  if (!fs::exists("/usr/bin/unshare")) GTEST_SKIP() << "needs unshare (util-linux)";
  TempDir d("vigil-watch-full");
  d.write("auth.log", "");
  fs::create_directories(d / "state");
  std::string script =
      "mount -t tmpfs -o size=64k tmpfs \"$1\" && dd if=/dev/zero of=\"$1/fill\" bs=4k count=64 2>/dev/null; "
      "exec \"$2\" watch --log \"$3\" --state-dir \"$1\" --output \"$4\"";
  WatchDaemon w(d, "/usr/bin/unshare",
                {"unshare", "-m", "--propagation", "private", "/bin/sh", "-c", script, "sh", d / "state", VIGIL_BINARY,
                 d / "auth.log", d / "out.jsonl"});
  ASSERT_TRUE(wait_for([&] { return !written(d, "watch.state-unsaved").empty(); })) << slurp(d / "err.txt");
  EXPECT_EQ(written(d, "watch.state-unsaved")[0]["vigil"]["severity"], "medium");
  for (int i = 1; i <= 6; ++i) failure(d, i);
  ASSERT_TRUE(wait_for([&] { return !written(d, "logs.auth-brute-force").empty(); }, 2.0)) << slurp(d / "err.txt");
  EXPECT_EQ(written(d, "watch.state-unsaved").size(), 1u) << "said once, not at every save";
}

TEST(WatchOps, OverItsCpuLimitItSlowsDownSaysSoAndSkipsNothing) {
  TempDir d("vigil-watch-limit");
  d.write("auth.log", "");
  d.write("w.yaml", base_config(d, d / "auth.log", "limits:\n  cpu: 0.01%\n"));
  WatchDaemon w(d, {"--config", d / "w.yaml"});
  ASSERT_TRUE(watch_started(d)) << slurp(d / "err.txt");
  // A flood of noise (200,000 lines) puts it over its limit.
  std::string noise = syslog_now() + " web1 CRON[7]: pam_unix(cron:session): session closed for user root\n";
  auto flood = [&](int lines) {
    std::ofstream log(d / "auth.log", std::ios::app);
    for (int i = 0; i < lines; ++i) log << noise;
  };
  flood(200'000);
  ASSERT_TRUE(wait_for([&] { return !written(d, "watch.self-limit").empty(); }, 10.0)) << slurp(d / "err.txt");
  auto f = written(d, "watch.self-limit")[0];
  EXPECT_EQ(f["vigil"]["severity"], "low");
  EXPECT_NE(f["message"].get<std::string>().find("limit 0.01%"), std::string::npos) << f.dump();
  // Slowed down (at least 256 KiB/s): a second flood of 1.5 MB takes it seconds, which
  // --status shows as lag; the attack after it is still found - nothing is skipped.
  flood(20'000);
  for (int i = 1; i <= 6; ++i) failure(d, i);
  EXPECT_TRUE(wait_for([&] {
    auto st = run_vigil({"watch", "--status", "--state-dir", d / "state", "--format", "json"});
    auto j = nlohmann::json::parse(st.out, nullptr, false);
    return !j.is_discarded() && j["shedding"] == true && j["sources"][0]["lag"].get<std::uint64_t>() > 0;
  })) << "slowed down with a backlog";
  ASSERT_TRUE(wait_for([&] { return !written(d, "logs.auth-brute-force").empty(); }, 30.0)) << slurp(d / "err.txt");
}

TEST(WatchOps, TheSuppressionFileKeepsAKnownSourceQuietAndCountsIt) {
  TempDir d("vigil-watch-suppress");
  d.write("auth.log", "");
  d.write("suppress.conf", "logs.auth-brute-force source.ip=198.51.100.7 -- our own scanner, ticket 12\n");
  d.write("w.yaml", "suppressions: " + d / "suppress.conf" + "\n" + base_config(d, d / "auth.log"));
  WatchDaemon w(d, {"--config", d / "w.yaml"});
  ASSERT_TRUE(watch_started(d)) << slurp(d / "err.txt");
  for (int i = 1; i <= 6; ++i) failure(d, i);                  // the vouched-for scanner
  for (int i = 1; i <= 6; ++i) failure(d, i, "auth.log", "203.0.113.66");
  ASSERT_TRUE(wait_for([&] { return !written(d, "logs.auth-brute-force").empty(); }, 2.0)) << slurp(d / "err.txt");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto found = written(d, "logs.auth-brute-force");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["source"]["ip"], "203.0.113.66");
  ASSERT_TRUE(wait_for([&] {
    auto st = run_vigil({"watch", "--status", "--state-dir", d / "state", "--format", "json"});
    auto j = nlohmann::json::parse(st.out, nullptr, false);
    return !j.is_discarded() && j["suppressed"].get<int>() >= 1;
  }));
  // A suppression file with a bad line is a config error, named with its line.
  d.write("suppress.conf", "logs.auth-brute-force source.ip=1.2.3.4\n");
  auto bad = run_vigil({"watch", "--check-config", "--config", d / "w.yaml"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("suppress.conf:1:"), std::string::npos) << bad.err;
}
