// make install (issue 31, 29): a DESTDIR tree that runs on its own rules, a manual page per
// command that man renders cleanly, completions bash and zsh accept.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "e2e/vigil_run.hpp"
#include "support/temp_dir.hpp"

using namespace vigil::testing;
namespace fs = std::filesystem;

TEST(Install, ADestdirTreeRunsOnItsOwnRulesWithManPagesAndCompletions) {
  if (std::system("command -v cmake >/dev/null 2>&1") != 0) GTEST_SKIP() << "cmake is not installed";
  TempDir dest("vigil-install");
  std::string cmd = "DESTDIR=" + dest.path() + " cmake --install " + VIGIL_BUILD_DIR + " --prefix /usr >/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::string bin = dest / "usr/bin/vigil";
  ASSERT_TRUE(fs::exists(bin));
  ASSERT_TRUE(fs::exists(dest / "usr/share/vigil/rules/logs/auth/brute_force.yml"));
  // The installed binary reads the installed rules, not the source tree's.
  auto rules = run_vigil_as({bin, "logs", "rules", "--format", "json"});
  ASSERT_EQ(rules.exit_code, 0) << rules.err;
  auto doc = nlohmann::json::parse(rules.out);
  ASSERT_FALSE(doc.empty());
  EXPECT_EQ(doc[0]["file"].get<std::string>().rfind(dest / "usr/share/vigil/rules/", 0), 0u) << doc[0]["file"];
  auto triage = run_vigil_as({bin, "triage", "--quick", "--format", "jsonl", "--fail-on", "none"});
  EXPECT_EQ(triage.exit_code, 0) << triage.err;

  // A manual page for every command, each rendered by man without a warning.
  int pages = 0;
  for (const auto& e : fs::directory_iterator(dest / "usr/share/man/man1")) {
    ++pages;
    if (std::system("command -v man >/dev/null 2>&1") != 0) continue;
    std::string render = "MANWIDTH=80 man --warnings -l " + e.path().string() + " 2>&1 >/dev/null";
    FILE* p = ::popen(render.c_str(), "r");
    std::string warnings;
    char buf[512];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) warnings.append(buf, n);
    EXPECT_EQ(::pclose(p), 0) << e.path();
    EXPECT_TRUE(warnings.empty()) << e.path() << ": " << warnings;
  }
  EXPECT_GE(pages, 20);
  EXPECT_TRUE(fs::exists(dest / "usr/share/man/man1/vigil-fim-check.1"));
  std::string bash = dest / "usr/share/bash-completion/completions/vigil";
  EXPECT_EQ(std::system(("bash -n " + bash).c_str()), 0);
  std::string complete = "bash -c 'source " + bash +
                         "; COMP_WORDS=(vigil fim ch); COMP_CWORD=2; _vigil; [ \"${COMPREPLY[*]}\" = check ]'";
  EXPECT_EQ(std::system(complete.c_str()), 0) << "bash completes 'vigil fim ch' to check";
  if (std::system("command -v zsh >/dev/null 2>&1") == 0)
    EXPECT_EQ(std::system(("zsh -n " + dest / "usr/share/zsh/vendor-completions/_vigil").c_str()), 0);
}
