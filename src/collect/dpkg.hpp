// dpkg's database: info/*.list for ownership, info/*.md5sums for content checksums.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "collect/packages.hpp"

namespace vigil::collect {

class DpkgDb final : public PackageDb {
 public:
  DpkgDb(const Root& root, std::string info_dir) : root_(root), info_dir_(std::move(info_dir)) {}
  // Reads every *.list file; returns false when the info directory cannot be listed.
  bool load(IssueLog& log);
  // For tests and fuzzing: index one .list file's text as owned by `package`.
  void add_list(std::string package, std::string text);
  void add_md5sums(std::string text);

  std::string_view format() const override { return "dpkg"; }
  std::size_t package_count() const override { return packages_.size(); }
  std::size_t path_count() const override { return owners_.size(); }
  std::optional<std::string_view> owner(std::string_view path) const override;
  std::optional<std::string_view> path_with_md5(std::string_view md5) const override;
  void load_checksums(IssueLog& log) override;

 private:
  Root root_;
  std::string info_dir_;
  std::vector<std::string> packages_;
  std::vector<std::unique_ptr<std::string>> buffers_;  // keeps the views below alive
  std::unordered_map<std::string_view, std::uint32_t> owners_;
  std::unordered_map<std::string_view, std::string_view> md5_to_path_;
  bool checksums_loaded_ = false;
};

}  // namespace vigil::collect
