// Known vulnerabilities from a feed file the administrator downloaded (vigil never fetches):
// OSV records for Debian (osv.dev's per-ecosystem all.zip, or a directory of its JSON files)
// and the Debian security tracker's JSON. Both name source packages; both are matched with
// Debian's version order against the installed source versions.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "collect/packages.hpp"

namespace vigil::patch {

// One range of affected versions of one source package in one release.
struct Advisory {
  std::string id;                    // DSA-5532-1, DLA-…, DEBIAN-CVE-2023-38545, CVE-2023-38545
  std::vector<std::string> aliases;  // the CVEs it covers (OSV's aliases and related)
  std::string package;               // source package
  std::string introduced;            // "" or "0": since the first version
  std::string fixed;                 // "": no fix yet in this release
  std::string last_affected;         // OSV: the last affected version, when there is no fix
  std::vector<std::string> versions; // OSV: affected versions listed one by one
  std::string urgency;               // low, medium, high, unimportant, not yet assigned, ""
  std::string summary;
  std::string feed;                  // osv or debian-tracker
  bool affects(std::string_view version) const;
};

struct VulnFeed {
  std::unordered_map<std::string, std::vector<Advisory>> by_package;
  std::size_t records = 0;    // OSV files or tracker (package, issue) pairs read
  std::size_t advisories = 0; // kept: for this release and a package of interest
  std::vector<std::string> problems;  // file (member): why it was skipped
  std::vector<std::string> sources;   // what was loaded, for the report
};

// What to keep: the release the host runs and the source packages it has.
struct FeedScope {
  std::string osv_ecosystem;  // "Debian:12"
  std::string codename;       // "bookworm" (the tracker's release names)
  std::set<std::string, std::less<>> packages;  // source packages installed; empty: keep every one
};

// An OSV file, a directory of them (recursively) or a zip/tar of them; records of other
// ecosystems are skipped. Problems are recorded; the error is for a path that cannot be read.
expected<void, std::string> load_osv(const std::string& path, const FeedScope& scope, VulnFeed& feed);
// One OSV record (JSON text); `name` is shown in problems.
void add_osv_record(std::string_view json, std::string_view name, const FeedScope& scope, VulnFeed& feed);

// The Debian security tracker's JSON (security-tracker.debian.org/tracker/data/json), read as a
// stream (it is ~70 MB): only the host's release and packages are kept.
expected<void, std::string> load_debian_tracker(const std::string& path, const FeedScope& scope, VulnFeed& feed);
void add_debian_tracker(std::string_view json, std::string_view name, const FeedScope& scope, VulnFeed& feed);

// An installed source package and an advisory that covers its version.
struct Vulnerable {
  std::string package, version;         // source package and its installed version
  std::vector<std::string> binaries;    // installed binary packages built from it
  const Advisory* advisory = nullptr;
  std::vector<const Advisory*> also;    // other records of the same fix folded into this one
};

// Every installed source package in an advisory's range. Per package, an advisory (DSA, DLA)
// absorbs the per-CVE records of the CVEs it fixes, so one fix is one entry. `unfixed`:
// also issues with no fix in this release yet.
std::vector<Vulnerable> match_feed(const VulnFeed& feed, const std::vector<collect::PackageRow>& installed,
                                   bool unfixed);

}  // namespace vigil::patch
