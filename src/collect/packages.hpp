// Package ownership: which installed package a path belongs to.
// An interface so rpm (or apk) can sit beside dpkg; triage asks only "who owns this?".
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/collect_issue.hpp"
#include "core/root.hpp"

namespace vigil::collect {

class PackageDb {
 public:
  virtual ~PackageDb() = default;
  virtual std::string_view format() const = 0;  // "dpkg", "none"
  virtual std::size_t package_count() const = 0;
  virtual std::size_t path_count() const = 0;
  // The owning package of an absolute path inside the root, if any.
  virtual std::optional<std::string_view> owner(std::string_view path) const = 0;
  // A packaged file whose content has this MD5 (the package manager's own checksum),
  // loaded on demand by load_checksums(); empty when none or not loaded.
  virtual std::optional<std::string_view> path_with_md5(std::string_view md5) const = 0;
  virtual void load_checksums(IssueLog& log) = 0;
};

// Finds the package database under the root (dpkg today); a db that owns nothing when
// there is none, so every "unowned" judgement can check format() first.
std::shared_ptr<PackageDb> open_package_db(const Root& root, IssueLog& log);

// Path spellings that name the same file on a merged-/usr system (/bin/x and /usr/bin/x).
std::optional<std::string> usrmerge_alias(std::string_view path);

}  // namespace vigil::collect
