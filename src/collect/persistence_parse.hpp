// Pure parsers for the places a program can start itself: crontabs, systemd units,
// authorized_keys, udev rules, PAM stacks, modprobe and environment files.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/parse_error.hpp"

namespace vigil::collect {

struct CronEntry {
  std::size_t line = 0;
  std::string schedule;  // "*/5 * * * *" or "@reboot"
  std::string user;      // system crontabs name the user; per-user spools leave it empty
  std::string command;
};
// `system_format`: /etc/crontab and /etc/cron.d have a user field after the schedule.
Parsed<CronEntry> parse_crontab(std::string_view text, bool system_format);

struct UnitCommand {
  std::size_t line = 0;
  std::string key;      // ExecStart, ExecStartPre, …, Environment (LD_PRELOAD), Unit (timers)
  std::string command;  // without systemd's "-@:+!" prefixes
};
// Exec*= lines, Environment=LD_PRELOAD=…, and a timer's Unit=.
std::vector<UnitCommand> parse_systemd_unit(std::string_view text);

struct AuthorizedKey {
  std::size_t line = 0;
  std::string options;  // "command=\"…\",no-pty" or ""
  std::string type;     // ssh-ed25519, ssh-rsa, …
  std::string comment;
  std::string forced_command;  // the command= option's value
};
Parsed<AuthorizedKey> parse_authorized_keys(std::string_view text);

struct LineCommand {
  std::size_t line = 0;
  std::string command;
};
// udev rules: the program of each RUN{…}+= / RUN+= assignment.
std::vector<LineCommand> parse_udev_runs(std::string_view text);
// PAM stacks: the module of each line (pam_unix.so, /lib/security/x.so).
std::vector<LineCommand> parse_pam_modules(std::string_view text);
// modprobe.d: "install MODULE COMMAND" lines (commands run when a module loads).
std::vector<LineCommand> parse_modprobe_installs(std::string_view text);
// /etc/modules and modules-load.d: one module name per line.
std::vector<LineCommand> parse_module_list(std::string_view text);
// KEY=VALUE files (/etc/environment, systemd environment.d): the value of `key`.
std::vector<LineCommand> parse_env_assignments(std::string_view text, std::string_view key);
// Shell start-up files, rc.local, ld.so.preload: every line that is not blank or a comment.
std::vector<LineCommand> parse_command_lines(std::string_view text);
// .desktop files (XDG autostart): the Exec= line.
std::vector<LineCommand> parse_desktop_exec(std::string_view text);

}  // namespace vigil::collect
