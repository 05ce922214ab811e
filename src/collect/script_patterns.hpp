// The one pattern set for what a start-up item says: remote shells, download-and-run,
// decode-and-run, programs run from temporary directories, shell history switched off.
// Compiled once into a Hyperscan database; a text is scanned in one pass whatever the number
// of patterns. The persistence collector uses it to pick the lines of start-up scripts worth
// keeping, the detectors and the snapshot diff to judge a command, the file checks to find web
// shells in web roots.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace vigil::collect {

// What a pattern shows; the detectors turn each into a rule and a severity.
enum class ScriptTrait {
  reverse_shell,  // wires a shell to a network connection
  netcat,         // starts a netcat-like relay (nc, ncat, socat …)
  download_exec,  // fetches code and runs it
  decode_exec,    // decodes hidden code and runs it
  temp_exec,      // runs (or makes executable) a program under /tmp, /var/tmp or /dev/shm
  history_off,    // keeps the shell from writing its history
  web_shell,      // server-side code runs what a web request sends (PHP, JSP, ASP)
};
std::string_view trait_name(ScriptTrait t);

struct ScriptPattern {
  std::string_view id;  // stable, e.g. "dev-tcp"
  ScriptTrait trait;
  std::string_view regex;  // Hyperscan syntax; never spans a line
  std::string_view what;   // "redirects a shell to a /dev/tcp connection"
  bool weak = false;       // one signal an administrator's own script may also give
};
std::span<const ScriptPattern> script_patterns();
// The pattern with this id, or nullptr.
const ScriptPattern* find_script_pattern(std::string_view id);

struct ScriptHit {
  const ScriptPattern* pattern = nullptr;
  std::size_t line = 0;  // 1-based line of the text
};

// Every pattern matching each line of `text`, once per (pattern, line), by line then pattern.
// Thread-safe; the database is compiled on first use.
std::vector<ScriptHit> scan_script(std::string_view text);

}  // namespace vigil::collect
