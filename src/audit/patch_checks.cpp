#include "audit/patch_checks.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace vigil::audit {

namespace {

struct PatchCheck {
  std::string_view id, title, rule, rationale, remediation;
};

constexpr PatchCheck kChecks[] = {
    {"patches.1", "The package lists are recent (apt-get update runs)", "patch.lists-stale",
     "Updates published after the lists were fetched are invisible: old lists hide every missing patch.",
     "Run apt-get update regularly (apt's daily timer, unattended-upgrades)."},
    {"patches.2", "A security archive is among apt's sources", "patch.no-security-source",
     "Without it, security fixes arrive only with point releases, months late.",
     "Add the distribution's security archive to apt's sources."},
    {"patches.3", "No security update is waiting to be installed", "patch.security-update",
     "A published security fix that is not installed is a known hole.",
     "apt-get upgrade (or unattended-upgrades for security updates)."},
    {"patches.4", "No installed package has a known vulnerability with a fix", "patch.vulnerable-package",
     "The vulnerability feed lists the installed version as affected and the release has a fix.",
     "Install the fixed versions."},
};

}  // namespace

PolicyResult patch_policy(const patch::PatchStatus& status, const Findings& findings, bool feed_given) {
  PolicyResult p;
  p.id = std::string(kPatchPolicyId);
  p.name = "vigil: patch status (apt lists, security updates, vulnerability feed)";
  p.description = "Built in: installed versions against the apt lists on disk, and a vulnerability feed when given.";
  p.file = "(built in: vigil audit patches)";
  for (const auto& c : kChecks) {
    CheckResult r;
    r.policy_id = p.id;
    r.check_id = std::string(c.id);
    r.title = std::string(c.title);
    r.rationale = std::string(c.rationale);
    r.remediation = std::string(c.remediation);
    r.rules = {std::string(c.rule)};
    r.mitre = {"M1051 Update Software"};
    r.condition = "none of the findings";
    bool needs_lists = c.rule != "patch.vulnerable-package";
    if (needs_lists && status.lists.empty()) {
      r.status = Status::not_applicable;
      r.reason = "no apt lists on this host (patch.no-lists)";
    } else if (!needs_lists && !feed_given) {
      r.status = Status::not_applicable;
      r.reason = "no vulnerability feed given (--osv or --debian-tracker)";
    } else {
      r.status = Status::passed;
      std::vector<std::string> names;
      for (const auto& f : findings) {
        if (f.rule != c.rule || f.severity == Severity::info) continue;
        r.status = Status::failed;
        r.evidence.push_back(f.title);
        if (auto n = f.get("package.name"); !n.empty() && std::find(names.begin(), names.end(), n) == names.end())
          names.push_back(n);
      }
      if (names.size() > 1)  // the text report shows the first line: make it the whole picture
        r.evidence.insert(r.evidence.begin(),
                          fmt::format("{} packages: {}", names.size(), fmt::join(names, ", ")));
    }
    p.checks.push_back(std::move(r));
  }
  return p;
}

}  // namespace vigil::audit
