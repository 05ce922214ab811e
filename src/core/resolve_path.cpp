// Symlink resolution inside a Root.
#include "core/resolve_path.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <vector>

#include "core/text.hpp"

namespace vigil {

namespace {

constexpr int kMaxLinks = 40;

// Pushes the components of `path` (in order) onto a stack read from the back.
void push_components(std::vector<std::string>& pending, std::string_view path) {
  auto parts = split(path, '/');
  for (auto it = parts.rbegin(); it != parts.rend(); ++it)
    if (!it->empty() && *it != ".") pending.emplace_back(*it);
}

}  // namespace

expected<std::string, IoError> resolve_path(const Root& root, std::string_view inner) {
  std::vector<std::string> pending;  // components still to walk, the next one last
  push_components(pending, inner);
  std::string done;  // resolved so far, "" for /
  int links = 0;
  while (!pending.empty()) {
    std::string part = std::move(pending.back());
    pending.pop_back();
    if (part == "..") {
      auto slash = done.rfind('/');
      done.erase(slash == std::string::npos ? 0 : slash);
      continue;
    }
    std::string next = done + "/" + part;
    auto st = root.lstat(next);
    if (!st) return make_unexpected(st.error());
    if (!S_ISLNK(st->st_mode)) {
      done = std::move(next);
      continue;
    }
    if (++links > kMaxLinks) return make_unexpected(IoError{std::string(inner), ELOOP, {}});
    auto target = root.readlink(next);
    if (!target) return make_unexpected(target.error());
    if (target->starts_with('/')) done.clear();
    push_components(pending, *target);
  }
  return done.empty() ? std::string("/") : done;
}

expected<std::string, IoError> DirectoryResolver::resolve(std::string_view path) {
  auto slash = path.rfind('/');
  if (slash == std::string_view::npos) return make_unexpected(IoError{std::string(path), EINVAL, "not absolute"});
  std::string dir(path.substr(0, slash));
  auto name = path.substr(slash + 1);
  auto it = dirs_.find(dir);
  if (it == dirs_.end()) {
    auto real = resolve_path(root_, dir.empty() ? "/" : dir);
    if (!real) return make_unexpected(real.error());
    it = dirs_.emplace(dir, *real).first;
  }
  return (it->second == "/" ? std::string() : it->second) + "/" + std::string(name);
}

}  // namespace vigil
