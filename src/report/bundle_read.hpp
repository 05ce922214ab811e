// Reading an incident bundle (vigil collect) back: unpacked into a new private directory with
// every member checked — only regular files and directories, no absolute path, no `..`, no
// link, a size cap — and verified against MANIFEST.sha256 (and the bundle against the
// BUNDLE.sha256 beside it, when there is one). A bundle that is not a tar, is cut short, or
// whose bytes changed is refused with the reason; nothing is ever written outside the directory.
#pragma once

#include <cstdint>
#include <string>

#include "core/expected.hpp"

namespace vigil::report {

struct UnpackedBundle {
  std::string dir;           // the private directory (the caller removes it)
  std::size_t members = 0;   // verified against the manifest
  std::uint64_t bytes = 0;
};

// `parent`: where the private directory is made (mkdtemp).
expected<UnpackedBundle, std::string> unpack_bundle(const std::string& bundle, const std::string& parent);

}  // namespace vigil::report
