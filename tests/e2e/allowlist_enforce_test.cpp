// vigil allowlist enforce (issue 15), inside a mount namespace the test makes (unshare -m
// with private propagation: the marks sit on that namespace's copies of the mounts, so the
// host's own executions are never judged). The script the namespace runs uses shell builtins
// only once enforcement starts (every program it ran would be judged).
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "e2e/vigil_run.hpp"
#include "support/temp_dir.hpp"

using namespace vigil::testing;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kLoader = "/lib64/ld-linux-x86-64.so.2";

// Why the test cannot run here, or "".
std::string unsupported() {
  if (::geteuid() != 0) return "needs root (fanotify permission events, a mount namespace)";
  if (!fs::exists("/usr/bin/unshare")) return "no /usr/bin/unshare";
  if (!fs::exists(kLoader)) return "no " + std::string(kLoader) + " (another architecture)";
  auto r = run_vigil_as({"/usr/bin/unshare", "-m", "--propagation", "private", "/bin/true"});
  if (r.exit_code != 0) return "unshare -m refused here: " + r.err;
  return "";
}

struct Enforced {
  std::string result, out, err;
};

// Runs `vigil allowlist enforce MODE` in a new mount namespace with a list holding only
// /usr/bin/ls and the ELF loader, then (builtins only) a copy of ls, ls itself, and vigil
// (the safety net: vigil is never refused), and an allowed program before and after a
// write (the kernel stops asking about an allowed file until it is written); each exit code
// lands in `result`.
Enforced run_enforced(const TempDir& d, const std::string& mode) {
  fs::create_directories(d / "tmp");
  fs::create_directories(d / "ok");
  fs::copy_file("/usr/bin/ls", d / "tmp/ls2");
  ::chmod((d / "tmp/ls2").c_str(), 0755);
  fs::copy_file("/usr/bin/true", d / "ok/true");
  ::chmod((d / "ok/true").c_str(), 0755);
  auto r = run_vigil({"allowlist", "build", "--no-packages", "--add", "/usr/bin/ls", "--add", std::string(kLoader),
                      "--add", d / "ok", "--list", d / "list", "--key", d / "key"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::string script = "D=" + d.path() + "\n" + std::string(VIGIL_BINARY) + " allowlist enforce " + mode +
                       " --for 1m --list $D/list --key $D/key --format jsonl > $D/out 2> $D/err &\n" + R"(pid=$!
ready() { while IFS= read -r l; do case $l in *ready*) return 0;; esac; done < $D/err; return 1; }
n=0
until ready; do
  n=$((n+1))
  if [ $n -gt 3000000 ] || ! kill -0 $pid 2>/dev/null; then echo "never ready" > $D/result; exit 0; fi
done
$D/tmp/ls2 / > /dev/null 2>&1; echo "ls2 $?" > $D/result
$D/tmp/ls2 / > /dev/null 2>&1; echo "ls2-again $?" >> $D/result
/usr/bin/ls / > /dev/null 2>&1; echo "ls $?" >> $D/result
$D/ok/true; echo "ok $?" >> $D/result
echo >> $D/ok/true
$D/ok/true 2> /dev/null; echo "ok-edited $?" >> $D/result
)" + std::string(VIGIL_BINARY) + R"( --version > /dev/null 2>&1; echo "vigil $?" >> $D/result
kill -TERM $pid; wait $pid; echo "stopped $?" >> $D/result
)";
  d.write("run.sh", script);
  auto run = run_vigil_as({"/usr/bin/unshare", "-m", "--propagation", "private", "/bin/sh", d / "run.sh"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  return {slurp(d / "result"), slurp(d / "out"), slurp(d / "err")};
}

}  // namespace

TEST(AllowlistEnforce, DenyRefusesACopyOfLsWhileLsRuns) {
  if (auto why = unsupported(); !why.empty()) GTEST_SKIP() << why;
  TempDir d("vigil-enforce");
  auto e = run_enforced(d, "--deny");
  if (e.err.find("fanotify cannot start") != std::string::npos) GTEST_SKIP() << e.err;
  EXPECT_EQ(e.result, "ls2 126\nls2-again 126\nls 0\nok 0\nok-edited 126\nvigil 0\nstopped 0\n") << e.err;
  auto all = parse_jsonl(e.out);
  auto refused = findings_of(all, "allowlist.exec-denied");
  ASSERT_EQ(refused.size(), 2u) << e.out;  // once per file version, not per attempt
  EXPECT_EQ(refused[0]["file"]["path"], d / "tmp/ls2");
  EXPECT_EQ(refused[1]["file"]["path"], d / "ok/true");
  EXPECT_EQ(refused[1]["vigil"]["allowlist"]["changed"], 1);
  EXPECT_EQ(refused[0]["vigil"]["severity"], "high");  // under /tmp
  EXPECT_EQ(refused[0]["event"]["outcome"], "failure");
  EXPECT_NE(e.err.find("decision time median"), std::string::npos) << e.err;
}

TEST(AllowlistEnforce, AuditLetsBothRunAndReportsTheCopy) {
  if (auto why = unsupported(); !why.empty()) GTEST_SKIP() << why;
  TempDir d("vigil-enforce");
  auto e = run_enforced(d, "--audit");
  if (e.err.find("fanotify cannot start") != std::string::npos) GTEST_SKIP() << e.err;
  EXPECT_EQ(e.result, "ls2 0\nls2-again 0\nls 0\nok 0\nok-edited 0\nvigil 0\nstopped 0\n") << e.err;
  auto all = parse_jsonl(e.out);
  auto seen = findings_of(all, "allowlist.exec-unlisted");
  bool copy = false;
  for (const auto& f : seen) copy |= f["file"]["path"] == d / "tmp/ls2";
  EXPECT_TRUE(copy) << e.out;
  EXPECT_TRUE(findings_of(all, "allowlist.exec-denied").empty());
  for (const auto& f : seen) EXPECT_NE(f["file"]["path"], "/usr/bin/ls");
}
