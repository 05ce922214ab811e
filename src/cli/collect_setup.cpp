// Shared set-up of the collecting commands.
#include "cli/collect_setup.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <iostream>

namespace vigil::cli {

expected<Root, std::string> open_root(const std::string& path) {
  auto root = Root::open(path);
  if (!root) return make_unexpected("--root: " + root.error().message());
  return std::move(*root);
}

expected<Root, std::string> open_system_root(const std::string& path, bool force) {
  if (::geteuid() != 0)
    std::cerr << fmt::format("vigil: warning: running as uid {}, not root: what only root can read (/etc/shadow, other "
                             "users' processes, homes and logs) is not examined; each gap is listed as "
                             "collector.partial\n",
                             ::geteuid());
  auto root = open_root(path);
  if (!root || root->live() || force || collect::looks_like_system(*root)) return root;
  return make_unexpected(fmt::format("--root {} does not look like a system (no /etc/passwd, /etc/os-release or "
                                     "/usr/lib/os-release): give the image's top directory, or --force to inspect it "
                                     "anyway",
                                     path));
}

expected<store::Store, std::string> open_store(const std::string& db, const Root& root, store::Create create) {
  auto s = store::Store::open(db, root, "--db", create);
  if (!s) return make_unexpected(s.error().starts_with("--db") ? s.error() : "--db: " + s.error());
  return std::move(*s);
}

}  // namespace vigil::cli
