// The application allowlist: the programs and libraries allowed to run, each by its real path
// (symlinked directories resolved, as the kernel names an executed file), size and SHA-256,
// in a signed text file. A copy of an allowed program elsewhere is not allowed: the path and
// the content must both match. The signature (the fim key: HMAC or Ed25519) covers every
// byte before the signature line, so an added or edited line is refused.
//
//   vigil-allowlist 1
//   host web1
//   root /
//   created 1765140000
//   key ed25519 3f2a…
//   <sha256> <size> <source> <path>       one per file, sorted by path; source: a package or "added"
//   signature <hex>
//
// Paths escape a backslash, control bytes and space-like bytes as \xNN, so one line is one file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"
#include "fim/signature.hpp"

namespace vigil::allow {

struct AllowEntry {
  std::string path, sha256;
  std::int64_t size = 0;
  std::string source;  // the owning package, or "added" (--add)
};

struct Allowlist {
  std::string host, root;
  std::int64_t created = 0;
  std::string key_kind, key_id;   // the key that signed it
  std::vector<AllowEntry> entries;  // sorted by path, one per path

  // The entry for an absolute path, or nullptr.
  const AllowEntry* find(std::string_view path) const;
  // Sorts by path and keeps the first entry of each path.
  void normalise();
};

// The text before the signature line.
std::string allowlist_body(const Allowlist& list);
// The whole file: body and a signature by `key` (which must be able to sign).
expected<std::string, std::string> signed_allowlist(Allowlist list, const fim::SigningKey& key);

// Parses the file; errors name the line ("line 12: the size 'x' is not a number"). The
// signature is returned, not checked.
struct ParsedAllowlist {
  Allowlist list;
  std::string body;       // the bytes the signature covers
  std::string signature;  // hex; empty when the file has no signature line
};
expected<ParsedAllowlist, std::string> parse_allowlist(std::string_view text);

// Parses and verifies with `key`; the error says what failed (unsigned, another key, edited).
expected<Allowlist, std::string> verify_allowlist(std::string_view text, const fim::SigningKey& key);

// Reads `path` (at most 1 GiB), parses and verifies it.
expected<Allowlist, std::string> load_allowlist(const std::string& path, const fim::SigningKey& key);

std::string escape_path(std::string_view path);
// Nothing when an escape is malformed.
std::optional<std::string> unescape_path(std::string_view text);

}  // namespace vigil::allow
