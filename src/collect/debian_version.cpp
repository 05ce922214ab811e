// Debian version comparison, as dpkg's verrevcmp.
#include "collect/debian_version.hpp"

#include <cctype>
#include <cstdint>

namespace vigil::collect {

namespace {

struct Version {
  std::uint64_t epoch = 0;
  std::string_view upstream, revision;
};

Version split_version(std::string_view v) {
  Version out;
  auto colon = v.find(':');
  if (colon != std::string_view::npos) {
    std::uint64_t e = 0;
    bool digits = colon > 0;
    for (char c : v.substr(0, colon)) {
      if (!std::isdigit(static_cast<unsigned char>(c))) digits = false;
      else if (e < (std::uint64_t{1} << 40)) e = e * 10 + static_cast<unsigned>(c - '0');
    }
    if (digits) {
      out.epoch = e;
      v.remove_prefix(colon + 1);
    }
  }
  auto dash = v.rfind('-');
  if (dash != std::string_view::npos) {
    out.upstream = v.substr(0, dash);
    out.revision = v.substr(dash + 1);
  } else {
    out.upstream = v;
  }
  return out;
}

// The weight of one character in a non-digit run: '~' sorts before the end, the end before
// letters, letters before everything else.
int order(int c) {
  if (std::isdigit(c)) return 0;
  if (std::isalpha(c)) return c;
  if (c == '~') return -1;
  if (c) return c + 256;
  return 0;
}

int verrevcmp(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  auto at = [](std::string_view s, std::size_t k) { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0; };
  while (i < a.size() || j < b.size()) {
    int first_diff = 0;
    while ((i < a.size() && !std::isdigit(at(a, i))) || (j < b.size() && !std::isdigit(at(b, j)))) {
      int ac = order(at(a, i)), bc = order(at(b, j));
      if (ac != bc) return ac - bc;
      ++i;
      ++j;
    }
    while (at(a, i) == '0') ++i;
    while (at(b, j) == '0') ++j;
    while (std::isdigit(at(a, i)) && std::isdigit(at(b, j))) {
      if (!first_diff) first_diff = at(a, i) - at(b, j);
      ++i;
      ++j;
    }
    if (std::isdigit(at(a, i))) return 1;
    if (std::isdigit(at(b, j))) return -1;
    if (first_diff) return first_diff;
  }
  return 0;
}

}  // namespace

int compare_debian_versions(std::string_view a, std::string_view b) {
  auto va = split_version(a), vb = split_version(b);
  if (va.epoch != vb.epoch) return va.epoch < vb.epoch ? -1 : 1;
  if (int c = verrevcmp(va.upstream, vb.upstream)) return c < 0 ? -1 : 1;
  int c = verrevcmp(va.revision, vb.revision);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

}  // namespace vigil::collect
