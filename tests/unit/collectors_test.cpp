// Collectors on fixture roots built in a temporary directory.
#include <gtest/gtest.h>
#include <utmp.h>

#include <cstring>

#include "collect/accounts.hpp"
#include "collect/dpkg.hpp"
#include "collect/logins.hpp"
#include "collect/snapshot.hpp"
#include "support/temp_dir.hpp"

using namespace vigil;
using namespace vigil::collect;
using vigil::testing::TempDir;

namespace {
Root open_root(const TempDir& d) { return Root::open(d.path()).value(); }

std::string utmp_record(short type, const char* user, std::int32_t t) {
  struct utmp u {};
  u.ut_type = type;
  std::strncpy(u.ut_user, user, sizeof u.ut_user);
  std::strncpy(u.ut_line, "pts/0", sizeof u.ut_line);
  u.ut_tv.tv_sec = t;
  return std::string(reinterpret_cast<const char*>(&u), sizeof u);
}
}  // namespace

TEST(AccountsCollector, JoinsShadowAndFollowsSudoersIncludes) {
  TempDir d;
  d.write("etc/passwd",
          "root:x:0:0:root:/root:/bin/bash\nguest:x:1001:1001::/home/guest:/bin/bash\n"
          "nosh:x:1002:1002::/home/nosh:/bin/bash\nlegacy::1003:1003::/home/legacy:/bin/sh\n"
          "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n");
  d.write("etc/shadow",
          "root:$y$j9T$a$b:19000:0:99999:7:::\nguest::19000::::::\ndaemon:*:19000::::::\n");
  d.write("etc/group", "root:x:0:\nsudo:x:27:guest\n");
  d.write("etc/login.defs", "UID_MIN 1000\n");
  d.write("etc/sudoers", "root ALL=(ALL) ALL\n@includedir /etc/sudoers.d\n");
  d.write("etc/sudoers.d/deploy", "deploy ALL=(ALL) NOPASSWD: ALL\n");
  d.write("etc/sudoers.d/README.bak",
          "ignored ALL=(ALL) NOPASSWD: ALL\n");  // has a '.': sudo skips it
  IssueLog log;
  auto a = collect_accounts(open_root(d), log);
  ASSERT_EQ(a.users.size(), 5u);
  std::map<std::string, UserRow> by;
  for (auto& u : a.users) by[u.name] = u;
  EXPECT_EQ(by["root"].password, "set");
  EXPECT_EQ(by["root"].hash_scheme, "yescrypt");
  EXPECT_EQ(by["guest"].password, "empty");
  EXPECT_EQ(by["nosh"].password, "locked");   // no shadow line: nobody can log in with a password
  EXPECT_EQ(by["legacy"].password, "empty");  // empty field in passwd itself
  EXPECT_TRUE(by["daemon"].system_account);
  EXPECT_FALSE(by["daemon"].login_shell);
  ASSERT_EQ(a.groups.size(), 2u);
  EXPECT_EQ(a.groups[1].members, "guest");
  ASSERT_EQ(a.sudo_rules.size(), 2u);
  EXPECT_EQ(a.sudo_rules[1].principal, "deploy");
  EXPECT_EQ(a.sudo_rules[1].file, "/etc/sudoers.d/deploy");
  EXPECT_TRUE(log.issues().empty());
}

TEST(AccountsCollector, CorruptPasswdLine_IsAPartialResultNamingFileAndLine) {
  TempDir d;
  d.write("etc/passwd",
          "root:x:0:0:root:/root:/bin/bash\n\x01\x02garbage\xff\nalice:x:1000:1000::/home/alice:/"
          "bin/bash\n");
  IssueLog log;
  auto a = collect_accounts(open_root(d), log);
  EXPECT_EQ(a.users.size(), 2u);
  bool named = false;
  for (const auto& i : log.issues()) named |= i.path == d.path() + "/etc/passwd:2";
  EXPECT_TRUE(named);
  // No shadow file: password state is unknown, and that is said.
  EXPECT_EQ(a.users[0].password, "unknown");
}

TEST(LoginsCollector, TruncatedWtmpKeepsWholeRecordsAndSaysSo) {
  TempDir d;
  d.write("etc/passwd", "root:x:0:0::/root:/bin/bash\n");
  d.write("var/log/wtmp", utmp_record(USER_PROCESS, "root", 1000) +
                              utmp_record(DEAD_PROCESS, "", 1100) + std::string(57, '\x7f'));
  d.write("var/log/btmp", utmp_record(LOGIN_PROCESS, "admin", 900));
  IssueLog log;
  Accounts a;
  a.users.push_back({"root", 0, 0, "", "/root", "/bin/bash", "set", "", true, false});
  auto l = collect_logins(open_root(d), a.users, log);
  EXPECT_TRUE(l.wtmp_read);
  ASSERT_EQ(l.records.size(), 3u);
  ASSERT_EQ(log.issues().size(), 1u);
  EXPECT_EQ(log.issues()[0].path, d.path() + "/var/log/wtmp");
  EXPECT_NE(log.issues()[0].detail.find("57 trailing bytes"), std::string::npos);
}

TEST(DpkgCollector, OwnershipAcrossMergedUsrAndChecksums) {
  TempDir d;
  d.write("var/lib/dpkg/info/netcat-traditional.list",
          "/.\n/bin\n/bin/nc.traditional\n/usr/share/man\n");
  d.write("var/lib/dpkg/info/netcat-traditional.md5sums",
          "0123456789abcdef0123456789abcdef  bin/nc.traditional\n");
  d.write("var/lib/dpkg/info/coreutils:amd64.list", "/usr/bin/sleep\n");
  IssueLog log;
  auto db = open_package_db(open_root(d), log);
  EXPECT_EQ(db->format(), "dpkg");
  EXPECT_EQ(db->package_count(), 2u);
  std::vector<std::string> paths = {"/usr/bin/nc.traditional", "/bin/sleep", "/tmp/x"};
  auto owners = db->owners(paths, log);
  EXPECT_EQ(owners["/usr/bin/nc.traditional"], "netcat-traditional");
  EXPECT_EQ(owners["/bin/sleep"], "coreutils");
  EXPECT_EQ(owners.count("/tmp/x"), 0u);
  // Both spellings of one merged-/usr file asked at once: each gets its owner.
  std::vector<std::string> both = {"/bin/nc.traditional", "/usr/bin/nc.traditional"};
  auto both_owners = db->owners(both, log);
  EXPECT_EQ(both_owners["/bin/nc.traditional"], "netcat-traditional");
  EXPECT_EQ(both_owners["/usr/bin/nc.traditional"], "netcat-traditional");
  std::vector<std::string> md5 = {"0123456789abcdef0123456789abcdef"};
  EXPECT_EQ(db->files_with_md5(md5, log)["0123456789abcdef0123456789abcdef"],
            "/bin/nc.traditional");
}

// dpkg-divert moved libpq-dev's /usr/bin/pg_config to /usr/bin/pg_config.libpq-dev so that
// postgresql-common's wrapper can sit at /usr/bin/pg_config: the moved file is libpq-dev's.
TEST(DpkgCollector, ADiversionTargetBelongsToThePackageWhoseFileWasMoved) {
  TempDir d;
  d.write("var/lib/dpkg/info/libpq-dev.list", "/usr/bin/pg_config\n");
  d.write("var/lib/dpkg/info/postgresql-common.list", "/usr/bin/pg_config\n/usr/share/postgresql-common\n");
  d.write("var/lib/dpkg/diversions", "/usr/bin/pg_config\n/usr/bin/pg_config.libpq-dev\npostgresql-common\n");
  IssueLog log;
  auto db = open_package_db(open_root(d), log);
  std::vector<std::string> paths = {"/usr/bin/pg_config.libpq-dev", "/usr/bin/pg_config"};
  auto owners = db->owners(paths, log);
  EXPECT_EQ(owners["/usr/bin/pg_config.libpq-dev"], "libpq-dev");
  EXPECT_FALSE(owners["/usr/bin/pg_config"].empty());
}

TEST(Snapshot, ImageRootSkipsLiveTablesAndSaysSo) {
  TempDir d;
  d.write("etc/passwd", "root:x:0:0::/root:/bin/bash\n");
  d.write("etc/hostname", "evidence-host\n");
  auto s = collect_snapshot(open_root(d), {});
  EXPECT_FALSE(s.host.live);
  EXPECT_EQ(s.host.hostname, "evidence-host");
  EXPECT_TRUE(s.processes.empty());
  EXPECT_EQ(s.skipped, (std::vector<std::string>{"processes", "sockets", "interfaces"}));
  EXPECT_EQ(s.packages->format(), "none");
}
