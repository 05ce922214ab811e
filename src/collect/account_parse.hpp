// Pure parsers for the account databases: passwd, group, shadow, login.defs (sudoers:
// collect/sudoers_parse.hpp).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/parse_error.hpp"

namespace vigil::collect {

struct PasswdEntry {
  std::string name, password, gecos, home, shell;
  std::int64_t uid = 0, gid = 0;
  std::size_t line = 0;
};
struct GroupEntry {
  std::string name;
  std::int64_t gid = 0;
  std::vector<std::string> members;
};
struct ShadowEntry {
  std::string name, hash;
  std::int64_t last_change = -1;  // days since 1970; -1 when empty
  std::int64_t max_days = -1;     // days a password stays valid; -1 when empty (never expires)
};

Parsed<PasswdEntry> parse_passwd(std::string_view text);
Parsed<GroupEntry> parse_group(std::string_view text);
Parsed<ShadowEntry> parse_shadow(std::string_view text);
// KEY VALUE pairs of /etc/login.defs.
std::map<std::string, std::string, std::less<>> parse_login_defs(std::string_view text);

// "set", "locked", "empty" — what a shadow (or legacy passwd) hash field allows.
std::string password_state(std::string_view hash);
// The crypt scheme of a hash: yescrypt, sha512, sha256, md5, bcrypt, des, or "".
std::string hash_scheme(std::string_view hash);


}  // namespace vigil::collect
