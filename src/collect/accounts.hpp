// users, groups, sudo_rules and sudo_defaults tables: /etc/passwd, /etc/group, /etc/shadow, sudoers.
#pragma once

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "core/collect_issue.hpp"
#include "core/root.hpp"
#include "core/table.hpp"

namespace vigil::collect {

struct UserRow {
  std::string name;
  std::int64_t uid = 0;
  std::int64_t gid = 0;
  std::string gecos, home, shell;
  std::string password;  // set · locked · empty · unknown (shadow unreadable or missing)
  std::string hash_scheme;
  bool login_shell = false;     // the shell is not nologin/false
  bool system_account = false;  // uid below login.defs UID_MIN, and not root

  static constexpr std::string_view kTable = "users";
  static constexpr std::array<Column, 10> kColumns{{
      {"name", "login name"},
      {"uid", "user id"},
      {"gid", "primary group id"},
      {"gecos", "comment field"},
      {"home", "home directory"},
      {"shell", "login shell"},
      {"password", "password state from shadow: set, locked, empty or unknown"},
      {"hash_scheme", "crypt scheme of the password hash (yescrypt, sha512, md5, des …)"},
      {"login_shell", "the shell allows an interactive login"},
      {"system_account", "uid is below UID_MIN of login.defs (and not 0)"},
  }};
  auto fields() const {
    return std::tie(name, uid, gid, gecos, home, shell, password, hash_scheme, login_shell,
                    system_account);
  }
};
static_assert(columns_match<UserRow>());

struct GroupRow {
  std::string name;
  std::int64_t gid = 0;
  std::string members;  // comma-separated

  static constexpr std::string_view kTable = "groups";
  static constexpr std::array<Column, 3> kColumns{
      {{"name", "group name"},
       {"gid", "group id"},
       {"members", "supplementary members, comma-separated"}}};
  auto fields() const { return std::tie(name, gid, members); }
};
static_assert(columns_match<GroupRow>());

struct SudoRuleRow {
  std::string file;
  std::int64_t line = 0;
  std::string principal, hosts, runas, commands;
  bool nopasswd = false;
  bool nopasswd_all = false;

  static constexpr std::string_view kTable = "sudo_rules";
  static constexpr std::array<Column, 8> kColumns{{
      {"file", "sudoers file"},
      {"line", "line of the rule"},
      {"principal", "user, %group or #uid the rule grants (aliases expanded)"},
      {"hosts", "host list"},
      {"runas", "run-as list"},
      {"commands", "commands granted"},
      {"nopasswd", "some command runs without a password"},
      {"nopasswd_all", "NOPASSWD: ALL — every command as root without a password"},
  }};
  auto fields() const {
    return std::tie(file, line, principal, hosts, runas, commands, nopasswd, nopasswd_all);
  }
};
static_assert(columns_match<SudoRuleRow>());

struct SudoDefaultRow {
  std::string file;
  std::int64_t line = 0;
  std::string scope, setting, weakens;

  static constexpr std::string_view kTable = "sudo_defaults";
  static constexpr std::array<Column, 5> kColumns{{
      {"file", "sudoers file"},
      {"line", "line of the Defaults entry"},
      {"scope", "'' for every rule, or :user, @host, >runas, !command as written"},
      {"setting", "one setting: !authenticate, env_keep += \"LD_PRELOAD\", …"},
      {"weakens", "what the setting gives away ('' when nothing)"},
  }};
  auto fields() const { return std::tie(file, line, scope, setting, weakens); }
};
static_assert(columns_match<SudoDefaultRow>());

struct Accounts {
  std::vector<UserRow> users;
  std::vector<GroupRow> groups;
  std::vector<SudoRuleRow> sudo_rules;
  std::vector<SudoDefaultRow> sudo_defaults;
  std::int64_t uid_min = 1000;
};

Accounts collect_accounts(const Root& root, IssueLog& log);

}  // namespace vigil::collect
