// End-to-end: traces an intruder removes or hides - shell history sent to /dev/null or emptied
// after a login, logs deleted or emptied in place, kernel modules on disk - planted in a
// fixture root.
#include <sys/stat.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "e2e/fixture_root.hpp"

using namespace vigil::testing;
namespace fs = std::filesystem;

namespace {

// /var/log/lastlog as login writes it: one 292-byte record per uid (time, line, host).
void lastlog_login(const TempDir& d, std::int64_t uid, std::int32_t when) {
  fs::create_directories(d / "var/log");
  std::fstream f(d / "var/log/lastlog", std::ios::in | std::ios::out | std::ios::binary);
  if (!f) f.open(d / "var/log/lastlog", std::ios::out | std::ios::binary);
  char record[292] = {};
  std::memcpy(record, &when, 4);
  std::strcpy(record + 4, "pts/0");
  std::strcpy(record + 36, "198.51.100.7");
  f.seekp(uid * 292);
  f.write(record, sizeof record);
}

}  // namespace

TEST(ImageEvasion, HistoryToDevNullAndHistoryEmptiedAfterALogin) {
  TempDir d;
  base_root(d);
  d.write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000:Alice:/home/alice:/bin/bash\n"
                        "bob:x:1001:1001:Bob:/home/bob:/bin/bash\n");
  d.write("etc/shadow", "root:$y$j9T$s$h:19000::::::\nalice:$y$j9T$s$h:19000::::::\nbob:$y$j9T$s$h:19000::::::\n");
  fs::create_symlink("/dev/null", d / "root/.bash_history");
  d.write("home/alice/.bash_history", "");
  d.write("home/bob/.bash_history", "");  // bob never logged in: empty is just empty
  ::chown((d / "home/alice/.bash_history").c_str(), 1000, 1000);
  ::chown((d / "home/bob/.bash_history").c_str(), 1001, 1001);
  age_files(d, 400);  // the history file was last written 400 days ago ...
  lastlog_login(d, 1000, static_cast<std::int32_t>(::time(nullptr) - 86400));  // ... alice logged in yesterday
  auto all = triage(d, {"--since", "0"});
  auto disabled = findings_of(all, "evasion.history-disabled");
  ASSERT_EQ(disabled.size(), 1u);
  EXPECT_EQ(disabled[0]["file"]["path"], "/root/.bash_history");
  EXPECT_EQ(disabled[0]["vigil"]["severity"], "high");
  auto emptied = findings_of(all, "evasion.history-emptied");
  ASSERT_EQ(emptied.size(), 1u);
  EXPECT_EQ(emptied[0]["file"]["path"], "/home/alice/.bash_history");
  EXPECT_EQ(emptied[0]["vigil"]["severity"], "low");
}

TEST(ImageEvasion, KernelModulesOnDiskLoadedAtBootOrKnownRootkits) {
  TempDir d;
  base_root(d);
  d.write("lib/modules/6.1.0-28-amd64/kernel/drivers/net/dummy.ko", "packaged module\n");
  d.write("var/lib/dpkg/info/linux-image-6.1.0-28-amd64.list", "/lib/modules/6.1.0-28-amd64/kernel/drivers/net/dummy.ko\n");
  d.write("lib/modules/6.1.0-28-amd64/extra/diamorphine.ko", "a rootkit, not loaded\n");
  d.write("lib/modules/6.1.0-28-amd64/updates/nf_helper.ko.xz", "planted\n");
  d.write("etc/modules-load.d/net.conf", "# netfilter helper\nnf-helper\n");
  d.write("lib/modules/6.1.0-28-amd64/updates/dkms/vboxdrv.ko", "built by dkms\n");
  std::filesystem::create_directories(d / "var/lib/dkms/virtualbox");
  d.write("lib/modules/6.1.0-28-amd64/updates/wl.ko", "a driver installed by hand, not loaded at boot\n");
  age_files(d, 400);
  auto all = triage(d, {"--since", "0"});
  auto known = findings_of(all, "rootkit.known-artifact");
  ASSERT_EQ(known.size(), 1u);
  EXPECT_EQ(known[0]["file"]["path"], "/lib/modules/6.1.0-28-amd64/extra/diamorphine.ko");
  EXPECT_EQ(known[0]["vigil"]["severity"], "critical");
  std::map<std::string, std::string> unowned;
  for (const auto& f : findings_of(all, "rootkit.unowned-module")) unowned[f["file"]["path"]] = f["vigil"]["severity"];
  EXPECT_EQ(unowned["/lib/modules/6.1.0-28-amd64/updates/nf_helper.ko.xz"], "high") << "loaded at every boot";
  EXPECT_EQ(unowned["/lib/modules/6.1.0-28-amd64/updates/wl.ko"], "medium");
  EXPECT_EQ(unowned.size(), 2u) << "the packaged module and the DKMS build are not reported";
}

TEST(ImageEvasion, LogDeletedWhileItsRotatedCopiesRemain) {
  TempDir d;
  base_root(d);
  d.write("etc/logrotate.d/rsyslog", "/var/log/syslog\n/var/log/auth.log\n{\n  rotate 4\n  weekly\n  postrotate\n"
                                     "    /usr/lib/rsyslog/rsyslog-rotate\n  endscript\n}\n");
  d.write("etc/logrotate.d/apt", "/var/log/apt/term.log {\n  monthly\n}\n/var/log/apt/history.log {\n  monthly\n}\n");
  d.write("var/log/syslog", "Dec  7 03:00:01 host CRON[1]: ok\n");
  d.write("var/log/auth.log.1", "Dec  1 10:00:00 host sshd[2]: Accepted password for root\n");  // auth.log is gone
  d.write("var/log/apt/term.log", "");                  // present, empty: fine
  d.write("var/log/apt/history.log.1.gz", "");          // history.log was never recreated ...
  d.write("var/log/apt/history.log", "Start-Date: x\n");  // ... no: it is there
  age_files(d, 400);
  auto missing = findings_of(triage(d, {"--since", "0"}), "evasion.log-missing");
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0]["file"]["path"], "/var/log/auth.log");
  EXPECT_EQ(missing[0]["vigil"]["severity"], "high");
}

TEST(ImageEvasion, LogEmptiedInPlaceAfterItWasCreated) {
  TempDir d;
  base_root(d);
  d.write("etc/logrotate.d/rsyslog", "/var/log/syslog\n/var/log/auth.log\n{\n  weekly\n}\n");
  d.write("etc/logrotate.d/app", "/var/log/app.log {\n  copytruncate\n}\n");
  d.write("var/log/syslog", "");    // rotated and quiet since: created and written at once
  d.write("var/log/auth.log", "");  // emptied in place, two hours after it was created
  d.write("var/log/app.log", "");   // copytruncate: emptied in place by logrotate itself
  age_files(d, 400);
  std::string probe = d.write("probe", "");
  struct statx stx{};
  if (::statx(AT_FDCWD, probe.c_str(), 0, STATX_BTIME, &stx) != 0 || !(stx.stx_mask & STATX_BTIME))
    GTEST_SKIP() << "the file system under /tmp records no birth time";
  struct timespec same[2] = {{0, UTIME_OMIT}, {0, UTIME_NOW}};
  ::utimensat(AT_FDCWD, (d / "var/log/syslog").c_str(), same, 0);
  struct timespec later[2] = {{0, UTIME_OMIT}, {::time(nullptr) + 7200, 0}};
  ::utimensat(AT_FDCWD, (d / "var/log/auth.log").c_str(), later, 0);
  ::utimensat(AT_FDCWD, (d / "var/log/app.log").c_str(), later, 0);
  auto emptied = findings_of(triage(d, {"--since", "0"}), "evasion.log-emptied");
  ASSERT_EQ(emptied.size(), 1u);
  EXPECT_EQ(emptied[0]["file"]["path"], "/var/log/auth.log");
  EXPECT_EQ(emptied[0]["vigil"]["severity"], "high");
}

TEST(ImageEvasion, UnpackagedProgramWithItsTimeSetBack) {
  TempDir d;
  base_root(d);
  d.write("usr/bin/ls", "#!/bin/sh\necho packaged\n");
  d.write("usr/bin/kupd", "#!/bin/sh\necho planted\n");
  std::filesystem::permissions(d / "usr/bin/ls", std::filesystem::perms::owner_all);
  std::filesystem::permissions(d / "usr/bin/kupd", std::filesystem::perms::owner_all);
  d.write("var/lib/dpkg/info/coreutils.list", "/usr/bin/ls\n");
  age_files(d, 400);  // touch -r: the mtime says a year ago, the inode changed today
  auto found = findings_of(triage(d, {"--since", "0"}), "files.backdated-program");
  ASSERT_EQ(found.size(), 1u) << "dpkg keeps package mtimes: ls looks the same and is packaged";
  EXPECT_EQ(found[0]["file"]["path"], "/usr/bin/kupd");
  EXPECT_EQ(found[0]["vigil"]["severity"], "low");
}
