// Pure parsers for the places a program can start itself: crontabs, systemd units,
// authorized_keys, udev rules, PAM stacks, modprobe and environment files.
#pragma once

#include <cstddef>
#include <cstdint>
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
// Exec*= lines of services and sockets, Environment=LD_PRELOAD=…, and the Unit= a timer or a
// path unit starts.
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
struct PamEntry {
  std::size_t line = 0;
  std::string type;     // auth, account, password, session (a leading '-' dropped)
  std::string control;  // required, [success=1 default=ignore], …
  std::string module;   // pam_unix.so, /lib/security/x.so
  std::vector<std::string> args;  // as written; [a b] brackets kept as one argument
};
// PAM stacks: each module line with its arguments (include/substack/@include lines name
// other stacks and are not modules).
std::vector<PamEntry> parse_pam_stack(std::string_view text);
// pam_exec's program and its arguments (what follows pam_exec's own options), and whether
// pam_exec hands it the password (expose_authtok).
struct PamExecProgram {
  std::string command;
  bool expose_authtok = false;
};
PamExecProgram pam_exec_program(const std::vector<std::string>& args);
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

// An at job as atd stores it (/var/spool/cron/atjobs): a preamble that restores the
// submitter's environment and directory, then the job itself, between a here-document
// marker line and the marker (older at versions append the job without one).
struct AtJob {
  std::int64_t uid = -1;           // from "# atrun uid=N gid=M"
  std::vector<LineCommand> body;   // the job's lines: what the submitter typed
};
AtJob parse_at_job(std::string_view text);

struct AptHook {
  std::size_t line = 0;
  std::string option;   // DPkg::Post-Invoke, APT::Update::Pre-Invoke, …
  std::string command;  // the shell command APT runs
};
// apt.conf syntax (scopes in braces, "Name::Sub \"value\";", lists, // and /* */ comments):
// every value of an option whose commands APT runs through the shell.
std::vector<AptHook> parse_apt_hooks(std::string_view text);

}  // namespace vigil::collect
