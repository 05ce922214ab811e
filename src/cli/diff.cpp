// vigil diff: what changed since a baseline snapshot (or between two stored snapshots).
#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <memory>

#include "cli/collect_setup.hpp"
#include "cli/commands.hpp"
#include "cli/report_output.hpp"
#include "core/text.hpp"
#include "core/time_format.hpp"
#include "detect/snapshot_diff.hpp"
#include "report/report.hpp"

namespace vigil::cli {

namespace {

struct DiffOptions {
  std::vector<std::string> snapshots;  // none, A, or A B
  std::string root = "/";
  bool force = false;  // inspect a --root that holds no operating system
  std::string db = std::string(store::kDefaultStorePath);
  ReportOptions report;
  std::string rules_dir;
  bool port_probe = false;
  bool across = false;  // compare two different systems on purpose
};

// "host hostA, root /" for the message that two systems are being compared.
std::string system_of(std::string_view hostname, std::string_view root) {
  return fmt::format("host {} root {}", hostname.empty() ? "(unnamed)" : hostname, root);
}

std::string describe(const store::SnapshotInfo& s) {
  return fmt::format("#{} '{}' ({})", s.id, s.name, iso8601(s.collected_at));
}

expected<store::SnapshotInfo, std::string> default_baseline(store::Store& store, const Root& root) {
  auto host = collect::collect_host_info(root);
  auto found = store.default_baseline(host.hostname, host.root);
  if (!found) return make_unexpected(found.error());
  if (*found) return std::move(**found);
  return make_unexpected(fmt::format("no snapshot of {} ({}) in {}: take one first with vigil snapshot{}",
                                     host.hostname, host.root, store.path(),
                                     root.live() ? "" : " --root " + root.path()));
}

expected<store::SnapshotInfo, std::string> named(store::Store& store, const std::string& which) {
  auto s = store.find(which);
  if (!s) return make_unexpected(s.error());
  if (!*s) return make_unexpected(fmt::format("no snapshot '{}' in {} (vigil snapshot --list)", which, store.path()));
  return **s;
}

int run_diff(DiffOptions o) {
  auto in = open_inspection(o.report, o.root, true, o.force);
  if (!in) return o.report.error(in.error());
  const Root* root = &in->root;
  const ReportSetup* setup = &in->setup;
  auto store = open_store(o.db, *root, store::Create::no);
  if (!store) return o.report.error(store.error());

  auto t0 = std::chrono::steady_clock::now();
  auto before_info = o.snapshots.empty() ? default_baseline(*store, *root) : named(*store, o.snapshots[0]);
  if (!before_info) return o.report.error(before_info.error());
  auto before = store->load(*before_info);
  if (!before) return o.report.error(before.error());
  collect::Snapshot after;
  std::string after_text = "now";
  // A diff of two different systems is 28 "changes" that are no change at all: asked for, or refused.
  auto same_system = [&](std::string_view hostname, std::string_view root_path) -> std::optional<std::string> {
    if ((hostname == before_info->hostname && root_path == before_info->root) || o.across) return std::nullopt;
    return fmt::format("snapshot {} is of {}, the other side is {}: two different systems, not one that changed. "
                       "Compare them anyway with --across-systems",
                       describe(*before_info), system_of(before_info->hostname, before_info->root),
                       system_of(hostname, root_path));
  };
  if (o.snapshots.size() == 2) {
    auto after_info = named(*store, o.snapshots[1]);
    if (!after_info) return o.report.error(after_info.error());
    if (auto other = same_system(after_info->hostname, after_info->root)) return o.report.error(*other);
    auto loaded = store->load(*after_info);
    if (!loaded) return o.report.error(loaded.error());
    after = std::move(*loaded);
    after_text = describe(*after_info);
  } else {
    auto host = collect::collect_host_info(*root);
    if (auto other = same_system(host.hostname, host.root)) return o.report.error(*other);
    auto copts = collect::base_collect_options(o.rules_dir);
    if (!copts) return o.report.error(copts.error());
    copts->rootkit.port_probe = o.port_probe;
    copts->tables = before->tables;  // compare like with like
    after = collect::collect_snapshot(*root, *copts);
  }
  auto result = detect::diff_snapshots(*before, after);
  report::TriageReport r;
  r.snapshot = &after;
  r.title = "vigil diff";
  r.inventory = false;
  r.findings = std::move(result.findings);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.subtitle = fmt::format("changes from snapshot {} to {}; tables compared: {}", describe(*before_info), after_text,
                           fmt::join(result.compared, ", "));
  if (!result.skipped.empty())
    r.subtitle += fmt::format("\nnot compared (only one side has them): {}", fmt::join(result.skipped, ", "));
  if (o.across && (after.host.hostname != before->host.hostname || after.host.root != before->host.root))
    r.subtitle += fmt::format("\nACROSS SYSTEMS: {} against {}", system_of(before->host.hostname, before->host.root),
                              system_of(after.host.hostname, after.host.root));
  return render_report(r, o.report, *setup, false);
}

}  // namespace

void add_diff_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<DiffOptions>();
  auto* cmd = app.add_subcommand(
      "diff",
      "What changed: a baseline snapshot against the host now, or two snapshots. New listeners, programs, "
      "accounts, start-up items, packages.");
  cmd->add_option("snapshots", o->snapshots,
                  "[A] [B]: snapshot numbers or names (newest with that name). None: the newest 'baseline' of this "
                  "host against a fresh collection; A: A against a fresh collection")
      ->expected(0, 2);
  cmd->add_option("--root", o->root, "compare a mounted image instead of the live host (read-only)");
  cmd->add_flag("--force", o->force, "inspect a --root that does not look like a system (no /etc/passwd or os-release)");
  add_store_option(cmd, o->db);
  add_report_options(cmd, o->report, "a change");
  cmd->add_option("--rules", o->rules_dir, "rules directory (default: the one installed beside vigil)");
  cmd->add_flag("--port-probe", o->port_probe, "bind every port to find hidden ones in the fresh collection");
  cmd->add_flag("--across-systems", o->across,
                "compare snapshots of different hosts or roots (a golden image against a server); refused without it");
  cmd->callback([o, &exit_code] { exit_code = run_diff(*o); });
}

}  // namespace vigil::cli
