// Small text helpers shared by parsers.
#pragma once

#include <charconv>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

std::vector<std::string_view> split(std::string_view s, char sep);
std::vector<std::string_view> split_ws(std::string_view s);
std::string_view trim(std::string_view s);
// ASCII lower case (keywords, extensions, rule fields); other bytes as they are.
std::string ascii_lower(std::string_view s);

template <class T>
std::optional<T> to_number(std::string_view s, int base = 10) {
  T v{};
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// Calls f(line, line_number) for each line (without '\n'); line numbers start at 1.
template <class F>
void for_each_line(std::string_view text, F&& f) {
  std::size_t n = 0;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    f(line, ++n);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
}

// Length of the valid UTF-8 sequence of two to four bytes starting at s[i], or 0.
std::size_t utf8_len(std::string_view s, std::size_t i);
// Printable form of untrusted bytes: control characters and invalid UTF-8 as \xNN.
std::string printable(std::string_view s);
std::string basename_of(std::string_view path);
// Whether the text is an IPv4 or IPv6 address (not a host name).
bool is_ip_address(std::string_view s);
// 0755-style text of a file mode's permission bits (setuid, setgid and sticky included).
std::string mode_text(std::int64_t mode);
std::string dirname_of(std::string_view path);

}  // namespace vigil

namespace vigil {
// Transparent hashing: look up a std::string key with a string_view, no allocation.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};
}  // namespace vigil
