// End-to-end: vigil watch follows a real auth.log as lines are appended, across rename and
// copytruncate rotation and a kill -9, and writes each brute force exactly once.
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include "e2e/vigil_run.hpp"
#include "e2e/watch_support.hpp"
#include "support/temp_dir.hpp"
#include "watch/state.hpp"

using namespace vigil::testing;
namespace fs = std::filesystem;

namespace {

using Daemon = WatchDaemon;

std::vector<nlohmann::json> brute_forces(const TempDir& d) { return written(d, "logs.auth-brute-force"); }

// The daemon has read, and saved, everything the log holds now.
bool counted(const TempDir& d) {
  std::ifstream s(d / "state/watch.state", std::ios::binary);
  std::string blob((std::istreambuf_iterator<char>(s)), {});
  auto state = vigil::watch::decode_state(blob);
  std::error_code ec;
  auto size = fs::file_size(d / "auth.log", ec);
  return state && !state->tails.empty() && !ec && state->tails[0].offset == size && size > 0;
}

void started(const TempDir& d) { ASSERT_TRUE(watch_started(d)) << slurp(d / "err.txt"); }

}  // namespace

TEST(Watch, BruteForceAppendedToAFollowedLogIsWrittenWithinASecond) {
  TempDir d("vigil-watch");
  d.write("auth.log", syslog_now() + " web1 sshd[1]: Failed password for root from 198.51.100.7 port 1 ssh2\n");
  Daemon w(d);
  started(d);  // the line already there is history, not counted
  for (int i = 1; i <= 4; ++i) failure(d, i);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_TRUE(brute_forces(d).empty()) << "four failures are not five";
  auto fifth = std::chrono::steady_clock::now();
  failure(d, 5);
  ASSERT_TRUE(wait_for([&] { return !brute_forces(d).empty(); }, 1.0)) << slurp(d / "err.txt");
  EXPECT_LT(std::chrono::steady_clock::now() - fifth, std::chrono::seconds(1));
  failure(d, 6);
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  auto found = brute_forces(d);
  ASSERT_EQ(found.size(), 1u) << "the sixth failure is the same attack";
  EXPECT_EQ(found[0]["source"]["ip"], "198.51.100.7");
  EXPECT_EQ(found[0]["log"]["file"]["path"], d / "auth.log");
}

TEST(Watch, RotationByRenameAndByCopytruncateLosesNothing) {
  for (bool copytruncate : {false, true}) {
    TempDir d("vigil-watch");
    d.write("auth.log", "");
    Daemon w(d);
    started(d);
    for (int i = 1; i <= 3; ++i) failure(d, i);
    // Lines written between the last read and a copytruncate are lost to any follower: let it
    // read them first, as a logger writing slower than a poll would.
    ASSERT_TRUE(wait_for([&] { return counted(d); }));
    if (copytruncate) {
      fs::copy_file(d / "auth.log", d / "auth.log.1");
      fs::resize_file(d / "auth.log", 0);
    } else {
      fs::rename(d / "auth.log", d / "auth.log.1");
      d.write("auth.log", "");
    }
    for (int i = 4; i <= 6; ++i) failure(d, i);
    ASSERT_TRUE(wait_for([&] { return !brute_forces(d).empty(); }, 2.0))
        << (copytruncate ? "copytruncate" : "rename") << ": " << slurp(d / "err.txt");
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_EQ(brute_forces(d).size(), 1u) << (copytruncate ? "copytruncate" : "rename");
  }
}

TEST(Watch, KilledMidWindowAndRestartedFiresExactlyOnce) {
  TempDir d("vigil-watch");
  d.write("auth.log", "");
  auto w = std::make_unique<Daemon>(d);
  started(d);
  for (int i = 1; i <= 3; ++i) failure(d, i);
  // The three failures are counted (and saved) before the kill.
  ASSERT_TRUE(wait_for([&] { return counted(d); }));
  w->kill9();
  failure(d, 4);  // written while the daemon is down
  w = std::make_unique<Daemon>(d);
  failure(d, 5);
  ASSERT_TRUE(wait_for([&] { return !brute_forces(d).empty(); }, 2.0)) << slurp(d / "err.txt");
  failure(d, 6);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  w->kill9();  // and once more, after the finding: a replay must not write it again
  w = std::make_unique<Daemon>(d);
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  EXPECT_EQ(brute_forces(d).size(), 1u) << slurp(d / "out.jsonl");
}

TEST(Watch, BadStartsExitTwoAndSaySo) {
  TempDir d("vigil-watch");
  d.write("empty.yaml", "sources:\n  triage: off\n  processes: off\n");
  auto none = run_vigil({"watch", "--config", d / "empty.yaml", "--state-dir", d / "state"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("nothing to watch"), std::string::npos) << none.err;
  fs::create_directories(d / "state");
  d.write("state/watch.state", "this is not a state file");
  d.write("auth.log", "");
  auto corrupt = run_vigil({"watch", "--log", d / "auth.log", "--state-dir", d / "state"});
  EXPECT_EQ(corrupt.exit_code, 2);
  EXPECT_NE(corrupt.err.find("watch.state"), std::string::npos) << corrupt.err;
}

TEST(Watch, ALogRotatedWhileStoppedIsFinishedFromItsRotatedName) {
  TempDir d("vigil-watch");
  d.write("auth.log", "");
  auto w = std::make_unique<Daemon>(d);
  started(d);
  for (int i = 1; i <= 2; ++i) failure(d, i);
  ASSERT_TRUE(wait_for([&] { return counted(d); }));
  w->kill9();
  // While vigil is down: two more failures, then logrotate renames the file, then two more.
  for (int i = 3; i <= 4; ++i) failure(d, i);
  fs::rename(d / "auth.log", d / "auth.log.1");
  d.write("auth.log", "");
  for (int i = 5; i <= 6; ++i) failure(d, i);
  w = std::make_unique<Daemon>(d);
  ASSERT_TRUE(wait_for([&] { return !brute_forces(d).empty(); }, 2.0))
      << "failures 3 and 4 are in auth.log.1: " << slurp(d / "err.txt");
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_EQ(brute_forces(d).size(), 1u);
}

TEST(Watch, CopytruncateLosesNothingEvenWhenTheLinesWereNotReadYet) {
  // Live: three failures and at once a copytruncate, before the daemon may have read them.
  // The log holds a line already, which names it (an empty file's copy looks like any file).
  for (bool stopped : {false, true}) {
    TempDir d("vigil-watch");
    d.write("auth.log", syslog_now() + " web1 CRON[7]: pam_unix(cron:session): session closed for user root\n");
    auto w = std::make_unique<Daemon>(d);
    started(d);
    if (stopped) w->kill9();  // and while stopped: the restart finds the copy
    for (int i = 1; i <= 3; ++i) failure(d, i);
    fs::copy_file(d / "auth.log", d / "auth.log.1");
    fs::resize_file(d / "auth.log", 0);
    for (int i = 4; i <= 6; ++i) failure(d, i);
    if (stopped) w = std::make_unique<Daemon>(d);
    ASSERT_TRUE(wait_for([&] { return !brute_forces(d).empty(); }, 2.0))
        << (stopped ? "stopped: " : "live: ") << slurp(d / "err.txt");
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_EQ(brute_forces(d).size(), 1u) << (stopped ? "stopped" : "live");
  }
}

TEST(Watch, ALogRotatedTwiceWhileStoppedIsFinishedFromDot2ThenDot1) {
  for (bool compressed : {false, true}) {
    TempDir d("vigil-watch");
    d.write("auth.log", syslog_now() + " web1 CRON[7]: pam_unix(cron:session): session closed for user root\n");
    auto w = std::make_unique<Daemon>(d);
    started(d);
    for (int i = 1; i <= 2; ++i) failure(d, i);
    ASSERT_TRUE(wait_for([&] { return counted(d); }));
    w->kill9();
    // While vigil is down: two more failures, a rotation, one failure, a second rotation (the
    // oldest compressed, as logrotate's compress does), one failure in the newest file.
    for (int i = 3; i <= 4; ++i) failure(d, i);
    fs::rename(d / "auth.log", d / "auth.log.1");
    d.write("auth.log", "");
    failure(d, 5);
    fs::rename(d / "auth.log.1", d / "auth.log.2");
    fs::rename(d / "auth.log", d / "auth.log.1");
    d.write("auth.log", "");
    if (compressed) {
      ASSERT_EQ(run_vigil_as({"/bin/gzip", d / "auth.log.2"}).exit_code, 0);
    }
    failure(d, 6);
    w = std::make_unique<Daemon>(d);
    ASSERT_TRUE(wait_for([&] { return !brute_forces(d).empty(); }, 2.0))
        << (compressed ? ".2.gz: " : ".2: ") << slurp(d / "err.txt");
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    EXPECT_EQ(brute_forces(d).size(), 1u);
  }
}

namespace {

std::string access_line(const std::string& ip, const std::string& target) {
  std::time_t t = std::time(nullptr);
  char stamp[64];
  std::strftime(stamp, sizeof stamp, "%d/%b/%Y:%H:%M:%S +0000", std::gmtime(&t));
  return ip + " - - [" + stamp + "] \"GET " + target + " HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0\"\n";
}

}  // namespace

TEST(Watch, AWebProfileJudgesEveryRequestTheTailReads) {
  TempDir d("vigil-watch");
  d.write("access.log", "");
  d.write("shop.json", R"({"format":"vigil-web-profile","version":1,"extensions":["jsp"],)"
                       R"("paths":{"/cart.jsp":{"parameters":{"qty":{"chars":"digit","max_length":3}}}}})");
  auto config = [&](const std::string& profile) {
    return "state_dir: " + d / "state" + "\nsources:\n  logs: [" + d / "access.log" +
           "]\n  triage: off\n  processes: off\nrules:\n  web_profile: " + profile +
           "\n  idle_close: 1s\nsinks:\n  - type: jsonl\n    path: " + d / "out.jsonl" + "\n";
  };
  d.write("bad.yaml", config(d / "missing.json"));
  auto bad = run_vigil({"watch", "--config", d / "bad.yaml"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("rules.web_profile"), std::string::npos) << bad.err;

  d.write("w.yaml", config(d / "shop.json"));
  WatchDaemon w(d, {"--config", d / "w.yaml"});
  ASSERT_TRUE(watch_started(d)) << slurp(d / "err.txt");
  std::ofstream(d / "access.log", std::ios::app) << access_line("198.51.100.20", "/cart.jsp?qty=2")
                                                 << access_line("192.0.2.66", "/cart.jsp?qty=3%27");
  ASSERT_TRUE(wait_for([&] { return !written(d, "logs.web-profile-value-characters").empty(); }, 6.0))
      << slurp(d / "err.txt");
  auto found = written(d, "logs.web-profile-value-characters");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["source"]["ip"], "192.0.2.66");
  EXPECT_NE(found[0]["vigil"]["profile"]["anomaly"].get<std::string>().find("qty on /cart.jsp: '3'' has '"),
            std::string::npos)
      << found[0].dump();
}
