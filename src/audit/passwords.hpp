// vigil audit passwords: each /etc/shadow hash tried against a wordlist (john's common
// passwords by default) and variants of the user name, with libxcrypt on every core; and the
// states that need no cracking: empty, locked, never expiring, deprecated schemes.
#pragma once

#include <cstdint>
#include <functional>
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
  // Told twice a second how far the work is (hashes computed, hashes planned); on any thread.
  std::function<void(std::uint64_t done, std::uint64_t total)> progress = {};
};

// What one hash costs to compute against the default of its scheme (rounds=, bcrypt's cost,
// yescrypt's memory); a crafted shadow line asks for minutes per candidate, or gigabytes.
struct HashCost {
  double factor = 1;   // times the scheme's default cost; infinity when too large to say
  std::string detail;  // "rounds=999999999", "cost 16", "N=2^20 r=32 (4096 MiB)"
};
HashCost hash_cost(std::string_view hash);
// Up to this factor the whole list is tried; up to kVariantsOnlyCost only the user name
// variants; beyond, the hash is not tried at all (and said so).
inline constexpr double kFullListCost = 4, kVariantsOnlyCost = 16;

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
  bool malformed = false;           // not a hash any password can produce (no password login)
  std::string cost;                 // why fewer candidates, or none, were tried: "rounds=…"
  std::size_t candidates = 0;       // candidates planned for it
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
