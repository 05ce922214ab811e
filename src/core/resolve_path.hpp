// Resolving symlinks inside a Root, as the kernel would for a process whose / is the root:
// an absolute link in an image points into the image, never to the analyst's files. A
// package database names /bin/ls where a merged-/usr host keeps /usr/bin/ls; a kernel event
// names the real file, so lists compared with events need the real path.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "core/expected.hpp"
#include "core/io_error.hpp"
#include "core/root.hpp"

namespace vigil {

// The real path of `inner` (absolute, inside the root) with every symlink followed, the
// last component included; at most 40 links, as the kernel allows. An error when a
// component is missing or a loop.
expected<std::string, IoError> resolve_path(const Root& root, std::string_view inner);

// The same for a file's directory only (the file itself may be a symlink and stays one),
// remembering each directory resolved: a list of 100,000 package files lives in a few
// thousand directories.
class DirectoryResolver {
 public:
  explicit DirectoryResolver(const Root& root) : root_(root) {}
  expected<std::string, IoError> resolve(std::string_view path);

 private:
  const Root& root_;
  std::unordered_map<std::string, std::string> dirs_;
};

}  // namespace vigil
