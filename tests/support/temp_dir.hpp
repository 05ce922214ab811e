// A temporary directory for fixture roots, removed (recursively) when the test ends.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

#include "core/root.hpp"

namespace vigil::testing {

// The live host's root, for stores and reads on the test machine itself.
inline const Root& live_root() {
  static const Root root = *Root::open("/");
  return root;
}

// A whole file's bytes ("" when it cannot be read).
inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class TempDir {
 public:
  explicit TempDir(std::string_view prefix = "vigil-test") {
    std::string tmpl = "/tmp/" + std::string(prefix) + "-XXXXXX";
    path_ = ::mkdtemp(tmpl.data()) ? tmpl : std::string();
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string operator/(std::string_view rel) const { return path_ + "/" + std::string(rel); }

  // Writes a file (creating parent directories) and returns its full path.
  std::string write(std::string_view rel, std::string_view content) const {
    std::filesystem::path p = path_ + "/" + std::string(rel);
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }

 private:
  std::string path_;
};

}  // namespace vigil::testing
