// Refusing writes into the evidence.
#include "core/outside_root.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <filesystem>

namespace vigil {

namespace fs = std::filesystem;

std::string resolve_write_path(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::absolute(path, ec);
  if (ec) p = path;
  // weakly_canonical resolves the existing part; a last component that is a symlink (even
  // a dangling one) is followed by hand, hop by hop, as open(O_CREAT) would follow it.
  for (int hop = 0; hop < 40; ++hop) {
    fs::path parent = fs::weakly_canonical(p.parent_path(), ec);
    if (ec) parent = p.parent_path();
    p = parent / p.filename();
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) break;
    fs::path target = fs::read_symlink(p, ec);
    if (ec) break;
    p = target.is_absolute() ? target : parent / target;
  }
  return p.lexically_normal().string();
}

namespace {

bool under(const std::string& path, const std::string& top) {
  return path == top || top == "/" || path.starts_with(top.ends_with('/') ? top : top + "/");
}

// Whether `dir` or one of its existing ancestors is the directory `top` names, compared by
// device and inode: a bind mount of the image elsewhere is still the image.
bool same_directory_above(fs::path dir, const struct stat& top) {
  while (true) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) == 0 && st.st_dev == top.st_dev && st.st_ino == top.st_ino) return true;
    if (!dir.has_relative_path()) return false;
    dir = dir.parent_path();
  }
}

}  // namespace

expected<void, std::string> refuse_inside_root(const Root& root, const std::string& path, std::string_view option) {
  if (root.live()) return {};
  std::string resolved = resolve_write_path(path);
  struct stat top {};
  bool inside = under(resolved, root.path()) ||
                (::stat(root.path().c_str(), &top) == 0 && same_directory_above(fs::path(resolved).parent_path(), top));
  if (!inside) return {};
  std::string via = resolved == path ? "" : fmt::format(" (it resolves to {})", resolved);
  return make_unexpected(fmt::format("{} {} lies inside --root {}{}: vigil never writes to an inspected root; "
                                     "write it elsewhere",
                                     option, path, root.path(), via));
}

}  // namespace vigil
