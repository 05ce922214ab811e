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

std::set<std::string> rules_for(const std::string& log, const std::string& ip) {
  vigil::testing::TempDir dir;
  logs::ScanOptions o;
  o.paths = {dir.write("auth.log", log)};
  o.rule_paths = {std::string(VIGIL_SOURCE_DIR) + "/rules/logs"};
  std::set<std::string> out;
  for (const auto& f : logs::scan_logs(o).findings)
    if (f.get("source.ip") == ip) out.insert(f.rule);
  return out;
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
  // The same events in the order they happened: the login after the brute force is found.
  std::string in_order;
  for (int i = 0; i < 5; ++i) in_order += failed("09:00:0" + std::to_string(i), "b", "198.51.100.9", i);
  in_order += accepted("09:30:00", "a", "198.51.100.9");
  EXPECT_TRUE(rules_for(in_order, "198.51.100.9").contains("logs.login-after-brute-force"));
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
