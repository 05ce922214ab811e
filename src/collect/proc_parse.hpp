// Pure parsers for /proc/PID files.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"

namespace vigil::collect {

struct ProcStat {
  std::int64_t pid = 0;
  std::string comm;
  char state = '?';
  std::int64_t ppid = 0;
  std::int64_t tty_nr = 0;  // the controlling terminal; 0 for none
  std::uint64_t flags = 0;
  std::uint64_t start_ticks = 0;  // clock ticks after boot
  std::uint64_t cpu_ticks = 0;    // user + system time, clock ticks
};

inline constexpr std::uint64_t kPfKthread = 0x00200000;

// /proc/PID/stat; comm may hold spaces and parentheses, so it ends at the last ')'.
expected<ProcStat, std::string> parse_proc_stat(std::string_view text);
// Real uid from the "Uid:" line of /proc/PID/status.
expected<std::int64_t, std::string> parse_status_uid(std::string_view text);
// NUL-separated argv; a trailing NUL is not an empty argument.
std::vector<std::string> parse_cmdline(std::string_view text);
// argv as one line: joined by spaces, control bytes escaped.
std::string join_argv(const std::vector<std::string>& argv);

struct ExeLink {
  std::string path;      // without the " (deleted)" marker
  bool deleted = false;  // the file was unlinked after exec
  bool memfd = false;    // /memfd:NAME: a fileless executable
};
ExeLink parse_exe_link(std::string_view link);

// "net:[4026531840]" -> 4026531840; 0 when malformed.
std::uint64_t parse_ns_link(std::string_view link);

}  // namespace vigil::collect
