#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "collect/rootkit_compare.hpp"
#include "collect/rootkit_probes.hpp"
#include "support/temp_dir.hpp"
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
      {"hidden-port", "udp6/5353", "bind() says in use", "", ""},
      {"hidden-module", "diamorphine", "in /sys/module only", "", ""},
      {"known-artifact", "/dev/.lib", "directory exists", "Lion worm", ""},
      {"known-artifact", "/usr/bin/run", "file exists", "ZK rootkit", "some-package"},
      {"link-count", "/etc", "link count 9 means 7 subdirectories, but the listing shows 6", "", ""},
  };
  auto f = detect::run_triage(s, {});
  EXPECT_EQ(first_with_rule(f, "rootkit.hidden-process").get("process.pid"), "4242");
  EXPECT_EQ(first_with_rule(f, "rootkit.hidden-process").severity, Severity::critical);
  EXPECT_EQ(first_with_rule(f, "rootkit.hidden-port").get("destination.port"), "31337");
  ASSERT_EQ(count_rule(f, "rootkit.hidden-port"), 2u);
  for (const auto& x : f)
    if (x.rule == "rootkit.hidden-port" && x.get("destination.port") == "5353") {
      EXPECT_EQ(x.get("network.transport"), "udp");
      EXPECT_EQ(x.get("network.type"), "ipv6");
    }
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

// Issue 20 (5): the dual-stack sweep sees what an IPv4 sweep cannot — an IPv6-only listener
// — and the listener, being in /proc/net/tcp6, is not reported as hidden.
TEST(RootkitProbes, AnIpv6OnlyListenerIsSeenByTheDualStackSweep) {
  int s = ::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s < 0) GTEST_SKIP() << "no IPv6 here";
  int one = 1;
  ::setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  sockaddr_in6 a{};
  a.sin6_family = AF_INET6;
  a.sin6_addr = in6addr_loopback;
  ASSERT_EQ(::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(::listen(s, 4), 0);
  socklen_t len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  const auto port = ntohs(a.sin6_port);
  EXPECT_TRUE(collect::port_in_use(AF_INET6, SOCK_STREAM, port));
  EXPECT_FALSE(collect::port_in_use(AF_INET, SOCK_STREAM, port)) << "invisible to an IPv4 sweep";
  int v4 = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in b{};
  b.sin_family = AF_INET;
  b.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(v4, reinterpret_cast<sockaddr*>(&b), sizeof b), 0);
  len = sizeof b;
  ::getsockname(v4, reinterpret_cast<sockaddr*>(&b), &len);
  EXPECT_TRUE(collect::port_in_use(AF_INET6, SOCK_DGRAM, ntohs(b.sin_port))) << "an IPv4 holder refuses [::] too";
  ::close(v4);
  IssueLog log;
  collect::RootkitProbeOptions opts;
  auto r = collect::collect_rootkit_probes(vigil::testing::live_root(), opts, log);
  for (const auto& row : r.rows)
    EXPECT_FALSE(row.probe == "hidden-port" && row.target == "tcp6/" + std::to_string(port)) << "it is listed";
  ::close(s);
}
