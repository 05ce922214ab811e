// vigil audit patches, as a library call: the host's installed packages (dpkg status) against
// the apt lists on disk and, when given, vulnerability feeds; everything offline, also under
// --root.
#pragma once

#include <string>
#include <vector>

#include "core/expected.hpp"
#include "core/finding.hpp"
#include "core/root.hpp"
#include "patch/patch_findings.hpp"
#include "patch/updates.hpp"
#include "patch/vuln_feed.hpp"

namespace vigil::patch {

struct PatchAuditOptions {
  std::vector<std::string> osv;             // files, directories or zips on the analyst's machine
  std::vector<std::string> debian_tracker;  // tracker JSON files
  bool unfixed = false;                     // also issues with no fix in this release (info)
  PatchJudgement judgement;
};

struct PatchAudit {
  PatchStatus status;
  Findings findings;                 // updates, vulnerabilities, and what could not be read (info)
  std::size_t installed_sources = 0; // distinct source packages installed
  bool feed_given = false;
  VulnFeed feed;                     // sources, records, problems
  std::string release;               // "Debian:12 (bookworm)"
};

// The error is for a feed that cannot be read at all (a missing file); a damaged part of a
// feed or list is a problem in the result, with what could be read still used.
expected<PatchAudit, std::string> audit_patches(const Root& root, const PatchAuditOptions& options);

}  // namespace vigil::patch
