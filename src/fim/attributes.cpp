// Attribute names and expressions.
#include "fim/attributes.hpp"

namespace vigil::fim {

std::string attrs_text(Attrs a) {
  std::string out;
  for (const auto& n : kAttrNames)
    if (a & n.attr) out += (out.empty() ? "" : "+") + std::string(n.name);
  return out;
}

Groups builtin_groups() {
  const Attrs perms = kType | kMode | kUid | kGid | kAcl | kXattrs | kCaps;
  return {
      // read-only files: everything, content by SHA-256
      {"R", perms | kSize | kInode | kLinks | kMtime | kCtime | kTarget | kSha256},
      // logs: owner and mode, and a size that only grows
      {"L", perms | kInode | kGrowing},
      // directories: who owns them and who may write in them
      {"D", perms | kInode | kTarget},
      {"PERMS", perms},
      {"CONTENT", kType | kSize | kTarget | kSha256},
  };
}

std::optional<Attrs> parse_attrs(std::string_view expr, const Groups& groups, std::string* error) {
  Attrs out = 0;
  char op = '+';
  std::size_t i = 0;
  while (i <= expr.size()) {
    std::size_t end = expr.find_first_of("+-", i);
    if (end == std::string_view::npos) end = expr.size();
    auto word = expr.substr(i, end - i);
    if (word.empty()) {
      if (error) *error = "empty attribute name in '" + std::string(expr) + "'";
      return std::nullopt;
    }
    Attrs a = 0;
    if (auto g = groups.find(word); g != groups.end())
      a = g->second;
    else
      for (const auto& n : kAttrNames)
        if (n.name == word) a = n.attr;
    if (!a) {
      if (error) *error = "unknown attribute or group '" + std::string(word) + "'";
      return std::nullopt;
    }
    out = op == '+' ? out | a : out & ~a;
    if (end == expr.size()) break;
    op = expr[end];
    i = end + 1;
  }
  // A growing file's content changes by design: no hash of it.
  if (out & kGrowing) out &= ~(kHashes | kSize | kMtime | kCtime);
  return out;
}

}  // namespace vigil::fim
