// /proc/PID/maps: the memory regions of a process, which a memory scan reads through
// /proc/PID/mem.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::scan {

struct MapRegion {
  std::uint64_t start = 0, end = 0;
  bool read = false, write = false, exec = false, shared = false;
  std::uint64_t offset = 0;
  std::uint64_t inode = 0;
  std::string path;  // "" anonymous; "[heap]", "[stack]", "[vdso]" …; a file, maybe " (deleted)"
  bool file_backed() const { return inode != 0 && !path.empty() && path[0] == '/'; }
  bool deleted() const { return path.ends_with(" (deleted)"); }
};

// Every well-formed line; a malformed one is skipped and counted in `bad` (a partial result).
std::vector<MapRegion> parse_maps(std::string_view text, std::size_t* bad = nullptr);

}  // namespace vigil::scan
