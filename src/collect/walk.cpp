// Directory walk.
#include "collect/walk.hpp"

#include <dirent.h>

#include <vector>

namespace vigil::collect {

void walk(const Root& root, const std::string& start, const WalkLimits& limits, std::string_view collector,
          IssueLog& log, const std::function<bool(const WalkEntry&)>& visit) {
  auto st0 = root.lstat(start);
  if (!st0) {
    if (!st0.error().vanished()) log.add(std::string(collector), st0.error());
    return;
  }
  const dev_t device = st0->st_dev;
  // Each directory travels with the stat its parent's listing already took.
  struct Pending {
    std::string path;
    struct stat st;
    int depth;
  };
  std::vector<Pending> stack = {{start, *st0, 0}};
  std::size_t seen = 0;
  while (!stack.empty()) {
    Pending p = std::move(stack.back());
    stack.pop_back();
    const std::string& dir = p.path;
    if (!visit({dir, p.st, p.depth}) || !S_ISDIR(p.st.st_mode) || p.depth >= limits.max_depth) continue;
    if (limits.same_filesystem && p.st.st_dev != device) continue;
    auto entries = root.list_stat(dir, limits.capabilities);
    if (!entries) {
      if (!entries.error().vanished()) log.add(std::string(collector), entries.error());
      continue;
    }
    for (const auto& e : *entries) {
      if (++seen > limits.max_entries) {
        log.add(std::string(collector), start, "walk stopped after " + std::to_string(limits.max_entries) + " entries");
        return;
      }
      std::string child = (dir == "/" ? "" : dir) + "/" + e.name;
      if (S_ISDIR(e.st.st_mode)) stack.push_back({std::move(child), e.st, p.depth + 1});
      else visit({child, e.st, p.depth + 1, e.capabilities});
    }
  }
}

}  // namespace vigil::collect
