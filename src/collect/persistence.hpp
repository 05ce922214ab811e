// persistence table: every place a program can start itself (the Autoruns view).
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "collect/accounts.hpp"
#include "collect/packages.hpp"
#include "collect/sshd_config.hpp"
#include "core/collect_issue.hpp"
#include "core/root.hpp"
#include "core/table.hpp"

namespace vigil::collect {

struct PersistenceRow {
  std::string kind;      // cron, cron-script, at, systemd, systemd-generator, rc-local, init-script,
                         // shell-startup, ld-preload, environment, authorized-key, sshd-command, udev, pam-module, pam-exec, motd,
                         // xdg-autostart, nm-dispatcher, apt-hook, kernel-module, modprobe-install
  std::string location;  // the file
  std::int64_t line = 0;  // 0 when the whole file is the item
  std::string command;   // what it runs (or loads)
  std::string user;      // whose item it is (crontab user, key's account); "" for system-wide
  std::string detail;    // schedule, unit key, key type and comment, module name …
  std::string options;   // authorized_keys options (command=, from=, no-pty …); a PAM module's arguments
  std::int64_t file_uid = -1;
  std::int64_t mtime = 0;  // of the file, epoch seconds
  std::string package;     // package owning the file; "" when none
  bool enabled = true;     // systemd units: linked from a .wants/.requires directory
  std::int64_t ctime = 0;  // inode change time of the file: touch -r cannot set it back
  // Files whose text matches a start-up pattern, checked against the package's checksum:
  // "ok" (as the package shipped it), "modified", or "" (not packaged, or not checked).
  std::string verify;

  // Not a column: where a symlinked file points (an alias made by `systemctl enable`);
  // ownership is judged on the target.
  std::string target;

  static constexpr std::string_view kTable = "persistence";
  static constexpr std::array<Column, 13> kColumns{{
      {"kind", "cron, cron-script, at, systemd, systemd-generator, rc-local, init-script, shell-startup, ld-preload, "
               "environment, authorized-key, sshd-command (AuthorizedKeysCommand, ForceCommand …), udev, pam-module, pam-exec (the program pam_exec or pam_script runs), motd, "
               "xdg-autostart, nm-dispatcher, apt-hook, "
               "kernel-module, modprobe-install"},
      {"location", "file that holds the item"},
      {"line", "line in the file; 0 when the file itself is the item (a script's lines that match a start-up "
               "pattern are rows of their own)"},
      {"command", "what it runs or loads"},
      {"user", "account whose item it is; empty for system-wide items"},
      {"detail", "schedule, unit key, key type and comment, …"},
      {"options", "authorized_keys options (command=, from=, no-pty …); a PAM module's arguments"},
      {"file_uid", "owner of the file"},
      {"mtime", "modification time of the file, epoch seconds"},
      {"package", "package that owns the file; empty when none"},
      {"enabled", "systemd units: enabled through a .wants or .requires link; true elsewhere"},
      {"ctime", "inode change time of the file, epoch seconds (touch -r cannot reset it)"},
      {"verify", "files with a suspicious line: ok (as packaged), modified (differs from the package's checksum), "
                 "or empty (no package, not checked)"},
  }};
  auto fields() const {
    return std::tie(kind, location, line, command, user, detail, options, file_uid, mtime, package, enabled, ctime,
                    verify);
  }
};
static_assert(columns_match<PersistenceRow>());

// Rows with file owner and mtime; packages come from apply_packages with the answers to
// package_query_paths (asked together with the other tables' paths, in one pass).
// `sshd` (the sshd_config table) says where keys are kept and what sshd runs at login.
std::vector<PersistenceRow> collect_persistence(const Root& root, const std::vector<UserRow>& users,
                                                const std::vector<SshdSettingRow>& sshd, IssueLog& log);
std::vector<std::string> package_query_paths(const std::vector<PersistenceRow>& rows);
void apply_packages(std::vector<PersistenceRow>& rows, const PathMap& owners);
// Files whose items match a start-up pattern: checked against their package's checksums.
std::vector<std::string> content_check_paths(const std::vector<PersistenceRow>& rows);
// Marks the rows of those files (`wanted`, from content_check_paths) "ok" (checked and
// unchanged) or "modified".
void apply_verification(std::vector<PersistenceRow>& rows, const std::set<std::string, std::less<>>& wanted,
                        const std::set<std::string, std::less<>>& checked,
                        const std::set<std::string, std::less<>>& modified);

}  // namespace vigil::collect
