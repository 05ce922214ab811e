// dpkg database reader.
#include "collect/dpkg.hpp"

#include <unordered_set>

#include "core/text.hpp"

namespace vigil::collect {

namespace {

constexpr std::string_view kCollector = "packages";
constexpr std::string_view kListSuffix = ".list";
constexpr std::string_view kMd5Suffix = ".md5sums";

class NoPackageDb final : public PackageDb {
 public:
  std::string_view format() const override { return "none"; }
  std::size_t package_count() const override { return 0; }
  PathMap owners(std::span<const std::string>, IssueLog&) const override { return {}; }
  PathMap files_with_md5(std::span<const std::string>, IssueLog&) const override { return {}; }
};

std::string display_name(std::string_view file_stem) {
  return std::string(file_stem.substr(0, file_stem.find(':')));
}

}  // namespace

std::optional<std::string> usrmerge_alias(std::string_view path) {
  for (std::string_view dir : {"/bin/", "/sbin/", "/lib/", "/lib32/", "/lib64/", "/libx32/"}) {
    if (path.starts_with(dir)) return "/usr" + std::string(path);
    if (path.starts_with("/usr") && path.substr(4).starts_with(dir)) return std::string(path.substr(4));
  }
  return std::nullopt;
}

void scan_dpkg_list(std::string_view text, const std::function<void(std::string_view)>& f) {
  for_each_line(text, [&](std::string_view line, std::size_t) {
    if (!line.empty() && line.front() == '/') f(line);
  });
}

void scan_dpkg_md5sums(std::string_view text, const std::function<void(std::string_view, std::string_view)>& f) {
  for_each_line(text, [&](std::string_view line, std::size_t) {
    // "<32 hex>  path/without/leading/slash"
    if (line.size() < 35 || line[32] != ' ') return;
    auto path = trim(line.substr(33));
    if (!path.empty()) f(line.substr(0, 32), path);
  });
}

std::shared_ptr<DpkgDb> DpkgDb::open(const Root& root, std::string info_dir, IssueLog& log) {
  auto entries = root.list(info_dir);
  if (!entries) {
    log.add(std::string(kCollector), entries.error());
    return nullptr;
  }
  std::shared_ptr<DpkgDb> db(new DpkgDb(root, std::move(info_dir)));
  for (const auto& e : *entries)
    if (e.name.ends_with(kListSuffix)) db->packages_.push_back(e.name.substr(0, e.name.size() - kListSuffix.size()));
  return db;
}

PathMap DpkgDb::owners(std::span<const std::string> paths, IssueLog& log) const {
  PathMap out;
  if (paths.empty()) return out;
  // Each spelling dpkg might have recorded -> the path we were asked about.
  std::unordered_map<std::string, std::string, StringHash, std::equal_to<>> wanted;
  for (const auto& p : paths) {
    wanted.emplace(p, p);
    if (auto alias = usrmerge_alias(p)) wanted.emplace(*alias, p);
  }
  for (const auto& pkg : packages_) {
    if (out.size() == paths.size()) break;
    auto text = root_.read(info_dir_ + "/" + pkg + std::string(kListSuffix));
    if (!text) {
      log.add(std::string(kCollector), text.error());
      continue;
    }
    scan_dpkg_list(*text, [&](std::string_view line) {
      if (auto it = wanted.find(line); it != wanted.end()) out.try_emplace(it->second, display_name(pkg));
    });
  }
  return out;
}

PathMap DpkgDb::files_with_md5(std::span<const std::string> md5s, IssueLog& log) const {
  PathMap out;
  if (md5s.empty()) return out;
  std::unordered_set<std::string_view> wanted(md5s.begin(), md5s.end());
  for (const auto& pkg : packages_) {
    if (out.size() == wanted.size()) break;
    auto text = root_.read(info_dir_ + "/" + pkg + std::string(kMd5Suffix));
    if (!text) {
      if (!text.error().vanished()) log.add(std::string(kCollector), text.error());
      continue;
    }
    scan_dpkg_md5sums(*text, [&](std::string_view md5, std::string_view path) {
      if (wanted.count(md5)) out.try_emplace(std::string(md5), "/" + std::string(path));
    });
  }
  return out;
}

std::shared_ptr<PackageDb> open_package_db(const Root& root, IssueLog& log) {
  constexpr std::string_view kDpkgInfo = "/var/lib/dpkg/info";
  if (root.stat(kDpkgInfo))
    if (auto db = DpkgDb::open(root, std::string(kDpkgInfo), log)) return db;
  return std::make_shared<NoPackageDb>();
}

}  // namespace vigil::collect
