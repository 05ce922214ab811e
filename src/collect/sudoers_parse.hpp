// sudoers as sudo reads it: rules with every alias kind expanded (User_Alias, Runas_Alias,
// Host_Alias, Cmnd_Alias; nested, with '!' negation; several on one line), the #include and
// @includedir directives, and the Defaults lines — with what each setting weakens — so a
// NOPASSWD: ALL hidden behind an alias, or an env_keep of LD_PRELOAD, is seen.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/parse_error.hpp"

namespace vigil::collect {

struct SudoRule {
  std::size_t line = 0;
  std::string principal;  // user, %group, or #uid, with aliases expanded
  std::string hosts, runas, commands;  // aliases expanded; a negated member keeps its '!'
  bool nopasswd = false;      // NOPASSWD applies to at least one command
  bool nopasswd_all = false;  // NOPASSWD: ALL
  bool all_commands = false;  // ALL among the commands (with or without a password)
};

struct SudoDefault {
  std::size_t line = 0;
  std::string scope;     // "" (every rule), ":user", "@host", ">runas", "!command", as written
  std::string setting;   // one setting: "!authenticate", "env_keep += \"LD_PRELOAD\""
  std::string weakens;   // what it gives away ("" when nothing): sudo_default_weakness
};

// Aliases are global in sudo: a file included later uses those defined before it.
struct SudoAliases {
  std::map<std::string, std::vector<std::string>, std::less<>> user, runas, host, command;
};

struct SudoersFile {
  std::vector<SudoRule> rules;
  std::vector<SudoDefault> defaults;
  std::vector<std::string> include_files;  // @include / #include
  std::vector<std::string> include_dirs;   // @includedir / #includedir
  std::vector<ParseError> errors;
};

// `aliases` carries definitions from the files read before and gains this file's.
SudoersFile parse_sudoers(std::string_view text, SudoAliases& aliases);
SudoersFile parse_sudoers(std::string_view text);

// What a Defaults setting gives away, "" when nothing: !authenticate (no password for any
// command), env_keep of LD_PRELOAD / LD_LIBRARY_PATH / LD_AUDIT (the caller's library loaded
// into root's command), !env_reset (the caller's whole environment kept), a negative
// timestamp_timeout (one password forever).
std::string sudo_default_weakness(std::string_view setting);

}  // namespace vigil::collect
