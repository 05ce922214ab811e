// The one check before vigil writes a file (the store, a signing key, an --out report, an
// export, daemon state): the path, with every symlink followed — a dangling one too, since
// the write would create its target — must not lie inside the inspected --root.
#pragma once

#include <string>
#include <string_view>

#include "core/expected.hpp"
#include "core/root.hpp"

namespace vigil {

// `path` as the kernel would reach it: absolute, `..` and symlinks resolved, also through a
// final dangling symlink and through directories that do not exist yet.
std::string resolve_write_path(const std::string& path);

// An error naming `option` when `path` resolves inside `root` (by path, or through another
// mount of the same directory); nothing for the live host, whose root is the analyst's own.
expected<void, std::string> refuse_inside_root(const Root& root, const std::string& path, std::string_view option);

}  // namespace vigil
