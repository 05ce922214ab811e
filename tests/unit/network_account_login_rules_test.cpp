#include <gtest/gtest.h>

#include "detect/detectors.hpp"
#include "support/snapshot_builder.hpp"

using namespace vigil;
using namespace vigil::testing;

namespace {
Findings run(const collect::Snapshot& s) { return detect::run_triage(s, {}); }

collect::UserRow user(std::string name, std::int64_t uid, std::string password,
                      std::string shell = "/bin/bash", bool system = false) {
  collect::UserRow u;
  u.name = std::move(name);
  u.uid = uid;
  u.password = std::move(password);
  u.shell = std::move(shell);
  u.home = "/home/" + u.name;
  u.login_shell = u.shell.find("nologin") == std::string::npos;
  u.system_account = system;
  return u;
}

collect::LoginRecordRow rec(std::string file, std::string type, std::string user, std::int64_t t,
                            std::string host = "") {
  collect::LoginRecordRow r;
  r.file = std::move(file);
  r.type = std::move(type);
  r.user = std::move(user);
  r.time = t;
  r.host = host;
  r.address = host;
  r.line = "pts/0";
  return r;
}
}  // namespace

TEST(NetworkRules, UnownedListener_SeverityByAddressAndLocation) {
  auto s = empty_snapshot();
  s.processes.push_back(process(10, "/opt/app/server", {"/opt/app/server"}));
  s.sockets.push_back(socket("tcp", "LISTEN", "127.0.0.1", 8080, 10));
  auto f = run(s);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule, "process.unowned-listener");
  EXPECT_EQ(f[0].severity, Severity::low);

  s.sockets.push_back(socket("tcp6", "LISTEN", "::", 8443, 10));
  f = run(s);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule, "network.unowned-public-listener");
  EXPECT_EQ(f[0].severity, Severity::medium);
  EXPECT_EQ(f[0].get("destination.port"), "8443");

  s.processes[0].executable = "/tmp/.s/server";
  auto all_listener = run(s);
  auto listener = with_rule(all_listener, "network.unowned-public-listener");
  ASSERT_EQ(listener.size(), 1u);
  EXPECT_EQ(listener[0]->severity, Severity::high);
}

TEST(NetworkRules, PackagedListenerAndDhcpPacketSocket_AreQuiet) {
  auto s = empty_snapshot();
  s.processes.push_back(process(10, "/usr/sbin/nginx", {"nginx: master process"}, "nginx-core"));
  s.processes.push_back(
      process(11, "/usr/sbin/dhclient", {"/sbin/dhclient", "eth0"}, "isc-dhcp-client"));
  s.sockets.push_back(socket("tcp", "LISTEN", "0.0.0.0", 80, 10));
  s.sockets.push_back(socket("packet", "", "", 0, 11));
  EXPECT_TRUE(run(s).empty());
}

TEST(NetworkRules, Sniffers) {
  auto s = empty_snapshot();
  s.processes.push_back(process(20, "/usr/bin/tcpdump", {"tcpdump", "-i", "eth0"}, "tcpdump"));
  s.processes.push_back(process(21, "/dev/shm/.x/snf", {"snf"}));
  s.sockets.push_back(socket("packet", "", "", 0, 20));
  s.sockets.push_back(socket("packet", "", "", 0, 21));
  collect::InterfaceRow eth;
  eth.name = "eth0";
  eth.promiscuous = true;
  collect::InterfaceRow veth;
  veth.name = "veth1";
  veth.promiscuous = veth.bridge_port = true;
  s.interfaces = {eth, veth};
  auto f = run(s);
  auto sniff = with_rule(f, "network.packet-sniffer");
  ASSERT_EQ(sniff.size(), 2u);
  EXPECT_EQ(sniff[0]->severity, Severity::high);  // sorted worst first: the unpackaged one
  EXPECT_EQ(sniff[1]->severity, Severity::medium);
  auto promisc = with_rule(f, "network.promiscuous-interface");
  ASSERT_EQ(promisc.size(), 1u);  // the bridge port is promiscuous by design
  EXPECT_EQ(promisc[0]->get("observer.ingress.interface.name"), "eth0");
}

TEST(NetworkRules, ShellWithSocketOnStdio_IsCritical) {
  auto s = empty_snapshot();
  s.processes.push_back(process(30, "/usr/bin/bash", {"bash", "-i"}, "bash"));
  auto sock = socket("tcp", "ESTABLISHED", "127.0.0.1", 40000, 30, 0, "127.0.0.1", 4444);
  sock.holders = {{30, 0}, {30, 1}, {30, 2}};
  s.sockets.push_back(sock);
  auto all_f = run(s);
  auto f = with_rule(all_f, "network.shell-connection");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->severity, Severity::critical);
  EXPECT_EQ(f[0]->get("destination.port"), "4444");
}

TEST(NetworkRules, InterpreterOutboundOffStdio_IsLowAndLoopbackIsQuiet) {
  auto s = empty_snapshot();
  s.processes.push_back(process(40, "/usr/bin/python3.11", {"python3", "app.py"}, "python3.11"));
  s.sockets.push_back(socket("tcp", "ESTABLISHED", "10.0.0.2", 40000, 40, 7, "198.51.100.1", 443));
  auto all_f = run(s);
  auto f = with_rule(all_f, "network.shell-connection");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->severity, Severity::low);
  s.sockets[0].remote_address = "127.0.0.1";
  EXPECT_TRUE(count_rule(run(s), "network.shell-connection") == 0);
}

TEST(NetworkRules, MiningPool_ByPortStratumCpuAndPlace) {
  constexpr std::int64_t kNow = 1700000000;
  auto s = empty_snapshot();
  // A packaged program talking to a pool port: one weak signal.
  auto app = process(50, "/usr/bin/curl", {"curl", "http://198.51.100.3:3333/"}, "curl");
  app.start_time = kNow - 30;
  s.processes.push_back(app);
  s.sockets.push_back(socket("tcp", "ESTABLISHED", "10.0.0.2", 40001, 50, 5, "198.51.100.3", 3333));
  // A miner from /tmp that keeps most of a core busy for an hour, stratum URL and all.
  auto miner = process(51, "/tmp/.x/kswapd", {"kswapd", "-o", "stratum+tcp://pool.example:14444"});
  miner.start_time = kNow - 3600;
  miner.cpu_seconds = 3000;
  s.processes.push_back(miner);
  detect::Context ctx;
  ctx.now = kNow;
  auto all_f = detect::run_triage(s, ctx);
  auto f = with_rule(all_f, "network.mining-pool");
  ASSERT_EQ(f.size(), 2u);
  for (const auto* x : f) {
    if (x->get("process.pid") == "50") EXPECT_EQ(x->severity, Severity::low);
    if (x->get("process.pid") == "51") EXPECT_EQ(x->severity, Severity::high);
  }
  // The temp-dir program is raised by its sustained CPU alone.
  auto temp = with_rule(all_f, "process.temp-executable");
  ASSERT_EQ(temp.size(), 1u);
  EXPECT_EQ(temp[0]->severity, Severity::high);
  // A connection to a pool port on loopback, from a packaged program, is nothing.
  s.processes.pop_back();
  s.sockets[0].remote_address = "127.0.0.1";
  EXPECT_EQ(count_rule(detect::run_triage(s, ctx), "network.mining-pool"), 0u);
}

TEST(AccountRules, CleanAccounts_AreQuiet) {
  auto s = empty_snapshot();
  s.accounts.users = {user("root", 0, "set"),
                      user("daemon", 1, "locked", "/usr/sbin/nologin", true),
                      user("alice", 1000, "set")};
  collect::SudoRuleRow admins;
  admins.principal = "%sudo";
  admins.nopasswd_all = true;
  s.accounts.sudo_rules = {admins};
  EXPECT_TRUE(run(s).empty());
}

TEST(AccountRules, Uid0EmptyPasswordSystemShellSudoTemp) {
  auto s = empty_snapshot();
  s.accounts.users = {user("root", 0, "set"), user("toor", 0, "set"), user("guest", 1001, "empty"),
                      user("backup", 34, "set", "/bin/sh", true),
                      user("x", 1002, "locked", "/tmp/.sh")};
  collect::SudoRuleRow r;
  r.principal = "deploy";
  r.nopasswd_all = true;
  r.file = "/etc/sudoers.d/deploy";
  s.accounts.sudo_rules = {r};
  auto f = run(s);
  auto uid0 = with_rule(f, "account.uid0-duplicate");
  ASSERT_EQ(uid0.size(), 1u);
  EXPECT_EQ(uid0[0]->get("user.name"), "toor");
  EXPECT_EQ(uid0[0]->severity, Severity::critical);
  EXPECT_EQ(with_rule(f, "account.empty-password")[0]->get("user.name"), "guest");
  EXPECT_EQ(with_rule(f, "account.system-login-password")[0]->get("user.name"), "backup");
  EXPECT_EQ(with_rule(f, "account.sudo-nopasswd-all")[0]->get("file.path"),
            "/etc/sudoers.d/deploy");
  EXPECT_EQ(with_rule(f, "account.temp-home-or-shell")[0]->severity, Severity::high);
}

TEST(LoginRules, SessionsFailuresAndTampering) {
  auto s = empty_snapshot();
  s.logins.wtmp_read = true;
  s.logins.records = {rec("utmp", "USER_PROCESS", "alice", 1000, "198.51.100.7"),
                      rec("wtmp", "USER_PROCESS", "alice", 1000, "198.51.100.7"),
                      rec("wtmp", "DEAD_PROCESS", "", 2000)};
  for (int i = 0; i < 12; ++i)
    s.logins.records.push_back(rec("btmp", "LOGIN_PROCESS", "admin", 100 + i, "203.0.113.5"));
  s.logins.records.push_back(rec("btmp", "LOGIN_PROCESS", "bob", 100, "203.0.113.6"));
  s.logins.lastlog = {{1000, "alice", "pts/0", "198.51.100.7", 1000}};
  auto f = run(s);
  ASSERT_EQ(with_rule(f, "login.active-session").size(), 1u);
  auto failed = with_rule(f, "login.failed-logins");
  ASSERT_EQ(failed.size(), 2u);
  EXPECT_EQ(failed[0]->severity, Severity::low);
  EXPECT_EQ(failed[0]->get("vigil.count"), "12");
  EXPECT_EQ(failed[1]->severity, Severity::info);
  EXPECT_TRUE(with_rule(f, "login.record-zeroed").empty());
  EXPECT_TRUE(with_rule(f, "login.records-out-of-order").empty());
  EXPECT_TRUE(with_rule(f, "login.lastlog-mismatch").empty());

  // Now tamper: a zeroed hole, a record stepping back an hour, a lastlog login wtmp lacks.
  collect::LoginRecordRow zero;
  zero.file = "wtmp";
  zero.zeroed = true;
  s.logins.records.insert(s.logins.records.begin() + 2, zero);
  s.logins.records.push_back(rec("wtmp", "USER_PROCESS", "bob", 2000 - 3600));
  s.logins.lastlog.push_back({1001, "mallory", "pts/1", "203.0.113.9", 1500});
  f = run(s);
  auto zeroed = with_rule(f, "login.record-zeroed");
  ASSERT_EQ(zeroed.size(), 1u);
  EXPECT_EQ(zeroed[0]->severity, Severity::high);
  EXPECT_EQ(with_rule(f, "login.records-out-of-order").size(), 1u);
  auto mismatch = with_rule(f, "login.lastlog-mismatch");
  ASSERT_EQ(mismatch.size(), 1u);
  EXPECT_EQ(mismatch[0]->get("user.name"), "mallory");
}

TEST(CollectorIssues, GroupedIntoInfoFindings) {
  auto s = empty_snapshot();
  for (int i = 0; i < 300; ++i)
    s.issues.add("processes", "/proc/" + std::to_string(i) + "/exe", "Permission denied");
  s.issues.add("users", "/etc/passwd:3", "expected 7 fields, found 1");
  auto f = run(s);
  ASSERT_EQ(f.size(), 2u);
  for (const auto& x : f) EXPECT_EQ(x.severity, Severity::info);
  EXPECT_EQ(with_rule(f, "collector.partial")[0]->get("vigil.count"), "300");
}
