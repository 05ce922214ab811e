// Rules directory lookup.
#include "cli/rules_dir.hpp"

#include <filesystem>

#include "core/root.hpp"

namespace vigil::cli {

std::string default_rules_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto installed = exe.parent_path().parent_path() / "share/vigil/rules";
    if (std::filesystem::is_directory(installed, ec)) return installed.string();
  }
  return std::string(VIGIL_SOURCE_DIR) + "/rules";
}

expected<std::string, IoError> read_host_file(const std::string& path) {
  auto host = Root::open("/");
  if (!host) return make_unexpected(host.error());
  return host->read(path, std::size_t{16} << 20);
}

}  // namespace vigil::cli
