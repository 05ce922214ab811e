// End-to-end: vigil fim on a generated tree, as a user runs it.
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "core/hash.hpp"
#include "e2e/vigil_run.hpp"
#include "store/sqlite.hpp"
#include "support/temp_dir.hpp"

using namespace vigil::testing;
namespace fs = std::filesystem;

namespace {

struct FimFixture {
  TempDir tree{"vigil-fimtree"}, work{"vigil-fimwork"};
  std::string db = work / "v.db", key = work / "fim.key", policy;

  FimFixture() {
    policy = work.write("tree.policy", "/ R\n/logs L\n!/skip\n");
    for (int i = 0; i < 40; ++i) tree.write("usr/bin/tool" + std::to_string(i), std::string(1000 + i, 'x'));
    tree.write("etc/app.conf", "port = 8080\n");
    tree.write("etc/same-size", "AAAAAAAA\n");
    tree.write("etc/gone", "delete me\n");
    tree.write("logs/app.log", "line one\n");
    tree.write("skip/cache", "ignored\n");
    fs::create_symlink("/etc/app.conf", tree / "etc/link");
  }
  std::vector<std::string> args(std::vector<std::string> a) const {
    a.insert(a.end(), {"--root", tree.path(), "--db", db, "--key", key});
    return a;
  }
  RunResult init() const {
    auto a = args({"fim", "init", "--policy", policy});
    return run_vigil(a);
  }
  std::vector<nlohmann::json> check(int expect_exit) const {
    auto r = run_vigil(args({"fim", "check", "--format", "jsonl", "--no-suppress"}));
    EXPECT_EQ(r.exit_code, expect_exit) << r.err << r.out;
    if (r.exit_code != expect_exit) std::cerr << "check output:\n" << r.out;
    return parse_jsonl(r.out);
  }
};

const nlohmann::json* about(const std::vector<nlohmann::json>& all, const std::string& rule, const std::string& path) {
  for (const auto& f : all)
    if (f["rule"]["id"] == rule && f["file"]["path"] == path) return &f;
  return nullptr;
}

std::string dump(const std::vector<nlohmann::json>& all) {
  std::string s;
  for (const auto& f : all) s += f.dump() + "\n";
  return s;
}

}  // namespace

TEST(Fim, EveryKindOfChangeIsReportedWithItsAttributes_AndAnUntouchedTreeIsQuiet) {
  FimFixture f;
  auto init = f.init();
  ASSERT_EQ(init.exit_code, 0) << init.err;
  EXPECT_NE(init.out.find("signed with hmac-sha256"), std::string::npos) << init.out;
  EXPECT_TRUE(f.check(0).empty());

  // Content changed, mtime put back with the old value (touch -r).
  std::string conf = f.tree / "etc/app.conf";
  struct stat before {};
  ::stat(conf.c_str(), &before);
  f.tree.write("etc/app.conf", "port = 4444\n");
  struct timespec times[2] = {before.st_atim, before.st_mtim};
  ::utimensat(AT_FDCWD, conf.c_str(), times, 0);
  ::chmod((f.tree / "usr/bin/tool1").c_str(), 04755);
  ASSERT_EQ(::chown((f.tree / "usr/bin/tool2").c_str(), 1234, 1234), 0);
  ASSERT_EQ(::setxattr((f.tree / "usr/bin/tool3").c_str(), "user.vigil", "x", 1, 0), 0);
  fs::remove(f.tree / "etc/link");
  fs::create_symlink("/tmp/evil", f.tree / "etc/link");
  f.tree.write("usr/bin/dropped", "new tool\n");
  fs::remove(f.tree / "etc/gone");
  f.tree.write("etc/same-size", "BBBBBBBB\n");  // same size, other content
  f.tree.write("skip/cache", "changed, but excluded\n");
  std::ofstream(f.tree / "logs/app.log", std::ios::app) << "line two\n";  // a log may grow

  auto all = f.check(1);
  auto expect_change = [&](const std::string& path, const std::string& attrs) {
    const auto* x = about(all, "fim.changed", path);
    ASSERT_TRUE(x) << path << "\n" << dump(all);
    EXPECT_EQ((*x)["vigil"]["attributes"], attrs) << path;
  };
  expect_change("/etc/app.conf", "ctime,sha256");  // mtime put back; ctime cannot be
  expect_change("/usr/bin/tool1", "mode,ctime");
  expect_change("/usr/bin/tool2", "uid,gid,ctime");
  expect_change("/usr/bin/tool3", "ctime,xattrs");
  {
    const auto* link = about(all, "fim.changed", "/etc/link");  // the new link may reuse the inode
    ASSERT_TRUE(link);
    EXPECT_NE(link->at("vigil").at("changes").dump().find("target: /etc/app.conf → /tmp/evil"), std::string::npos);
  }
  expect_change("/etc/same-size", "mtime,ctime,sha256");
  ASSERT_TRUE(about(all, "fim.added", "/usr/bin/dropped")) << dump(all);
  ASSERT_TRUE(about(all, "fim.removed", "/etc/gone")) << dump(all);
  EXPECT_EQ(about(all, "fim.changed", "/usr/bin/tool1")->at("vigil").at("severity"), "high");
  EXPECT_TRUE(about(all, "fim.changed", "/usr/bin/tool1")->at("vigil").at("changes").is_array());
  EXPECT_NE(about(all, "fim.changed", "/usr/bin/tool1")->at("vigil").at("changes").dump().find("mode: 0644 → 4755"),
            std::string::npos);
  EXPECT_FALSE(about(all, "fim.changed", "/skip/cache"));
  EXPECT_FALSE(about(all, "fim.changed", "/logs/app.log")) << dump(all);
  // /etc, /usr/bin and / themselves changed (entries came and went): directories are
  // reported too, and nothing else is.
  std::size_t dirs = 0;
  for (const auto& x : all)
    if (x["file"]["type"] == "dir") ++dirs;
  EXPECT_EQ(all.size(), 8u + dirs) << dump(all);

  // Accept it: the next check is quiet, and the old baseline is kept as history.
  // What it accepts are still findings: --fail-on holds, and stdout stays JSON Lines.
  auto up = run_vigil(f.args({"fim", "update", "--format", "jsonl", "--no-suppress", "--fail-on", "low"}));
  EXPECT_EQ(up.exit_code, 1) << up.err;
  EXPECT_FALSE(parse_jsonl(up.out).empty());
  EXPECT_NE(up.err.find("fim update: baseline #"), std::string::npos) << up.err;
  EXPECT_TRUE(f.check(0).empty());
  auto list = run_vigil({"fim", "list", "--db", f.db});
  EXPECT_NE(list.out.find("history"), std::string::npos) << list.out;
  // Two more updates keeping one history baseline: three baselines became one active, one history.
  for (int i = 0; i < 2; ++i)
    EXPECT_EQ(run_vigil(f.args({"fim", "update", "--keep", "1", "--format", "jsonl"})).exit_code, 0);
  list = run_vigil({"fim", "list", "--db", f.db});
  std::size_t history = 0, active = 0;
  for (std::size_t at = 0; (at = list.out.find("history", at)) != std::string::npos; ++at) ++history;
  for (std::size_t at = 0; (at = list.out.find("active", at)) != std::string::npos; ++at) ++active;
  EXPECT_EQ(history, 1u) << list.out;
  EXPECT_EQ(active, 1u) << list.out;
  EXPECT_TRUE(f.check(0).empty());
}

TEST(Fim, ATamperedBaselineIsRefused) {
  FimFixture f;
  ASSERT_EQ(f.init().exit_code, 0);
  {
    auto d = vigil::store::Database::open(f.db, SQLITE_OPEN_READWRITE);
    ASSERT_TRUE(d);
    // What an intruder would do after replacing a program: make the baseline agree.
    ASSERT_TRUE(d->exec("UPDATE fim_entries SET sha256 = '0000' WHERE path = '/usr/bin/tool5'"));
  }
  auto r = run_vigil(f.args({"fim", "check", "--format", "jsonl"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("BASELINE REJECTED"), std::string::npos) << r.err;
  auto all = parse_jsonl(r.out);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0]["rule"]["id"], "fim.baseline-invalid");
  EXPECT_EQ(all[0]["vigil"]["severity"], "critical");
  // Another key does not verify it either.
  auto other = run_vigil({"fim", "check", "--root", f.tree.path(), "--db", f.db, "--key", f.work.write("other.key", std::string(64, 'k'))});
  EXPECT_EQ(other.exit_code, 2);
}

TEST(Fim, Ed25519BaselineIsCheckedWithThePublicKeyAlone) {
  FimFixture f;
  // openssl is on every Debian system; keys made the way a user would.
  std::string priv = f.work / "ed.pem", pub = f.work / "ed.pub";
  ASSERT_EQ(run_vigil_as({"/usr/bin/openssl", "genpkey", "-algorithm", "ed25519", "-out", priv}).exit_code, 0);
  ASSERT_EQ(run_vigil_as({"/usr/bin/openssl", "pkey", "-in", priv, "-pubout", "-out", pub}).exit_code, 0);
  auto init = run_vigil({"fim", "init", "--policy", f.policy, "--root", f.tree.path(), "--db", f.db, "--key", priv});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  auto r = run_vigil({"fim", "check", "--root", f.tree.path(), "--db", f.db, "--key", pub});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto signing = run_vigil({"fim", "update", "--root", f.tree.path(), "--db", f.db, "--key", pub});
  EXPECT_EQ(signing.exit_code, 2);  // a public key cannot sign the new baseline
}

TEST(Fim, InitKilledMidRunLeavesNoBaselineToTrust) {
  FimFixture f;
  for (int i = 0; i < 400; ++i) f.tree.write("data/f" + std::to_string(i), std::string(4096, 'd'));
  // Throttled to 200 files a second, the walk takes about two seconds: killed well inside it.
  std::vector<std::string> args = {VIGIL_BINARY, "fim", "init", "--policy", f.policy, "--rate", "200",
                                   "--root", f.tree.path(), "--db", f.db, "--key", f.key};
  auto argv = c_argv(args);
  pid_t pid = 0;
  ASSERT_EQ(::posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ), 0);
  ::usleep(500 * 1000);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "init finished before it was killed";
  auto r = run_vigil(f.args({"fim", "check"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no fim baseline"), std::string::npos) << r.err;
  EXPECT_EQ(f.init().exit_code, 0);  // and a new init works
}

TEST(Fim, OddFilesAreRecordedNeverOpenedOrFollowed) {
  FimFixture f;
  ASSERT_EQ(::mkfifo((f.tree / "etc/fifo").c_str(), 0600), 0);  // opening it for reading would block
  int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::string sock = f.tree / "etc/sock";
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", sock.c_str());
  ASSERT_EQ(::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::mknod((f.tree / "etc/null").c_str(), S_IFCHR | 0666, makedev(1, 3)), 0);
  f.tree.write("etc/new\nline", "x");
  f.tree.write("etc/bad-\xff\xfe-utf8", "y");
  fs::create_symlink("/etc/shadow", f.tree / "etc/escape");  // never followed out of the root
  fs::create_directories(f.tree / "etc/loop");
  fs::create_directory_symlink("..", f.tree / "etc/loop/up");
  auto init = f.init();
  ::close(s);
  ASSERT_EQ(init.exit_code, 0) << init.err;
  auto all = f.check(0);
  EXPECT_TRUE(all.empty()) << dump(all);
  fs::remove(f.tree / "etc/new\nline");
  all = f.check(0);  // a removed configuration file is low
  ASSERT_EQ(all.size(), 2u) << dump(all);  // the file, and /etc whose entries changed
  EXPECT_TRUE(about(all, "fim.removed", "/etc/new\nline")) << dump(all);
}

TEST(Fim, UnreadableFilesAreRecordedAsSuch) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to drop to nobody";
  if (!fs::exists("/usr/bin/setpriv")) GTEST_SKIP() << "needs setpriv (util-linux)";
  FimFixture f;
  f.tree.write("etc/secret", "root only\n");
  ::chmod((f.tree / "etc/secret").c_str(), 0600);
  for (const auto& p : {f.tree.path(), f.work.path()}) ::chmod(p.c_str(), 0777);
  std::string copy = f.work / "vigil";
  fs::copy_file(VIGIL_BINARY, copy);
  ::chmod(f.policy.c_str(), 0644);
  auto r = run_vigil_as({"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", copy, "fim", "init",
                         "--policy", f.policy, "--root", f.tree.path(), "--db", f.db, "--key", f.key});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("1 files could not be read"), std::string::npos) << r.out;
  auto d = vigil::store::Database::open(f.db, SQLITE_OPEN_READONLY);
  ASSERT_TRUE(d);
  auto st = d->prepare("SELECT error FROM fim_entries WHERE path = '/etc/secret'");
  ASSERT_TRUE(st);
  ASSERT_EQ(st->step(), SQLITE_ROW);
  EXPECT_EQ(st->text(0), "Permission denied");
}

TEST(FimPackages, ModifiedAndMissingPackageFilesAgainstDpkg_HonouringPathExclude) {
  TempDir root("vigil-pkgroot");
  auto md5 = [&](const std::string& content) {
    std::string p = root.write("md5-tmp", content);
    auto h = vigil::hash_fd(::open(p.c_str(), O_RDONLY), p);
    fs::remove(p);
    return h->md5;
  };
  root.write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
  root.write("etc/group", "root:x:0:\n");
  root.write("var/lib/dpkg/status", "Package: coreutils\nStatus: install ok installed\n\n");
  root.write("var/lib/dpkg/info/coreutils.list", "/usr/bin/ls\n/usr/bin/cat\n/usr/share/doc/coreutils/README\n");
  root.write("var/lib/dpkg/info/coreutils.md5sums", md5("the real ls\n") + "  usr/bin/ls\n" + md5("cat\n") +
                                                        "  usr/bin/cat\n" + md5("readme\n") +
                                                        "  usr/share/doc/coreutils/README\n");
  root.write("var/lib/dpkg/info/auditd.list", "/usr/sbin/auditd\n/usr/share/man/man8/auditd.8.gz\n");
  root.write("var/lib/dpkg/info/auditd.md5sums", md5("auditd\n") + "  usr/sbin/auditd\n" + md5("man\n") +
                                                     "  usr/share/man/man8/auditd.8.gz\n");
  root.write("etc/dpkg/dpkg.cfg.d/excludes", "path-exclude=/usr/share/man/*\npath-exclude /usr/share/doc/*\n"
                                              "path-include=/usr/share/doc/*/README\n");
  root.write("usr/bin/ls", "the real ls\n");
  root.write("usr/bin/cat", "cat\n");
  root.write("usr/share/doc/coreutils/README", "readme\n");
  root.write("usr/sbin/auditd", "auditd\n");
  auto run = [&] {
    auto r = run_vigil({"fim", "packages", "--root", root.path(), "--format", "jsonl", "--no-suppress"});
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
    return parse_jsonl(r.out);
  };
  EXPECT_TRUE(run().empty()) << dump(run());  // the man page is missing, but dpkg was told to leave it out

  root.write("usr/bin/ls", "a trojaned ls\n");
  fs::remove(root / "usr/sbin/auditd");
  fs::remove(root / "usr/share/doc/coreutils/README");  // path-include: it should be there
  auto all = run();
  ASSERT_EQ(all.size(), 3u) << dump(all);
  EXPECT_EQ(about(all, "files.package-modified", "/usr/bin/ls")->at("vigil").at("severity"), "high");
  EXPECT_EQ(about(all, "files.package-missing", "/usr/sbin/auditd")->at("vigil").at("severity"), "medium");
  EXPECT_EQ(about(all, "files.package-missing", "/usr/share/doc/coreutils/README")->at("vigil").at("severity"), "low");
}

TEST(Fim, UpdateWithAnUnreadablePolicyFailsBeforeScanningAndKeepsTheBaseline) {
  FimFixture f;
  ASSERT_EQ(f.init().exit_code, 0);
  auto r = run_vigil(f.args({"fim", "update", "--policy", f.work / "no-such.policy"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--policy"), std::string::npos) << r.err;
  auto bad = run_vigil(f.args({"fim", "update", "--policy", f.work.write("bad.policy", "/etc R+md5\n")}));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("md5"), std::string::npos) << bad.err;
  auto list = run_vigil({"fim", "list", "--db", f.db});
  EXPECT_EQ(list.out.find("history"), std::string::npos) << list.out;  // no new baseline was made
}
