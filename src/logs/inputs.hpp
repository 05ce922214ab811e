// What `vigil logs scan` reads: files, directories, rotated sets (auth.log.2.gz,
// auth.log.1, auth.log: oldest first), gzip, standard input and the systemd journal,
// cut into blocks of whole lines for the parallel parsers.
#pragma once

#include <cstdint>
#include <ctime>
#include <functional>
#include <string>
#include <vector>

#include "logs/line_cutter.hpp"
#include "logs/syslog_parse.hpp"

namespace vigil::logs {

struct Input {
  std::string path;        // "-" is standard input, "journal" the systemd journal
  bool journal = false;
};

// Expands directories (their regular files, recursively) and orders every rotated set
// oldest first; the sets themselves in name order. Missing paths are returned in `errors`.
std::vector<Input> expand_inputs(const std::vector<std::string>& paths, std::vector<std::string>& errors);

// The base name of a rotated file and its age rank (higher is older):
// "auth.log.2.gz" → {"auth.log", 2}; "auth.log" → {"auth.log", 0}; "syslog-20240101" → dated.
struct RotationKey {
  std::string base;
  long long rank = 0;  // numeric suffix; dated suffixes sort by -date
};
RotationKey rotation_key(const std::string& path);

struct ReadNotes {
  std::vector<std::string> messages;  // "line 12: 10485760 bytes, cut to 1 MiB", binary, errors
  bool failed = false;                // could not be read at all
  bool binary = false;
  bool compressed = false;
  YearReference year;                 // from the file's mtime
};

// The year reference of a file last written at `mtime` (year-less syslog dates before that
// month belong to its year, later ones to the year before).
YearReference year_reference(std::time_t mtime);

// Reads one input block by block, calling `emit` for each block. Returns what went wrong.
ReadNotes read_input(const Input& in, std::size_t index, const ReadLimits& limits,
                     const std::function<void(Block&&)>& emit);

}  // namespace vigil::logs
