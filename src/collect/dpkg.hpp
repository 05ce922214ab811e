// dpkg's database: info/*.list for ownership, info/*.md5sums for content checksums.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collect/packages.hpp"

namespace vigil::collect {

// A dpkg path-exclude= or path-include= line: later lines override earlier ones.
struct PathFilter {
  bool include = false;
  std::string glob;
};

struct Diversion {
  std::string from, to, package;  // `package` owns the file at `from`; others' copy is at `to`
};

class DpkgDb final : public PackageDb {
 public:
  // Lists the info directory; false when it cannot be listed.
  static std::shared_ptr<DpkgDb> open(const Root& root, std::string info_dir, IssueLog& log);

  std::string_view format() const override { return "dpkg"; }
  std::size_t package_count() const override { return packages_.size(); }
  PathMap owners(std::span<const std::string> paths, IssueLog& log) const override;
  // Searches only packages that ship programs (files in a bin, sbin, libexec or games
  // directory): a renamed tool is a copy of a program, and this skips three packages in four.
  PathMap files_with_md5(std::span<const std::string> md5s, IssueLog& log) const override;
  std::vector<PackagedFile> checksums(const std::function<bool(std::string_view)>& want,
                                      IssueLog& log) const override;
  std::vector<PackageRow> installed(IssueLog& log) const override;
  bool excluded(std::string_view path) const override;

 private:
  DpkgDb(const Root& root, std::string info_dir) : root_(root), info_dir_(std::move(info_dir)) {}
  Root root_;
  std::string info_dir_;
  std::vector<std::string> packages_;  // "name:arch" as in the file names
  std::vector<PathFilter> filters_;  // path-exclude / path-include from dpkg's configuration
  std::vector<Diversion> diversions_;
  // Filled by the first owners() pass, which reads every list anyway.
  mutable std::optional<std::vector<std::string>> program_packages_;
};

// /var/lib/dpkg/diversions: three lines per diversion.
std::vector<Diversion> parse_dpkg_diversions(std::string_view text);
// The Conffiles: sections of /var/lib/dpkg/status, for installed packages.
std::vector<PackagedFile> parse_dpkg_conffiles(std::string_view status);

std::vector<PathFilter> parse_dpkg_path_filters(std::string_view config);
// True when the last filter matching `path` (shell wildcards, as dpkg reads them) excludes it.
bool path_filtered_out(const std::vector<PathFilter>& filters, std::string_view path);

// Every stanza of /var/lib/dpkg/status whose package is not "not-installed".
std::vector<PackageRow> parse_dpkg_status(std::string_view status);

// True for paths in the directories programs are installed to.
bool is_program_path(std::string_view path);

// Pure line scanners, shared with the fuzz targets.
// Calls f(path) for every absolute path line of a .list file.
void scan_dpkg_list(std::string_view text, const std::function<void(std::string_view)>& f);
// Calls f(md5, path) for every "<md5>  <path>" line of a .md5sums file (path gets its '/').
void scan_dpkg_md5sums(std::string_view text,
                       const std::function<void(std::string_view, std::string_view)>& f);

}  // namespace vigil::collect
