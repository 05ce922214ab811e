// Login correlations judged in event time (issue 29): logs of several hosts one after another
// give no "login after brute force" for failures stamped after the login; a slow guesser (7
// failures over a day, then a password accepted) is found by the 24-hour rule; a user who
// mistypes twice and logs in is not.
#include <gtest/gtest.h>

#include <set>

#include "logs/scan.hpp"
#include "support/temp_dir.hpp"

using namespace vigil;

namespace {

std::string failed(const std::string& when, const std::string& host, const std::string& ip, int n) {
  return "Dec 10 " + when + " " + host + " sshd[" + std::to_string(100 + n) + "]: Failed password for root from " + ip +
         " port " + std::to_string(40000 + n) + " ssh2\n";
}

std::string accepted(const std::string& when, const std::string& host, const std::string& ip) {
  return "Dec 10 " + when + " " + host + " sshd[999]: Accepted password for alice from " + ip + " port 41000 ssh2\n";
}

Findings findings_for(const std::string& log, const std::string& ip) {
  vigil::testing::TempDir dir;
  logs::ScanOptions o;
  o.paths = {dir.write("auth.log", log)};
  o.rule_paths = {std::string(VIGIL_SOURCE_DIR) + "/rules/logs"};
  Findings out;
  for (auto& f : logs::scan_logs(o).findings)
    if (f.get("source.ip") == ip) out.push_back(std::move(f));
  return out;
}

std::set<std::string> rules_for(const std::string& log, const std::string& ip) {
  std::set<std::string> out;
  for (const auto& f : findings_for(log, ip)) out.insert(f.rule);
  return out;
}

const Finding* rule(const Findings& fs, std::string_view id) {
  for (const auto& f : fs)
    if (f.rule == id) return &f;
  return nullptr;
}

}  // namespace

TEST(AuthCorrelation, HostsLoggedOneAfterAnotherAreJudgedInEventTime) {
  // Host b's log: the source fails five times at 11:00. Host a's log, after it in the file: the
  // source had logged in at 10:00 - before the failures, though read after them.
  std::string log;
  for (int i = 0; i < 5; ++i) log += failed("11:00:0" + std::to_string(i), "b", "198.51.100.9", i);
  log += accepted("10:00:00", "a", "198.51.100.9");
  auto fired = rules_for(log, "198.51.100.9");
  EXPECT_TRUE(fired.contains("logs.auth-brute-force"));
  EXPECT_FALSE(fired.contains("logs.login-after-brute-force")) << "the failures came after the login";
  EXPECT_FALSE(fired.contains("logs.login-after-slow-brute-force"));
  // One host's rotated logs concatenated newest first (cat auth.log auth.log.1): the login at
  // 10:00 is read after failures stamped 11:00, and is not a login after them.
  std::string rotated;
  for (int i = 0; i < 5; ++i) rotated += failed("11:00:0" + std::to_string(i), "b", "198.51.100.10", i);
  rotated += accepted("10:00:00", "b", "198.51.100.10");
  EXPECT_FALSE(rules_for(rotated, "198.51.100.10").contains("logs.login-after-brute-force"));
  // A login on the host the failures were on, after them: found.
  std::string in_order;
  for (int i = 0; i < 5; ++i) in_order += failed("09:00:0" + std::to_string(i), "b", "198.51.100.9", i);
  in_order += accepted("09:30:00", "b", "198.51.100.9");
  auto after = rules_for(in_order, "198.51.100.9");
  EXPECT_TRUE(after.contains("logs.login-after-brute-force"));
  EXPECT_FALSE(after.contains("logs.login-after-slow-brute-force"))
      << "the fast rule absorbs the slow one when both fire for the same login";
}

TEST(AuthCorrelation, ThePersistentSlowGuesserIsHighAndTheFewFailuresMedium) {
  std::string log;
  for (int i = 0; i < 24; ++i) {  // one failure every 40 minutes from 00:00 to 15:20
    int minute = i * 40;
    char when[16];
    std::snprintf(when, sizeof when, "%02d:%02d:00", minute / 60, minute % 60);
    log += failed(when, "h", "203.0.113.77", i);
  }
  log += accepted("16:00:00", "h", "203.0.113.77");
  for (int i = 0; i < 6; ++i) log += failed("0" + std::to_string(i + 1) + ":30:00", "h", "203.0.113.78", i);
  log += accepted("09:00:00", "h", "203.0.113.78");
  auto persistent = findings_for(log, "203.0.113.77");
  const auto* high = rule(persistent, "logs.login-after-slow-brute-force");
  ASSERT_NE(high, nullptr);
  EXPECT_EQ(high->severity, Severity::high);
  EXPECT_EQ(high->get("vigil.failures"), "24");
  EXPECT_EQ(high->get("vigil.failures_per_hour"), "1.5");
  auto few = findings_for(log, "203.0.113.78");
  const auto* medium = rule(few, "logs.login-after-slow-brute-force");
  ASSERT_NE(medium, nullptr);
  EXPECT_EQ(medium->severity, Severity::medium);
}

TEST(AuthCorrelation, ASlowGuesserThenALoginIsFoundAndATypoIsNot) {
  std::string log;
  for (int i = 0; i < 7; ++i) log += failed((i < 5 ? "0" : "") + std::to_string(i * 2 + 1) + ":15:00", "h", "203.0.113.8", i);
  log += accepted("15:40:00", "h", "203.0.113.8");
  // A user who mistypes twice and gets in.
  log += failed("16:00:00", "h", "192.0.2.44", 1) + failed("16:00:09", "h", "192.0.2.44", 2) +
         accepted("16:00:20", "h", "192.0.2.44");
  auto slow = rules_for(log, "203.0.113.8");
  EXPECT_TRUE(slow.contains("logs.login-after-slow-brute-force"));
  EXPECT_FALSE(slow.contains("logs.auth-brute-force")) << "never 5 within 10 minutes";
  auto typo = rules_for(log, "192.0.2.44");
  EXPECT_FALSE(typo.contains("logs.login-after-slow-brute-force"));
  EXPECT_FALSE(typo.contains("logs.login-after-brute-force"));
}

// Keyed by (host, source): interleaved logs of two hosts give what each gives alone.
TEST(AuthCorrelation, EachHostIsJudgedAloneWhenTheirLogsInterleave) {
  std::string log;
  for (int i = 0; i < 5; ++i) {
    log += failed("09:00:0" + std::to_string(i), "web1", "198.51.100.20", i);
    log += failed("09:00:0" + std::to_string(i), "db1", "198.51.100.21", i);
  }
  log += accepted("09:05:00", "db1", "198.51.100.20");   // another host: not a login after its brute force
  log += accepted("09:05:01", "web1", "198.51.100.20");  // the host it guessed on: it is
  vigil::testing::TempDir dir;
  logs::ScanOptions o;
  o.paths = {dir.write("auth.log", log)};
  o.rule_paths = {std::string(VIGIL_SOURCE_DIR) + "/rules/logs"};
  std::vector<std::string> after;
  for (const auto& f : logs::scan_logs(o).findings)
    if (f.rule == "logs.login-after-brute-force") after.push_back(f.get("source.ip") + "@" + f.get("host.hostname"));
  EXPECT_EQ(after, std::vector<std::string>{"198.51.100.20@web1"});
  // Three failures on each of two hosts: neither host saw a brute force.
  std::string spread;
  for (int i = 0; i < 3; ++i)
    spread += failed("10:00:0" + std::to_string(i), "web1", "203.0.113.30", i) +
              failed("10:00:0" + std::to_string(i), "db1", "203.0.113.30", i + 3);
  EXPECT_FALSE(rules_for(spread, "203.0.113.30").contains("logs.auth-brute-force"));
}
