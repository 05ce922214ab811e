// Suppression file loading. This is the analyst's own configuration, never the inspected root's.
#include "core/suppressions_file.hpp"

#include <fmt/format.h>

#include "core/host_files.hpp"

namespace vigil {

expected<std::vector<Suppression>, std::string> load_suppressions(const std::string& path,
                                                                  bool none) {
  if (none) return std::vector<Suppression>{};
  std::string file = path.empty() ? std::string(kDefaultSuppressionFile) : path;
  auto text = read_host_file(file);
  if (!text) {
    if (path.empty() && text.error().vanished()) return std::vector<Suppression>{};
    return make_unexpected(text.error().message());
  }
  auto parsed = parse_suppressions(*text);
  if (!parsed)
    return make_unexpected(
        fmt::format("{}:{}: {}", file, parsed.error().line, parsed.error().message));
  return *parsed;
}

}  // namespace vigil
