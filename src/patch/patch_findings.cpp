#include "patch/patch_findings.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>

#include "core/rule_catalog.hpp"
#include "core/text.hpp"
#include "core/time_format.hpp"

namespace vigil::patch {

namespace {

constexpr std::string_view kSource = "patches";
constexpr std::int64_t kDay = 86400;
constexpr std::size_t kListedUpdates = 50;  // package names in the summary finding

std::string join(const std::vector<std::string>& v, std::string_view sep = ", ") {
  return fmt::format("{}", fmt::join(v, sep));
}

Severity feed_severity(const Advisory& a) {
  if (a.fixed.empty()) return Severity::info;  // no fix to install: listed with --unfixed only
  const auto& u = a.urgency;
  if (u == "critical") return Severity::critical;
  if (u == "high" || u == "important") return Severity::high;
  if (u == "low" || u == "unimportant" || u == "negligible" || u == "end-of-life") return Severity::low;
  return Severity::medium;  // medium, moderate, not yet assigned, unknown
}

}  // namespace

ListAge list_age(const PatchStatus& status) {
  ListAge security, newest;
  for (const auto& l : status.lists) {
    std::int64_t t = l.release.date ? l.release.date : l.mtime;
    std::string what = l.release_path.empty() ? l.path : l.release_path;
    if (l.release.security() && (!security.published || t < security.published)) security = {t, what};
    if (t > newest.published) newest = {t, what};
  }
  return security.published ? security : newest;
}

Findings update_findings(const PatchStatus& status, const PatchJudgement& j) {
  Findings out;
  if (status.lists.empty()) {
    auto f = make_finding("patch.no-lists", Severity::low, kSource);
    f.add("vigil.apt.lists", std::string(kAptListsDir));
    out.push_back(std::move(f));
    return out;
  }
  bool any_security = false;
  for (const auto& l : status.lists) any_security |= l.release.security();
  if (!any_security) {
    auto f = make_finding("patch.no-security-source", Severity::medium, kSource);
    std::vector<std::string> suites;
    for (const auto& l : status.lists)
      if (auto n = l.release.name(); !n.empty() && std::find(suites.begin(), suites.end(), n) == suites.end())
        suites.push_back(n);
    f.add("vigil.apt.suites", suites.empty() ? std::string("(no Release files)") : join(suites));
    out.push_back(std::move(f));
  }
  auto age = list_age(status);
  std::int64_t days = age.published && j.now > age.published ? (j.now - age.published) / kDay : 0;
  if (age.published && days > j.max_list_age_days) {
    auto f = make_finding("patch.lists-stale", days > 30 ? Severity::medium : Severity::low, kSource,
                          fmt::format("The lists here are {} days old (the limit is {}).", days, j.max_list_age_days));
    f.title = fmt::format("The package lists are {} days old: the patch status is unknown", days);
    f.add("file.path", age.release);
    f.add("vigil.apt.published", iso8601(age.published));
    f.add("vigil.apt.age_days", days);
    f.identity = {"vigil.apt.lists-stale"};  // one thing, however old
    out.push_back(std::move(f));
  }
  // Security updates, one finding per source package: apt, libapt-pkg6.0 and apt-utils are one fix.
  std::map<std::string, std::vector<const PendingUpdate*>> by_source;
  std::vector<const PendingUpdate*> other;
  for (const auto& u : status.updates)
    if (u.security) by_source[u.source].push_back(&u);
    else other.push_back(&u);
  for (const auto& [source, updates] : by_source) {
    const auto& first = *updates.front();
    auto f = make_finding("patch.security-update", Severity::medium, kSource);
    f.title = fmt::format("Security update waiting: {} {} → {}", source, first.installed, first.candidate);
    f.add("package.name", source);
    f.add("package.version", first.installed);
    f.add("vigil.fixed_version", first.candidate);
    f.add("vigil.apt.suite", first.security_suite);
    std::vector<std::string> names;
    for (const auto* u : updates) names.push_back(u->package + (u->arch == "all" ? "" : ":" + u->arch));
    f.add("vigil.packages", join(names));
    f.identity = {"package.name", "vigil.fixed_version"};
    out.push_back(std::move(f));
  }
  if (!other.empty()) {
    auto f = make_finding("patch.updates-pending", Severity::info, kSource);
    f.title = fmt::format("{} other update(s) waiting to be installed", other.size());
    f.add("vigil.updates.count", static_cast<std::int64_t>(other.size()));
    std::vector<std::string> names;
    for (const auto* u : other) {
      if (names.size() == kListedUpdates) {
        names.push_back(fmt::format("… {} more", other.size() - kListedUpdates));
        break;
      }
      names.push_back(fmt::format("{} {} → {}", u->package, u->installed, u->candidate));
    }
    f.add("vigil.packages", join(names, "; "));
    f.identity = {"vigil.updates"};
    out.push_back(std::move(f));
  }
  return out;
}

Findings vulnerability_findings(const std::vector<Vulnerable>& vulnerable) {
  Findings out;
  for (const auto& v : vulnerable) {
    const auto& a = *v.advisory;
    // The worst rating among the records of this fix (a DSA says none; its CVEs do).
    Severity severity = feed_severity(a);
    std::vector<std::string> also;
    for (const auto* b : v.also) {
      severity = std::max(severity, feed_severity(*b));
      also.push_back(b->id);
    }
    auto f = make_finding("patch.vulnerable-package", severity, kSource);
    bool fixable = !a.fixed.empty() && a.fixed != "-";
    f.title = fixable ? fmt::format("{} {} is vulnerable ({}); fixed in {}", v.package, v.version, a.id, a.fixed)
                      : fmt::format("{} {} is vulnerable ({}); no fix in this release yet", v.package, v.version, a.id);
    f.add("package.name", v.package);
    f.add("package.version", v.version);
    f.add("vulnerability.id", a.id);
    if (!a.aliases.empty()) f.add("vulnerability.reference", join(a.aliases));
    if (!also.empty()) f.add("vigil.also", join(also));
    f.add("vulnerability.severity", std::string(to_string(severity)));
    if (!a.summary.empty()) f.add("vulnerability.description", a.summary);
    if (fixable) f.add("vigil.fixed_version", a.fixed);
    f.add("vigil.packages", join(v.binaries));
    f.add("vigil.feed", a.feed);
    f.identity = {"package.name", "vulnerability.id"};
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace vigil::patch
