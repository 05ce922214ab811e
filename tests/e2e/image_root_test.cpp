// End-to-end on fixture roots (--root): accounts, bad input, errors, suppressions, formats.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <utmp.h>
#include <zlib.h>

#include <cstring>
#include <filesystem>

#include "e2e/vigil_run.hpp"
#include "support/temp_dir.hpp"

using namespace vigil::testing;

namespace {

void clean_root(const TempDir& d) {
  d.write("etc/passwd",
          "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
          "alice:x:1000:1000:Alice:/home/alice:/bin/bash\n");
  d.write("etc/shadow",
          "root:$y$j9T$salt$hash:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n"
          "alice:$y$j9T$salt$hash:19000:0:99999:7:::\n");
  d.write("etc/group", "root:x:0:\nsudo:x:27:alice\nalice:x:1000:\n");
  d.write("etc/sudoers", "root ALL=(ALL:ALL) ALL\n%sudo ALL=(ALL:ALL) ALL\n");
  d.write("etc/hostname", "evidence\n");
}

std::string mtime_of(const std::string& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) + "/" +
         std::to_string(st.st_atim.tv_sec);
}

}  // namespace

TEST(ImageTriage, CleanFixtureRoot_IsQuietAndExitsZero) {
  TempDir d;
  clean_root(d);
  auto r = run_vigil({"triage", "--root", d.path(), "--format", "jsonl", "--no-suppress"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const auto& f : parse_jsonl(r.out)) EXPECT_EQ(f["vigil"]["severity"], "info") << f.dump();
}

TEST(ImageTriage, Uid0AndEmptyPasswordAccounts_AreReported) {
  TempDir d;
  clean_root(d);
  d.write("etc/passwd",
          "root:x:0:0:root:/root:/bin/bash\ntoor:x:0:0::/root:/bin/bash\nguest:x:1001:1001::/home/"
          "guest:/bin/bash\n");
  d.write("etc/shadow",
          "root:$y$j9T$s$h:19000::::::\ntoor:$6$s$h:19000::::::\nguest::19000::::::\n");
  std::string before = mtime_of(d / "etc/shadow");
  auto r = run_vigil({"triage", "--root", d.path(), "--format", "jsonl", "--no-suppress"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto all = parse_jsonl(r.out);
  auto uid0 = findings_of(all, "account.uid0-duplicate");
  ASSERT_EQ(uid0.size(), 1u);
  EXPECT_EQ(uid0[0]["user"]["name"], "toor");
  EXPECT_EQ(uid0[0]["user"]["id"], 0);
  EXPECT_EQ(uid0[0]["vigil"]["severity"], "critical");
  EXPECT_EQ(uid0[0]["event"]["kind"], "alert");
  EXPECT_EQ(uid0[0]["threat"]["technique"]["id"][0], "T1136.001");
  auto empty = findings_of(all, "account.empty-password");
  ASSERT_EQ(empty.size(), 1u);
  EXPECT_EQ(empty[0]["user"]["name"], "guest");
  EXPECT_EQ(mtime_of(d / "etc/shadow"), before)
      << "vigil changed a file (or its atime) under --root";
}

TEST(ImageTriage, CorruptAndTruncatedInput_GivesPartialResultAndSaysWhat) {
  TempDir d;
  clean_root(d);
  d.write("etc/passwd",
          "root:x:0:0:root:/root:/bin/bash\n\x7f"
          "ELF\x01\x02 binary garbage\nguest:x:1001:1001::/home/guest:/bin/bash\n");
  d.write("etc/shadow", "root:*:1::::::\nguest::19000::::::\n");
  struct utmp u {};
  u.ut_type = USER_PROCESS;
  std::strcpy(u.ut_user, "guest");
  u.ut_tv.tv_sec = 1700000000;
  d.write("var/log/wtmp",
          std::string(reinterpret_cast<const char*>(&u), sizeof u) + std::string(200, '\x01'));
  d.write("etc/group", std::string("\0\0\0\xff\xfe", 5));
  auto r = run_vigil({"triage", "--root", d.path(), "--format", "json", "--no-suppress"});
  ASSERT_EQ(r.exit_code, 1) << r.err;  // the empty password is still found
  auto doc = nlohmann::json::parse(r.out);
  std::string partial = doc.dump();
  EXPECT_NE(partial.find(d.path() + "/etc/passwd:2"), std::string::npos);
  EXPECT_NE(partial.find("200 trailing bytes"), std::string::npos);
  EXPECT_NE(partial.find(d.path() + "/etc/group:1"), std::string::npos);
  EXPECT_EQ(doc["inventory"]["users"].size(), 2u);
  EXPECT_EQ(doc["inventory"]["login_records"].size(), 1u);
}

TEST(ImageTriage, Errors_ExitTwoWithAClearMessage) {
  auto r = run_vigil({"triage", "--root", "/nonexistent/evidence"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/nonexistent/evidence"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());

  TempDir d;
  clean_root(d);
  auto bad = d.write("suppress.conf", "# ok\naccount.uid0-duplicate user.name=toor\n");
  r = run_vigil({"triage", "--root", d.path(), "--suppress", bad});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(bad + ":2"), std::string::npos) << r.err;

  r = run_vigil({"triage", "--fail-on", "severe"});
  EXPECT_EQ(r.exit_code, 2);
  r = run_vigil({"triage", "--format", "xml"});
  EXPECT_EQ(r.exit_code, 2);
}

TEST(ImageTriage, Suppressions_HideWithAReasonAndAreCounted) {
  TempDir d;
  clean_root(d);
  d.write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\ntoor:x:0:0::/root:/usr/sbin/nologin\n");
  d.write("etc/shadow", "root:*:1::::::\ntoor:!:1::::::\n");
  auto conf =
      d.write("suppress.conf",
              "account.uid0-duplicate user.name=toor -- vendor recovery account, CHG-1234\n");
  auto r = run_vigil({"triage", "--root", d.path(), "--format", "json", "--suppress", conf});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["summary"]["suppressed"], 1);
  EXPECT_TRUE(
      findings_of(doc["findings"].get<std::vector<nlohmann::json>>(), "account.uid0-duplicate")
          .empty());
  auto text = run_vigil({"triage", "--root", d.path(), "--suppress", conf, "--color", "never"});
  EXPECT_NE(text.out.find("(1 suppressed)"), std::string::npos) << text.out;
}

TEST(ImageTriage, TextReportHasHeaderFindingsAndInventory) {
  TempDir d;
  clean_root(d);
  d.write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\ntoor:x:0:0::/root:/bin/bash\n");
  auto r = run_vigil({"triage", "--root", d.path(), "--color", "never", "--no-suppress"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("vigil triage — evidence"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("image at " + d.path()), std::string::npos);
  EXPECT_NE(r.out.find("not collected from an image (live only): processes sockets interfaces"),
            std::string::npos);
  EXPECT_NE(r.out.find("Account with UID 0 besides root"), std::string::npos);
  EXPECT_NE(r.out.find("why:"), std::string::npos);
  EXPECT_NE(r.out.find("Inventory"), std::string::npos);
  EXPECT_EQ(r.out.find("\033["), std::string::npos) << "colour with --color never";
  auto colored = run_vigil({"triage", "--root", d.path(), "--color", "always", "--no-suppress"});
  EXPECT_NE(colored.out.find("\033["), std::string::npos);
}

TEST(Rules, DocsAreTheCatalog) {
  auto r = run_vigil({"rules"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("process.reverse-shell"), std::string::npos);
}

namespace {
std::string wtmp_record(short type, const char* user, std::int32_t t, const char* host = "") {
  struct utmp u{};
  u.ut_type = type;
  std::strncpy(u.ut_user, user, sizeof u.ut_user);
  std::strncpy(u.ut_line, "pts/0", sizeof u.ut_line);
  std::strncpy(u.ut_host, host, sizeof u.ut_host);
  u.ut_tv.tv_sec = t;
  return std::string(reinterpret_cast<const char*>(&u), sizeof u);
}
}  // namespace

TEST(ImageTriage, LoginRecordsAndSudo_AreJudged) {
  TempDir d;
  clean_root(d);
  d.write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\nbackup:x:34:34::/var/backups:/bin/sh\n"
                        "alice:x:1000:1000::/home/alice:/bin/bash\n");
  d.write("etc/shadow", "root:*:1::::::\nbackup:$6$s$h:1::::::\nalice:$y$j9T$s$h:1::::::\n");
  d.write("etc/sudoers.d/deploy", "alice ALL=(ALL) NOPASSWD: ALL\n");
  d.write("etc/sudoers", "root ALL=(ALL) ALL\n@includedir /etc/sudoers.d\n");
  // wtmp: alice logs in, then a wiper's zeroed hole, then a later logout.
  d.write("var/log/wtmp", wtmp_record(USER_PROCESS, "alice", 1700000000, "198.51.100.7") +
                              std::string(sizeof(struct utmp), '\0') + wtmp_record(DEAD_PROCESS, "", 1700003600));
  std::string btmp;
  for (int i = 0; i < 12; ++i) btmp += wtmp_record(LOGIN_PROCESS, "admin", 1700000100 + i, "203.0.113.5");
  d.write("var/log/btmp", btmp);
  auto r = run_vigil({"triage", "--root", d.path(), "--format", "jsonl", "--no-suppress"});
  auto all = parse_jsonl(r.out);
  auto zeroed = findings_of(all, "login.record-zeroed");
  ASSERT_EQ(zeroed.size(), 1u);
  EXPECT_EQ(zeroed[0]["vigil"]["severity"], "high");
  auto failed = findings_of(all, "login.failed-logins");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0]["vigil"]["count"], 12);
  EXPECT_EQ(failed[0]["source"]["address"], "203.0.113.5");
  auto sudo = findings_of(all, "account.sudo-nopasswd-all");
  ASSERT_EQ(sudo.size(), 1u);
  EXPECT_EQ(sudo[0]["file"]["path"], "/etc/sudoers.d/deploy");
  EXPECT_EQ(findings_of(all, "account.system-login-password").size(), 1u);
}

namespace {
void write_gzip(const std::string& path, const std::string& bytes) {
  gzFile g = gzopen(path.c_str(), "wb");
  gzwrite(g, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(g);
}
}  // namespace

// Issue 20 (4): failed logins only in a rotated, compressed btmp; history in wtmp.1 and in a
// wtmpdb database; a damaged wtmpdb and a cut .gz are said, and the rest is still read.
TEST(ImageTriage, RotatedLoginRecordsAndWtmpdb) {
  TempDir d;
  clean_root(d);
  d.write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n");
  std::string btmp;
  for (int i = 0; i < 12; ++i) btmp += wtmp_record(LOGIN_PROCESS, "admin", 1700000100 + i, "203.0.113.9");
  std::filesystem::create_directories(d / "var/log");
  write_gzip(d / "var/log/btmp.1.gz", btmp);
  d.write("var/log/btmp", "");
  d.write("var/log/wtmp.1", wtmp_record(USER_PROCESS, "alice", 1699990000, "198.51.100.4"));
  d.write("var/log/wtmp", wtmp_record(USER_PROCESS, "alice", 1700009000, "198.51.100.4"));
  std::filesystem::create_directories(d / "var/lib/wtmpdb");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((d / "var/lib/wtmpdb/wtmp.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TABLE wtmp(ID INTEGER PRIMARY KEY, Type INTEGER, User TEXT NOT NULL, Login INTEGER, "
                         "Logout INTEGER, TTY TEXT, RemoteHost TEXT, Service TEXT) STRICT;"
                         "INSERT INTO wtmp (Type,User,Login,Logout,TTY,RemoteHost,Service) VALUES "
                         "(1,'reboot',1700100000000000,NULL,'~','6.1.0-13-amd64',NULL),"
                         "(3,'alice',1700100100123456,1700103700000000,'pts/1','203.0.113.77','sshd');",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto r = run_vigil({"triage", "--root", d.path(), "--format", "jsonl", "--no-suppress"});
  auto all = parse_jsonl(r.out);
  auto failed = findings_of(all, "login.failed-logins");
  ASSERT_EQ(failed.size(), 1u) << r.out;
  EXPECT_EQ(failed[0]["vigil"]["count"], 12);
  EXPECT_EQ(failed[0]["source"]["address"], "203.0.113.9");
  auto q = run_vigil({"query", "--root", d.path(), "--format", "csv",
                      "SELECT file, path, type, user, host, time FROM login_records ORDER BY time"});
  ASSERT_EQ(q.exit_code, 0) << q.err;
  EXPECT_NE(q.out.find("wtmp,/var/log/wtmp.1,USER_PROCESS,alice,198.51.100.4,1699990000"), std::string::npos) << q.out;
  EXPECT_NE(q.out.find("btmp,/var/log/btmp.1.gz,LOGIN_PROCESS,admin,203.0.113.9,1700000100"), std::string::npos);
  EXPECT_NE(q.out.find("wtmpdb,/var/lib/wtmpdb/wtmp.db,USER_PROCESS,alice,203.0.113.77,1700100100"), std::string::npos);
  EXPECT_NE(q.out.find("wtmpdb,/var/lib/wtmpdb/wtmp.db,DEAD_PROCESS,alice,203.0.113.77,1700103700"), std::string::npos);
  EXPECT_NE(q.out.find("wtmpdb,/var/lib/wtmpdb/wtmp.db,BOOT_TIME,reboot"), std::string::npos);
  EXPECT_TRUE(findings_of(all, "login.records-out-of-order").empty()) << "wtmp.1 is older than wtmp";

  // Damage: a wtmpdb that is not a database, a .gz cut in half.
  d.write("var/lib/wtmpdb/wtmp.db", "this is not SQLite at all, just text long enough to look like a header");
  auto gz = slurp(d / "var/log/btmp.1.gz");
  d.write("var/log/btmp.1.gz", gz.substr(0, gz.size() / 2));
  auto damaged = run_vigil({"triage", "--root", d.path(), "--format", "jsonl", "--no-suppress"});
  auto partial = findings_of(parse_jsonl(damaged.out), "collector.partial");
  std::string said;
  for (const auto& f : partial) said += f.dump();
  EXPECT_NE(said.find("wtmp.db"), std::string::npos) << said;
  EXPECT_NE(said.find("btmp.1.gz"), std::string::npos) << said;
}

// Issue 20 (3): NOPASSWD: ALL behind aliases defined in the main file and used in a drop-in,
// and a Defaults that keeps LD_PRELOAD; the Debian default sudoers stays quiet.
TEST(ImageTriage, SudoPrivilegeHiddenBehindAliasesAndDefaults) {
  TempDir d;
  clean_root(d);
  d.write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n"
                        "bob:x:1001:1001::/home/bob:/bin/bash\n");
  d.write("etc/sudoers", "Defaults\tenv_reset\nDefaults\tmail_badpass\n"
                         "Defaults\tsecure_path=\"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"\n"
                         "Defaults\tuse_pty\nroot\tALL=(ALL:ALL) ALL\n%sudo\tALL=(ALL:ALL) ALL\n"
                         "@includedir /etc/sudoers.d\n");
  d.write("etc/sudoers.d/README", "# files here are read\n");
  auto quiet = run_vigil({"triage", "--root", d.path(), "--format", "jsonl", "--no-suppress"});
  auto clean = parse_jsonl(quiet.out);
  EXPECT_TRUE(findings_of(clean, "account.sudo-nopasswd-all").empty());
  EXPECT_TRUE(findings_of(clean, "account.sudo-defaults-weakened").empty()) << quiet.out;

  d.write("etc/sudoers.d/10-aliases", "User_Alias MAINT = bob\nCmnd_Alias TOOLS = ALL\n");
  d.write("etc/sudoers.d/20-maint", "MAINT ALL = (root) NOPASSWD: TOOLS\nDefaults env_keep += \"LD_PRELOAD\"\n");
  auto r = run_vigil({"triage", "--root", d.path(), "--format", "jsonl", "--no-suppress"});
  auto all = parse_jsonl(r.out);
  auto sudo = findings_of(all, "account.sudo-nopasswd-all");
  ASSERT_EQ(sudo.size(), 1u) << r.out;
  EXPECT_EQ(sudo[0]["user"]["name"], "bob");
  EXPECT_EQ(sudo[0]["file"]["path"], "/etc/sudoers.d/20-maint");
  auto weak = findings_of(all, "account.sudo-defaults-weakened");
  ASSERT_EQ(weak.size(), 1u) << r.out;
  EXPECT_EQ(weak[0]["vigil"]["severity"], "high");
  EXPECT_EQ(weak[0]["file"]["line"], 2);
  auto q = run_vigil({"query", "--root", d.path(), "--format", "csv",
                      "SELECT principal, commands, nopasswd_all FROM sudo_rules WHERE principal = 'bob'"});
  EXPECT_NE(q.out.find("bob,ALL,1"), std::string::npos) << q.out << q.err;
}

// Run by a user who cannot read /etc/shadow (issue 31, 8): a system account with a shell is
// not called "with a password" on a guess; the gap is said once, and so is who is running.
TEST(ImageTriage, AsANonRootUserUnreadableIsUnknownNotAGuess) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to drop to nobody";
  if (!std::filesystem::exists("/usr/bin/setpriv")) GTEST_SKIP() << "needs setpriv (util-linux)";
  TempDir d, bin("vigil-bin");
  clean_root(d);
  d.write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\nbackup:x:34:34:backup:/var/backups:/bin/bash\n");
  d.write("etc/shadow", "root:$y$j9T$salt$hash:19000:0:99999:7:::\nbackup:!:19000:0:99999:7:::\n");
  ::chmod((d / "etc/shadow").c_str(), 0600);
  ::chmod(d.path().c_str(), 0755);
  ::chmod(bin.path().c_str(), 0755);
  std::string copy = bin / "vigil";
  std::filesystem::copy_file(VIGIL_BINARY, copy);
  auto r = run_vigil_as({"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", copy, "triage",
                         "--root", d.path(), "--format", "jsonl", "--no-suppress", "--rules",
                         std::string(VIGIL_SOURCE_DIR) + "/rules"});
  EXPECT_LE(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("not root"), std::string::npos) << r.err;
  int shadow_gaps = 0;
  for (const auto& f : parse_jsonl(r.out)) {
    EXPECT_NE(f["rule"]["id"], "account.system-login-password") << f.dump();
    if (f["rule"]["id"] == "collector.partial" && f["file"]["path"].get<std::string>().find("/etc/shadow") != std::string::npos)
      ++shadow_gaps;
  }
  EXPECT_EQ(shadow_gaps, 1) << r.out;
}
