// dpkg database reader.
#include "collect/dpkg.hpp"

#include "core/text.hpp"

namespace vigil::collect {

namespace {
constexpr std::string_view kListSuffix = ".list";
constexpr std::string_view kMd5Suffix = ".md5sums";

class NoPackageDb final : public PackageDb {
 public:
  std::string_view format() const override { return "none"; }
  std::size_t package_count() const override { return 0; }
  std::size_t path_count() const override { return 0; }
  std::optional<std::string_view> owner(std::string_view) const override { return std::nullopt; }
  std::optional<std::string_view> path_with_md5(std::string_view) const override {
    return std::nullopt;
  }
  void load_checksums(IssueLog&) override {}
};
}  // namespace

std::optional<std::string> usrmerge_alias(std::string_view path) {
  for (std::string_view dir : {"/bin/", "/sbin/", "/lib/", "/lib32/", "/lib64/", "/libx32/"}) {
    if (path.starts_with(dir)) return "/usr" + std::string(path);
    if (path.starts_with("/usr") && path.substr(4).starts_with(dir))
      return std::string(path.substr(4));
  }
  return std::nullopt;
}

void DpkgDb::add_list(std::string package, std::string text) {
  auto idx = static_cast<std::uint32_t>(packages_.size());
  packages_.push_back(std::move(package));
  buffers_.push_back(std::make_unique<std::string>(std::move(text)));
  for_each_line(*buffers_.back(), [&](std::string_view line, std::size_t) {
    if (line.empty() || line.front() != '/') return;
    owners_.try_emplace(line, idx);
  });
}

void DpkgDb::add_md5sums(std::string text) {
  buffers_.push_back(std::make_unique<std::string>(std::move(text)));
  for_each_line(*buffers_.back(), [&](std::string_view line, std::size_t) {
    // "<32 hex>  path/without/leading/slash"
    if (line.size() < 35 || line[32] != ' ') return;
    auto path = trim(line.substr(33));
    if (!path.empty()) md5_to_path_.try_emplace(line.substr(0, 32), path);
  });
}

bool DpkgDb::load(IssueLog& log) {
  auto entries = root_.list(info_dir_);
  if (!entries) {
    log.add("packages", entries.error());
    return false;
  }
  owners_.reserve(entries->size() * 200);
  for (const auto& e : *entries) {
    if (!e.name.ends_with(kListSuffix)) continue;
    std::string pkg = e.name.substr(0, e.name.size() - kListSuffix.size());
    if (auto colon = pkg.find(':'); colon != std::string::npos) pkg.resize(colon);
    auto text = root_.read(info_dir_ + "/" + e.name);
    if (!text) {
      log.add("packages", text.error());
      continue;
    }
    add_list(std::move(pkg), std::move(*text));
  }
  return true;
}

void DpkgDb::load_checksums(IssueLog& log) {
  if (checksums_loaded_) return;
  checksums_loaded_ = true;
  auto entries = root_.list(info_dir_);
  if (!entries) {
    log.add("packages", entries.error());
    return;
  }
  for (const auto& e : *entries) {
    if (!e.name.ends_with(kMd5Suffix)) continue;
    auto text = root_.read(info_dir_ + "/" + e.name);
    if (!text) {
      log.add("packages", text.error());
      continue;
    }
    add_md5sums(std::move(*text));
  }
}

std::optional<std::string_view> DpkgDb::owner(std::string_view path) const {
  if (auto it = owners_.find(path); it != owners_.end()) return packages_[it->second];
  if (auto alias = usrmerge_alias(path))
    if (auto it = owners_.find(*alias); it != owners_.end()) return packages_[it->second];
  return std::nullopt;
}

std::optional<std::string_view> DpkgDb::path_with_md5(std::string_view md5) const {
  if (auto it = md5_to_path_.find(md5); it != md5_to_path_.end()) return it->second;
  return std::nullopt;
}

std::shared_ptr<PackageDb> open_package_db(const Root& root, IssueLog& log) {
  constexpr std::string_view kDpkgInfo = "/var/lib/dpkg/info";
  if (root.stat(kDpkgInfo)) {
    auto db = std::make_shared<DpkgDb>(root, std::string(kDpkgInfo));
    if (db->load(log)) return db;
  }
  return std::make_shared<NoPackageDb>();
}

}  // namespace vigil::collect
