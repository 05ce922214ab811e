// Parsing /proc/PID/mountinfo.
#include "collect/mountinfo.hpp"

#include "core/text.hpp"

namespace vigil::collect {

namespace {

// mountinfo escapes blanks, tabs, newlines and backslashes in paths as \ooo.
std::string unescape_octal(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto octal = [&](std::size_t k, char top) { return s[k] >= '0' && s[k] <= top; };
    if (s[i] == '\\' && i + 3 < s.size() && octal(i + 1, '3') && octal(i + 2, '7') && octal(i + 3, '7')) {
      out.push_back(static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0')));
      i += 3;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace

std::vector<MountRow> parse_mountinfo(std::string_view text) {
  std::vector<MountRow> out;
  for_each_line(text, [&](std::string_view line, std::size_t) {
    // id parent major:minor root mount-point options [optional…] - fstype source super-options
    auto words = split_ws(line);
    if (words.size() < 5) return;
    MountRow m;
    m.mount_point = unescape_octal(words[4]);
    for (std::size_t i = 5; i + 2 < words.size(); ++i)
      if (words[i] == "-") {
        m.fstype = std::string(words[i + 1]);
        m.source = unescape_octal(words[i + 2]);
        break;
      }
    out.push_back(std::move(m));
  });
  return out;
}

}  // namespace vigil::collect
