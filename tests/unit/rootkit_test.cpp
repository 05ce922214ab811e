#include <gtest/gtest.h>

#include "collect/rootkit_compare.hpp"
#include "detect/detectors.hpp"
#include "support/snapshot_builder.hpp"

using namespace vigil;
using namespace vigil::collect;
using namespace vigil::testing;

// Hidden processes and ports cannot be planted without a rootkit, so the comparison that
// finds them is tested here on the sets a rootkit would produce.
TEST(RootkitCompare, AnsweredButNotListed_IsHidden) {
  EXPECT_EQ(missing_from_listing({1, 2, 4242, 31337}, {1, 2, 3, 31337}), (std::vector<std::int64_t>{4242}));
  EXPECT_TRUE(missing_from_listing({1, 2}, {1, 2, 3}).empty());
}

TEST(RootkitCompare, PidProbeLimitFollowsTheLastPidUnlessWrapped) {
  EXPECT_EQ(pid_probe_limit(5000, 4194304, 4999), 5000 + 512);
  EXPECT_EQ(pid_probe_limit(5000, 4194304, 90000), 4194304);  // a listed pid above the last: wrapped
  EXPECT_EQ(pid_probe_limit(0, 32768, 100), 32768);           // unknown: everything
  EXPECT_EQ(pid_probe_limit(32500, 32768, 100), 32768);       // never past pid_max
}

TEST(RootkitCompare, ModulesInSysButNotProc_AreHidden) {
  auto proc = parse_proc_modules("ext4 1015808 1 - Live 0x0000000000000000\nvirtio_net 65536 0 - Live 0x0\n");
  EXPECT_EQ(proc, (std::set<std::string>{"ext4", "virtio_net"}));
  EXPECT_EQ(hidden_modules({"ext4", "virtio_net", "diamorphine"}, proc), (std::vector<std::string>{"diamorphine"}));
}

TEST(RootkitCompare, LinkCounts) {
  EXPECT_FALSE(link_count_mismatch(5, 3));
  EXPECT_TRUE(link_count_mismatch(6, 3));  // one subdirectory hidden from the listing
  EXPECT_FALSE(link_count_mismatch(1, 40));  // btrfs: not counted
}

TEST(RootkitCompare, KnownArtifactFile) {
  auto p = parse_known_artifacts("# c\nfile\t/dev/.x\tX kit\tsrc\nmodule\tdiamorphine\tDiamorphine\tsrc\nbogus line\n");
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.rows[0].name, "/dev/.x");
  EXPECT_EQ(p.rows[1].kind, "module");
  ASSERT_EQ(p.errors.size(), 1u);
  EXPECT_EQ(p.errors[0].line, 4u);
}

TEST(RootkitRules, ProbeRowsBecomeFindings_PackagedNameClashIsQuiet) {
  auto s = empty_snapshot();
  s.rootkit_probes = {
      {"hidden-process", "4242", "answers kill() but is missing from the /proc listing", "", ""},
      {"hidden-port", "tcp/31337", "bind() says in use", "", ""},
      {"hidden-module", "diamorphine", "in /sys/module only", "", ""},
      {"known-artifact", "/dev/.lib", "directory exists", "Lion worm", ""},
      {"known-artifact", "/usr/bin/run", "file exists", "ZK rootkit", "some-package"},
      {"link-count", "/etc", "link count 9 means 7 subdirectories, but the listing shows 6", "", ""},
  };
  auto f = detect::run_triage(s, {});
  EXPECT_EQ(first_with_rule(f, "rootkit.hidden-process").get("process.pid"), "4242");
  EXPECT_EQ(first_with_rule(f, "rootkit.hidden-process").severity, Severity::critical);
  EXPECT_EQ(first_with_rule(f, "rootkit.hidden-port").get("destination.port"), "31337");
  EXPECT_EQ(first_with_rule(f, "rootkit.hidden-module").get("vigil.kernel.module"), "diamorphine");
  ASSERT_EQ(count_rule(f, "rootkit.known-artifact"), 1u);
  EXPECT_EQ(first_with_rule(f, "rootkit.known-artifact").get("file.path"), "/dev/.lib");
  EXPECT_EQ(count_rule(f, "rootkit.link-count"), 1u);
}

TEST(RootkitCompare, MountsOverProcPids) {
  auto mounts = parse_proc_pid_mounts(
      "22 1 0:21 / /proc rw,nosuid - proc proc rw\n"
      "80 22 0:45 / /proc/4242 rw,relatime shared:30 - tmpfs none rw\n"
      "81 22 0:46 / /proc/77/task rw - tmpfs x\\040y rw\n"
      "82 22 0:47 / /proc/sys/fs/binfmt_misc rw - binfmt_misc binfmt_misc rw\n"
      "83 22 0:48 / /proc/4242x rw - tmpfs none rw\ngarbage\n");
  ASSERT_EQ(mounts.size(), 2u);
  EXPECT_EQ(mounts[0].pid, 4242);
  EXPECT_EQ(mounts[0].fstype, "tmpfs");
  EXPECT_EQ(mounts[1].pid, 77);
  EXPECT_EQ(mounts[1].mount_point, "/proc/77/task");
  EXPECT_EQ(mounts[1].source, "x y");
}
