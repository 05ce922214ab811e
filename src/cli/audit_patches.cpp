// vigil audit patches: pending updates from the apt lists on disk, the lists' age, and the
// installed packages a vulnerability feed file names; offline, live or under --root.
#include "cli/audit_patches.hpp"

#include <fmt/format.h>

#include <chrono>
#include <iostream>

#include "cli/collect_setup.hpp"
#include "cli/commands.hpp"
#include "cli/report_output.hpp"
#include "core/time_format.hpp"
#include "collect/snapshot.hpp"

namespace vigil::cli {

namespace {

struct PatchesCliOptions {
  std::string root = "/";
  bool force = false;
  bool updates = false;  // the updates as rows (apt list --upgradable), not findings
  patch::PatchAuditOptions patch;
  ReportOptions report;
};

// Package, architecture, installed and candidate versions, where the candidate comes from.
ResultSet update_rows(const patch::PatchStatus& st) {
  ResultSet rows;
  rows.columns = {"package", "arch", "installed", "candidate", "suite", "security", "source"};
  for (const auto& u : st.updates)
    rows.rows.push_back({u.package, u.arch, u.installed, u.candidate, u.suite,
                         u.security ? std::string(u.security_suite) : std::string(), u.source});
  return rows;
}

int run(PatchesCliOptions o) {
  auto in = open_inspection(o.report, o.root, true, o.force);
  if (!in) return o.report.error(in.error());
  const Root* root = &in->root;
  auto t0 = std::chrono::steady_clock::now();
  o.patch.judgement.now = epoch_now();
  auto a = patch::audit_patches(*root, o.patch);
  if (!a) return o.report.error("audit patches: " + a.error());
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto& st = a->status;
  if (o.updates) return render_rows(update_rows(st), RowsOptions{o.report.format, o.report.out}, root);
  std::string feed = a->feed_given ? fmt::format("; feeds: {} ({} advisories for installed packages)",
                                                 fmt::join(a->feed.sources, ", "), a->feed.advisories)
                                   : "; no vulnerability feed given (--osv, --debian-tracker): known "
                                     "vulnerabilities without a pending update are not checked";
  if (!o.report.quiet && !a->feed_given)
    std::cerr << "vigil: audit patches: no vulnerability feed given; only the apt lists on disk are compared "
                 "(download one: see docs/PATCHES.md)\n";
  auto header = host_header(*root);
  auto r = findings_report(header, "vigil audit patches");
  r.seconds = seconds;
  r.subtitle = fmt::format("{}: {} packages installed ({} source packages); {} apt lists ({} entries); {} update(s) "
                           "waiting, {} of them security{}",
                           a->release, st.installed, a->installed_sources, st.lists.size(), st.index_entries,
                           st.updates.size(), st.security_updates(), feed);
  r.findings = std::move(a->findings);
  return render_report(r, o.report, in->setup, false);
}

}  // namespace

void add_patch_feed_options(CLI::App* cmd, patch::PatchAuditOptions& o) {
  cmd->add_option("--osv", o.osv,
                  "OSV vulnerability records for the distribution: osv.dev's Debian all.zip, a directory of its JSON "
                  "files, or one file (repeatable; read offline)")
      ->allow_extra_args(false);
  cmd->add_option("--debian-tracker", o.debian_tracker,
                  "the Debian security tracker's JSON (security-tracker.debian.org/tracker/data/json; .gz/.xz/.zst too)")
      ->allow_extra_args(false);
  cmd->add_flag("--unfixed", o.unfixed, "also list vulnerabilities that have no fix in this release yet (info)");
  cmd->add_option("--max-list-age", o.judgement.max_list_age_days,
                  "days after which apt's lists are too old to say the host is patched (default 7; medium past 30)");
}

void add_audit_patches_command(CLI::App* audit, int& exit_code) {
  auto o = std::make_shared<PatchesCliOptions>();
  auto* cmd = audit->add_subcommand(
      "patches", "Is this host patched? Installed packages against the apt lists on disk (security updates waiting, "
                 "lists too old to tell) and against a vulnerability feed file (OSV, Debian security tracker)");
  cmd->add_option("--root", o->root, "a mounted image instead of this host (read-only)");
  cmd->add_flag("--force", o->force, "inspect a --root that does not look like a system (no /etc/passwd or os-release)");
  add_patch_feed_options(cmd, o->patch);
  cmd->add_flag("--updates", o->updates,
                "list the waiting updates as rows (package, arch, installed, candidate, suite, security, source), as "
                "apt list --upgradable does, instead of findings");
  add_report_options(cmd, o->report);
  cmd->callback([o, &exit_code] { exit_code = run(*o); });
}

}  // namespace vigil::cli
