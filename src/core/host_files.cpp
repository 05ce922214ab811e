// The analyst's own files: the bundled rules, files named on the command line.
#include "core/host_files.hpp"

#include <filesystem>

#include "core/root.hpp"

namespace vigil {

std::string default_rules_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto installed = exe.parent_path().parent_path() / "share/vigil/rules";
    if (std::filesystem::is_directory(installed, ec)) return installed.string();
  }
  return std::string(VIGIL_SOURCE_DIR) + "/rules";
}

expected<std::string, IoError> read_host_file(const std::string& path, std::size_t limit) {
  auto host = Root::open("/");
  if (!host) return make_unexpected(host.error());
  return host->read(path, limit);
}

}  // namespace vigil
