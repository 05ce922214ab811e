// Wildcard matching with a single backtrack point per component.
#include "core/glob.hpp"

#include <cctype>
#include <string_view>

namespace vigil {

namespace {

constexpr auto npos = std::string_view::npos;

bool class_match(std::string_view name, unsigned char c) {
  if (name == "alpha") return std::isalpha(c);
  if (name == "digit") return std::isdigit(c);
  if (name == "alnum") return std::isalnum(c);
  if (name == "upper") return std::isupper(c);
  if (name == "lower") return std::islower(c);
  if (name == "space") return std::isspace(c);
  if (name == "blank") return c == ' ' || c == '\t';
  if (name == "punct") return std::ispunct(c);
  if (name == "xdigit") return std::isxdigit(c);
  if (name == "cntrl") return std::iscntrl(c);
  if (name == "print") return std::isprint(c);
  if (name == "graph") return std::isgraph(c);
  return false;
}

// The bracket expression starting after '[' at `at`: whether it admits `c`, and where the
// pattern goes on after its ']'; npos when there is no closing ']' (the '[' is then literal).
std::size_t bracket(std::string_view pat, std::size_t at, char ch, bool& admits) {
  auto c = static_cast<unsigned char>(ch);
  std::size_t i = at;
  bool negate = i < pat.size() && (pat[i] == '!' || pat[i] == '^');
  if (negate) ++i;
  bool any = false;
  for (bool first = true; i < pat.size() && (first || pat[i] != ']'); first = false) {
    if (pat[i] == '[' && i + 1 < pat.size() && pat[i + 1] == ':') {
      auto end = pat.find(":]", i + 2);
      if (end == npos) return npos;
      any = any || class_match(pat.substr(i + 2, end - i - 2), c);
      i = end + 2;
      continue;
    }
    auto lo = static_cast<unsigned char>(pat[i] == '\\' && i + 1 < pat.size() ? pat[++i] : pat[i]);
    ++i;
    if (i + 1 < pat.size() && pat[i] == '-' && pat[i + 1] != ']') {
      ++i;
      auto hi = static_cast<unsigned char>(pat[i] == '\\' && i + 1 < pat.size() ? pat[++i] : pat[i]);
      ++i;
      any = any || (lo <= c && c <= hi);
    } else {
      any = any || c == lo;
    }
  }
  if (i >= pat.size()) return npos;
  admits = any != negate;
  return i + 1;
}

// One pattern against one text, '/' an ordinary character. The latest '*' is the only
// backtrack point: a later star always covers what an earlier one could, so this is exact.
bool match_part(std::string_view pat, std::string_view s, bool period) {
  if (period && !s.empty() && s[0] == '.' && !(pat.starts_with('.') || pat.starts_with("\\.")))
    return false;  // a leading '.' is matched by a literal '.' only
  std::size_t p = 0, t = 0, star = npos, star_t = 0;
  while (t < s.size()) {
    if (p < pat.size()) {
      char pc = pat[p];
      if (pc == '*') {
        star = p++;
        star_t = t;
        continue;
      }
      if (pc == '?') {
        ++p;
        ++t;
        continue;
      }
      if (pc == '[') {
        bool admits = false;
        auto next = bracket(pat, p + 1, s[t], admits);
        if (next != npos && admits) {
          p = next;
          ++t;
          continue;
        }
        if (next == npos && s[t] == '[') {  // no closing ']': a literal '['
          ++p;
          ++t;
          continue;
        }
      } else {
        std::size_t width = pc == '\\' && p + 1 < pat.size() ? 2 : 1;
        if (pat[p + width - 1] == s[t]) {
          p += width;
          ++t;
          continue;
        }
      }
    }
    if (star == npos) return false;
    p = star + 1;
    t = ++star_t;
  }
  while (p < pat.size() && pat[p] == '*') ++p;
  return p == pat.size();
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text, unsigned flags) {
  bool period = flags & kGlobPeriod;
  if (!(flags & kGlobPathname)) return match_part(pattern, text, period);
  // Wildcards never match '/': the pattern and the text are matched component by component.
  while (true) {
    auto pslash = pattern.find('/'), tslash = text.find('/');
    if ((pslash == npos) != (tslash == npos)) return false;
    if (!match_part(pattern.substr(0, pslash), text.substr(0, tslash), period)) return false;
    if (pslash == npos) return true;
    pattern.remove_prefix(pslash + 1);
    text.remove_prefix(tslash + 1);
  }
}

}  // namespace vigil
