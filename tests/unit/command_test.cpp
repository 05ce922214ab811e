// The command runner shared by audit checks and watch's exec actions: argv without a shell,
// input on stdin, variables in the environment and nothing else, a timeout that kills the
// whole process group, a missing program as an error.
#include <gtest/gtest.h>

#include <chrono>

#include "core/command.hpp"

using namespace std::chrono_literals;
using vigil::Command;
using vigil::run_command;

TEST(Command, ArgumentsAreNeverInterpretedByAShell) {
  auto r = run_command(Command{{"/bin/echo", "$(id)", "; rm -rf /", "a b"}, {}, {}, 5s});
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->output, "$(id) ; rm -rf / a b\n");
  EXPECT_EQ(r->exit_status, 0);
}

TEST(Command, InputGoesToStdinAndTheEnvironmentHoldsOnlyWhatIsGiven) {
  std::string big(200'000, 'x');  // more than a pipe holds: written as it is read
  auto r = run_command(Command{{"wc", "-c"}, {}, big, 5s});
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(std::stoul(r->output), big.size());
  r = run_command(Command{{"env"}, {"VIGIL_RULE=logs.ssh-brute-force", "SOURCE_IP=198.51.100.7"}, {}, 5s});
  ASSERT_TRUE(r);
  EXPECT_NE(r->output.find("VIGIL_RULE=logs.ssh-brute-force\n"), std::string::npos);
  EXPECT_NE(r->output.find("SOURCE_IP=198.51.100.7\n"), std::string::npos);
  EXPECT_EQ(r->output.find("HOME="), std::string::npos) << r->output;
  // A program that reads none of its input and exits: no SIGPIPE ends the caller.
  r = run_command(Command{{"true"}, {}, big, 5s});
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->exit_status, 0);
}

TEST(Command, AHangingProgramIsKilledWithItsChildrenAndAMissingOneIsAnError) {
  auto start = std::chrono::steady_clock::now();
  auto r = run_command(Command{{"/bin/sh", "-c", "sleep 30 & sleep 30"}, {}, {}, 300ms});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("did not finish within 0.3 s"), std::string::npos) << r.error();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  r = run_command(Command{{"/nonexistent/handler"}, {}, {}, 1s});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("does not exist"), std::string::npos) << r.error();
  r = run_command(Command{{"no-such-program-vigil"}, {}, {}, 1s});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("not installed"), std::string::npos) << r.error();
  EXPECT_FALSE(run_command(Command{}));
}
