// Shared set-up of the collecting commands.
#include "cli/collect_setup.hpp"

#include <cstdlib>
#include <filesystem>

#include "cli/rules_dir.hpp"

namespace vigil::cli {

expected<collect::CollectOptions, std::string> base_collect_options(const std::string& rules_dir) {
  collect::CollectOptions copts;
  // Rules come from the analyst's machine, never from the inspected root.
  std::string rules = rules_dir.empty() ? default_rules_dir() : rules_dir;
  std::string artifacts = rules + "/rootkits/known-artifacts.tsv";
  if (auto text = read_host_file(artifacts)) {
    copts.rootkit.known_artifacts = std::move(*text);
    copts.rootkit.known_artifacts_name = artifacts;
  } else if (!rules_dir.empty()) {
    return make_unexpected("--rules: " + text.error().message());
  }
  return copts;
}

expected<Root, std::string> open_root(const std::string& path) {
  auto root = Root::open(path);
  if (!root) return make_unexpected("--root: " + root.error().message());
  return std::move(*root);
}

expected<store::Store, std::string> open_store(const std::string& db, const Root& root) {
  if (!root.live()) {
    std::error_code ec;
    auto inside = std::filesystem::weakly_canonical(std::filesystem::absolute(db), ec).string();
    auto top = std::filesystem::weakly_canonical(root.path(), ec).string();
    if (!ec && (inside == top || inside.starts_with(top + "/")))
      return make_unexpected("--db " + db + " lies inside --root " + root.path() +
                             ": vigil never writes to an inspected root; keep the store elsewhere");
  }
  auto s = store::Store::open(db);
  if (!s) return make_unexpected("--db: " + s.error());
  return std::move(*s);
}

}  // namespace vigil::cli
