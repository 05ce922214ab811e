// vigil audit passwords: each /etc/shadow hash tried against a wordlist (john's common
// passwords by default) and variants of the user name, with libxcrypt on every core; and the
// states that need no cracking: empty, locked, never expiring, deprecated schemes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/expected.hpp"
#include "core/root.hpp"

namespace vigil::audit {

inline constexpr std::string_view kDefaultWordlist = "/usr/share/john/password.lst";

struct PasswordOptions {
  std::string wordlist = std::string(kDefaultWordlist);  // on the analyst's machine, not under --root
  bool user_variants = true;
  unsigned jobs = 0;  // 0: every core
};

struct AccountAudit {
  std::string user, shell, scheme;  // scheme: yescrypt, sha512, md5, des, … ("" when none)
  std::int64_t uid = -1;
  std::string state;                // set, locked, empty
  bool can_login = false;           // a shell that is not nologin/false
  bool weak = false;                // the password was found
  std::string password;             // …and what it is (shown only with --show)
  std::string found_by;             // "wordlist" or "user name variant"
  bool never_expires = false;
  bool deprecated = false;          // MD5, DES, or what libxcrypt calls legacy
  bool unsupported = false;         // libxcrypt cannot verify this hash (scheme disabled, invalid)
  std::vector<std::string> issues;  // human-readable, most serious first
  std::string severity;             // high, medium, low, info
};

struct PasswordAudit {
  std::vector<AccountAudit> accounts;
  std::uint64_t candidates = 0;  // hashes computed
  double seconds = 0;
  unsigned threads = 0;
  std::size_t wordlist_words = 0;
  std::vector<std::string> problems;  // unreadable files, bad lines (file:line: why)
};

// The error is for what makes the audit impossible (no readable shadow, no wordlist).
expected<PasswordAudit, std::string> audit_passwords(const Root& root, const PasswordOptions& options);

// Simple variants of a user name that people use as passwords (name, Name, NAME, eman, name1…).
std::vector<std::string> user_name_variants(std::string_view user);

}  // namespace vigil::audit
