// Shared set-up of the collecting commands.
#include "cli/collect_setup.hpp"

namespace vigil::cli {

expected<Root, std::string> open_root(const std::string& path) {
  auto root = Root::open(path);
  if (!root) return make_unexpected("--root: " + root.error().message());
  return std::move(*root);
}

expected<store::Store, std::string> open_store(const std::string& db, const Root& root, store::Create create) {
  auto s = store::Store::open(db, root, "--db", create);
  if (!s) return make_unexpected(s.error().starts_with("--db") ? s.error() : "--db: " + s.error());
  return std::move(*s);
}

}  // namespace vigil::cli
