// Package ownership: which installed package a path belongs to.
// An interface so rpm (or apk) can sit beside dpkg. Questions come in batches, so a
// triage that asks about 300 executables streams the database once and builds no index.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/collect_issue.hpp"
#include "core/root.hpp"
#include "core/table.hpp"

namespace vigil::collect {

using PathMap = std::unordered_map<std::string, std::string>;

// A file with the checksum its package manager recorded for it.
struct PackagedFile {
  std::string path;  // where the file is now (diversions applied)
  std::string md5;
  std::string package;
  bool conffile = false;  // the administrator may edit it
};

// One installed package, from the package manager's status database.
struct PackageRow {
  std::string name, version, arch, source;
  std::string status;               // dpkg: the Status field's last word (installed, config-files, half-installed …)
  std::int64_t installed_size = 0;  // KiB, as the package declares it
  std::string source_version;       // the Source field's "(version)": differs from version after a binNMU

  static constexpr std::string_view kTable = "packages";
  // The source package and its version, which security feeds name.
  std::string_view source_name() const { return source.empty() ? name : source; }
  std::string_view source_ver() const { return source_version.empty() ? version : source_version; }

  static constexpr std::array<Column, 7> kColumns{{
      {"name", "package name"},
      {"version", "installed version"},
      {"arch", "architecture (amd64, all …)"},
      {"source", "source package, when it differs from the name"},
      {"source_version", "source package version, when it differs from the version (a binary-only rebuild)"},
      {"status", "installed, config-files (removed, configuration kept), half-installed, …"},
      {"installed_size", "installed size in KiB, as the package declares it"},
  }};
  auto fields() const { return std::tie(name, version, arch, source, source_version, status, installed_size); }
};
static_assert(columns_match<PackageRow>());

class PackageDb {
 public:
  virtual ~PackageDb() = default;
  virtual std::string_view format() const = 0;  // "dpkg", or "none" when no database exists
  virtual std::size_t package_count() const = 0;
  // False when there is no package database: then "no package owns it" means nothing.
  bool knows_ownership() const { return format() != "none"; }
  // path -> owning package, for the given absolute paths that some package owns.
  virtual PathMap owners(std::span<const std::string> paths, IssueLog& log) const = 0;
  // md5 -> a packaged file (absolute path) with that content, from the package
  // manager's own checksums; MD5 only because that is what dpkg records.
  virtual PathMap files_with_md5(std::span<const std::string> md5s, IssueLog& log) const = 0;
  // True when the package manager was told not to install this path (dpkg path-exclude),
  // so its absence is no sign of anything.
  virtual bool excluded(std::string_view) const { return false; }
  // Every package the database knows, installed or with configuration left behind.
  virtual std::vector<PackageRow> installed(IssueLog& log) const = 0;
  // Recorded checksums of installed files whose path passes `want`, and every conffile.
  virtual std::vector<PackagedFile> checksums(const std::function<bool(std::string_view)>& want,
                                              IssueLog& log) const = 0;
};

// Finds the package database under the root (dpkg today); one that owns nothing when
// there is none, so every "unowned" judgement can check format() first.
std::shared_ptr<PackageDb> open_package_db(const Root& root, IssueLog& log);

// A database that knows no packages: for images without one, and for stored snapshots.
std::shared_ptr<PackageDb> no_package_db();

// Path spellings that name the same file on a merged-/usr system (/bin/x and /usr/bin/x).
std::optional<std::string> usrmerge_alias(std::string_view path);

}  // namespace vigil::collect
