// apt's view of the archive, from the files `apt update` left in /var/lib/apt/lists: each
// repository's Release (or InRelease) file and the Packages index of each component.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/collect_issue.hpp"
#include "core/root.hpp"

namespace vigil::patch {

inline constexpr std::string_view kAptListsDir = "/var/lib/apt/lists";

// The fields of a Release file that decide how apt ranks its packages and how old it is.
struct AptRelease {
  std::string origin, label, suite, codename;
  std::int64_t date = 0;         // epoch seconds, when the archive published it; 0 when absent
  std::int64_t valid_until = 0;  // 0 when absent
  bool not_automatic = false;            // experimental, backports: never chosen on its own…
  bool but_automatic_upgrades = false;   // …except to upgrade what came from there (backports)
  // A security archive (Debian's debian-security, Ubuntu's -security pocket).
  bool security() const;
  // apt's default pin priority for its packages: 1, 100 or 500.
  int priority() const;
  std::string name() const;  // the suite, else the codename
};

// A Release or InRelease file (the clear-signed wrapper is skipped; its signature is apt's
// business, checked when it was downloaded).
AptRelease parse_release(std::string_view text);

// "Sun, 06 Dec 2026 02:54:29 UTC" (RFC 2822, as Release files write it) -> epoch seconds; 0
// when it is not that form.
std::int64_t parse_release_date(std::string_view text);

// One binary package of a Packages index (views into the index text).
struct IndexEntry {
  std::string_view package, version, arch, source;  // source: "" when the same as package
};

struct IndexScan {
  std::size_t stanzas = 0;
  std::size_t bad_lines = 0;       // neither a field, a continuation nor a blank line
  std::size_t first_bad_line = 0;  // 1-based
  std::size_t incomplete = 0;      // stanzas without a Package or Version field
};

// Streams the stanzas of a Packages index; lines are tolerated, counted, when they are junk.
IndexScan scan_packages_index(std::string_view text, const std::function<void(const IndexEntry&)>& f);

// A Packages file of /var/lib/apt/lists and the Release file of its repository.
struct AptList {
  std::string path;          // inside the root
  std::string release_path;  // "" when no Release file was found
  AptRelease release;
  std::int64_t mtime = 0;    // of the Packages file: when apt last fetched it
};

// The Packages files under the root's /var/lib/apt/lists (compressed or not) with their
// Release files; what cannot be read goes to the log.
std::vector<AptList> find_apt_lists(const Root& root, IssueLog& log);

}  // namespace vigil::patch
