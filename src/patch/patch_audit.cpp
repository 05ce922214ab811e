#include "patch/patch_audit.hpp"

#include <fmt/format.h>

#include <set>

#include "collect/packages.hpp"
#include "collect/snapshot.hpp"
#include "core/collect_issue.hpp"

namespace vigil::patch {

namespace {

// osv.dev's ecosystem names: "Debian:12", "Ubuntu:22.04" (its LTS releases as "Ubuntu:22.04:LTS").
std::string osv_ecosystem(const collect::OsRelease& os) {
  if (os.id == "debian") return "Debian:" + os.version_id;
  if (os.id == "ubuntu") return "Ubuntu:" + os.version_id;
  return os.id + ":" + os.version_id;
}

}  // namespace

expected<PatchAudit, std::string> audit_patches(const Root& root, const PatchAuditOptions& options) {
  PatchAudit a;
  IssueLog log;
  auto db = collect::open_package_db(root, log);
  auto installed = db->installed(log);
  a.status = patch_status(root, installed, log);
  a.findings = update_findings(a.status, options.judgement);

  auto os = collect::read_os_release(root);
  FeedScope scope;
  scope.osv_ecosystem = osv_ecosystem(os);
  scope.codename = os.codename;
  for (const auto& row : installed)
    if (row.status == "installed") scope.packages.emplace(row.source_name());
  a.installed_sources = scope.packages.size();
  a.release = fmt::format("{} ({})", scope.osv_ecosystem, os.codename.empty() ? "no codename" : os.codename);
  for (const auto& path : options.osv) {
    auto r = load_osv(path, scope, a.feed);
    if (!r) return make_unexpected("--osv " + r.error());
  }
  for (const auto& path : options.debian_tracker) {
    if (os.codename.empty())
      return make_unexpected("--debian-tracker: the root's os-release names no VERSION_CODENAME to look up");
    auto r = load_debian_tracker(path, scope, a.feed);
    if (!r) return make_unexpected("--debian-tracker " + r.error());
  }
  a.feed_given = !options.osv.empty() || !options.debian_tracker.empty();
  if (a.feed_given)
    for (auto& f : vulnerability_findings(match_feed(a.feed, installed, options.unfixed)))
      a.findings.push_back(std::move(f));
  for (const auto& p : a.feed.problems) log.add("vulnerability-feed", p, "skipped");
  for (auto& f : partial_findings(log.issues(), "patches/")) a.findings.push_back(std::move(f));
  return a;
}

}  // namespace vigil::patch
