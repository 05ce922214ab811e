// Pending updates, as apt would see them: each installed package's version against the
// versions the apt lists on disk offer, ranked as apt ranks them (the default pin priorities
// of each repository; no downgrade), and whether a security archive offers the update.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "collect/packages.hpp"
#include "core/collect_issue.hpp"
#include "core/root.hpp"
#include "patch/apt_index.hpp"

namespace vigil::patch {

struct PendingUpdate {
  std::string package, arch, source;  // source: the source package (the name when the same)
  std::string installed, candidate;   // versions
  std::string suite;                  // where the candidate comes from (bookworm-security …)
  bool security = false;              // a security archive offers a version newer than the installed one
  std::string security_suite;         // …which one
};

struct PatchStatus {
  std::vector<AptList> lists;
  std::vector<PendingUpdate> updates;  // sorted by package
  std::size_t installed = 0;           // packages installed (not only configuration left)
  std::size_t offers = 0;              // index entries naming an installed package
  std::size_t index_entries = 0;       // every index entry read
  std::size_t security_updates() const;
};

// `installed`: the dpkg status rows (only those with status "installed" are judged).
PatchStatus patch_status(const Root& root, const std::vector<collect::PackageRow>& installed, IssueLog& log);

}  // namespace vigil::patch
