#include "scan/proc_maps.hpp"

#include <charconv>

namespace vigil::scan {

namespace {

bool hex(std::string_view s, std::uint64_t& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out, 16);
  return ec == std::errc{} && p == s.data() + s.size();
}

// The next space-separated field of `line` from `pos`.
std::string_view field(std::string_view line, std::size_t& pos) {
  while (pos < line.size() && line[pos] == ' ') ++pos;
  auto end = line.find(' ', pos);
  if (end == std::string_view::npos) end = line.size();
  auto f = line.substr(pos, end - pos);
  pos = end;
  return f;
}

}  // namespace

std::vector<MapRegion> parse_maps(std::string_view text, std::size_t* bad) {
  std::vector<MapRegion> out;
  std::size_t pos = 0, broken = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    if (line.empty()) continue;
    std::size_t at = 0;
    auto range = field(line, at), perms = field(line, at), offset = field(line, at), dev = field(line, at),
         inode = field(line, at);
    MapRegion r;
    auto dash = range.find('-');
    std::uint64_t ino = 0;
    if (dash == std::string_view::npos || !hex(range.substr(0, dash), r.start) || !hex(range.substr(dash + 1), r.end) ||
        r.end < r.start || perms.size() != 4 || !hex(offset, r.offset) || dev.find(':') == std::string_view::npos ||
        std::from_chars(inode.data(), inode.data() + inode.size(), ino).ec != std::errc{}) {
      ++broken;
      continue;
    }
    r.inode = ino;
    r.read = perms[0] == 'r';
    r.write = perms[1] == 'w';
    r.exec = perms[2] == 'x';
    r.shared = perms[3] == 's';
    while (at < line.size() && line[at] == ' ') ++at;
    r.path = std::string(line.substr(at));
    out.push_back(std::move(r));
  }
  if (bad) *bad = broken;
  return out;
}

}  // namespace vigil::scan
