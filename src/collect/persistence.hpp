// persistence table: every place a program can start itself (the Autoruns view).
#pragma once

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "collect/accounts.hpp"
#include "collect/packages.hpp"
#include "core/collect_issue.hpp"
#include "core/root.hpp"
#include "core/table.hpp"

namespace vigil::collect {

struct PersistenceRow {
  std::string kind;      // cron, cron-script, at, systemd, rc-local, init-script, shell-startup, ld-preload,
                         // environment, authorized-key, udev, pam-module, motd, xdg-autostart,
                         // kernel-module, modprobe-install
  std::string location;  // the file
  std::int64_t line = 0;  // 0 when the whole file is the item
  std::string command;   // what it runs (or loads)
  std::string user;      // whose item it is (crontab user, key's account); "" for system-wide
  std::string detail;    // schedule, unit key, key type and comment, module name …
  std::string options;   // authorized_keys options (command=, from=, no-pty …)
  std::int64_t file_uid = -1;
  std::int64_t mtime = 0;  // of the file, epoch seconds
  std::string package;     // package owning the file; "" when none
  bool enabled = true;     // systemd units: linked from a .wants/.requires directory

  // Not a column: where a symlinked file points (an alias made by `systemctl enable`);
  // ownership is judged on the target.
  std::string target;

  static constexpr std::string_view kTable = "persistence";
  static constexpr std::array<Column, 11> kColumns{{
      {"kind", "cron, cron-script, at, systemd, rc-local, init-script, shell-startup, ld-preload, environment, "
               "authorized-key, udev, pam-module, motd, xdg-autostart, kernel-module, modprobe-install"},
      {"location", "file that holds the item"},
      {"line", "line in the file; 0 when the file itself is the item"},
      {"command", "what it runs or loads"},
      {"user", "account whose item it is; empty for system-wide items"},
      {"detail", "schedule, unit key, key type and comment, …"},
      {"options", "authorized_keys options (command=, from=, no-pty …)"},
      {"file_uid", "owner of the file"},
      {"mtime", "modification time of the file, epoch seconds"},
      {"package", "package that owns the file; empty when none"},
      {"enabled", "systemd units: enabled through a .wants or .requires link; true elsewhere"},
  }};
  auto fields() const {
    return std::tie(kind, location, line, command, user, detail, options, file_uid, mtime, package, enabled);
  }
};
static_assert(columns_match<PersistenceRow>());

// Rows with file owner and mtime; packages come from apply_packages with the answers to
// package_query_paths (asked together with the other tables' paths, in one pass).
std::vector<PersistenceRow> collect_persistence(const Root& root, const std::vector<UserRow>& users, IssueLog& log);
std::vector<std::string> package_query_paths(const std::vector<PersistenceRow>& rows);
void apply_packages(std::vector<PersistenceRow>& rows, const PathMap& owners);

}  // namespace vigil::collect
