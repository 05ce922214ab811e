// vigil snapshot: collect the host's tables and save them in the store; list and delete.
#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <memory>

#include "cli/collect_setup.hpp"
#include "cli/commands.hpp"
#include "cli/report_output.hpp"
#include "report/result_set.hpp"
#include "core/text.hpp"
#include "core/time_format.hpp"

namespace vigil::cli {

namespace {

struct SnapshotOptions {
  std::string root = "/";
  bool force = false;  // inspect a --root that holds no operating system
  std::string db = std::string(store::kDefaultStorePath);
  std::string name = "baseline";
  std::string rules_dir;
  std::string tables;
  std::size_t keep = 0;
  bool files = false;
  bool port_probe = false;
  bool list = false;
  std::string remove;
  unsigned jobs = 0;
  RowsOptions listing;  // --list
};

int list_snapshots(store::Store& store, const SnapshotOptions& o, const Root& root) {
  auto all = store.list();
  if (!all) return o.listing.error(all.error());
  ResultSet rows;
  rows.columns = {"id", "name", "taken", "host", "rows", "root", "tables"};
  for (const auto& s : *all)
    rows.rows.push_back({s.id, s.name, iso8601(s.collected_at), s.hostname, s.rows, s.live ? "/ (live)" : s.root, s.tables});
  if (o.listing.format != "text" && o.listing.format != "table") return render_rows(rows, o.listing, &root);
  return write_output(o.listing.out, &root, [&](std::ostream& out) {
    report::render_result_table(rows, out);
    out << fmt::format("({} snapshot{} in {})\n", all->size(), all->size() == 1 ? "" : "s", store.path());
  });
}

int run_snapshot(const SnapshotOptions& o) {
  auto root = open_system_root(o.root, o.force);
  if (!root) {
    std::cerr << "vigil: " << root.error() << "\n";
    return kExitError;
  }
  // Listing and deleting only read what is there: no store is made for them.
  auto store = open_store(o.db, *root, o.list || !o.remove.empty() ? store::Create::no : store::Create::yes);
  if (!store) {
    std::cerr << "vigil: " << store.error() << "\n";
    return kExitError;
  }
  if (o.list) return list_snapshots(*store, o, *root);
  if (!o.remove.empty()) {
    auto n = store->remove(o.remove);
    if (!n) {
      std::cerr << "vigil: " << n.error() << "\n";
      return kExitError;
    }
    std::cout << fmt::format("deleted {} snapshot{} matching '{}'\n", *n, *n == 1 ? "" : "s", o.remove);
    return *n ? kExitClean : kExitError;
  }
  auto copts = collect::base_collect_options(o.rules_dir);
  if (!copts) {
    std::cerr << "vigil: " << copts.error() << "\n";
    return kExitError;
  }
  copts->threads = o.jobs;
  copts->rootkit.port_probe = o.port_probe;
  // A baseline is the host's state; the file walk and package verification are scans, and
  // the slow part: asked for with --files.
  auto names = collect::all_table_names();
  if (!o.tables.empty()) {
    for (auto t : split(o.tables, ',')) {
      if (std::find(names.begin(), names.end(), t) == names.end()) {
        std::cerr << "vigil: --tables: no table '" << t << "' (vigil tables lists them)\n";
        return kExitError;
      }
      copts->tables.emplace(t);
    }
  } else {
    for (const auto& t : names)
      if (t != "file_checks" || o.files) copts->tables.insert(t);
  }
  auto t0 = std::chrono::steady_clock::now();
  auto snapshot = collect::collect_snapshot(*root, *copts);
  auto t1 = std::chrono::steady_clock::now();
  auto id = store->save(snapshot, o.name);
  if (!id) {
    std::cerr << "vigil: " << id.error() << "\n";
    return kExitError;
  }
  auto t2 = std::chrono::steady_clock::now();
  auto saved = store->find(std::to_string(*id));
  std::size_t rows = saved && *saved ? static_cast<std::size_t>((*saved)->rows) : 0;
  std::cout << fmt::format("saved snapshot #{} '{}' of {}{}: {} rows in {} tables ({:.2f} s to collect, {:.2f} s to save) in {}\n",
                           *id, o.name, snapshot.host.hostname, root->live() ? "" : " (image at " + root->path() + ")",
                           rows, snapshot.tables.size(), std::chrono::duration<double>(t1 - t0).count(),
                           std::chrono::duration<double>(t2 - t1).count(), store->path());
  if (!snapshot.issues.issues().empty())
    std::cout << fmt::format("note: {} part{} of the system could not be read (vigil triage names them)\n",
                             snapshot.issues.issues().size(), snapshot.issues.issues().size() == 1 ? "" : "s");
  if (o.keep > 0 && saved && *saved) {
    auto gone = store->keep(**saved, o.keep);
    if (!gone) {
      std::cerr << "vigil: " << gone.error() << "\n";
      return kExitError;
    }
    if (*gone) std::cout << fmt::format("deleted {} older snapshot{} named '{}' (--keep {})\n", *gone, *gone == 1 ? "" : "s", o.name, o.keep);
  }
  return kExitClean;
}

}  // namespace

void add_store_option(CLI::App* cmd, std::string& db) {
  cmd->add_option("--db", db, "the store, one SQLite file (default " + std::string(store::kDefaultStorePath) + ")");
}

void add_snapshot_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<SnapshotOptions>();
  auto* cmd = app.add_subcommand("snapshot", "Save this host's tables in the store as a baseline for vigil diff.");
  cmd->add_option("--name", o->name, "name of the snapshot (default baseline)");
  cmd->add_option("--root", o->root, "snapshot a mounted image instead of the live host (read-only)");
  cmd->add_flag("--force", o->force, "inspect a --root that does not look like a system (no /etc/passwd or os-release)");
  add_store_option(cmd, o->db);
  cmd->add_option("--keep", o->keep, "keep only the newest N snapshots with this name, host and root");
  cmd->add_flag("--files", o->files,
                "also walk the file system and verify package files (the file_checks table: setuid programs, "
                "modified package files …; adds about a second)");
  cmd->add_flag("--port-probe", o->port_probe, "also bind every port to find hidden ones (about half a second)");
  cmd->add_option("--tables", o->tables, "only these tables, comma-separated (vigil tables lists them)");
  cmd->add_option("--rules", o->rules_dir, "rules directory (default: the one installed beside vigil)");
  cmd->add_option("--jobs", o->jobs, "threads for collection (default: one per core)");
  cmd->add_flag("--list", o->list, "list the snapshots in the store");
  add_rows_options(cmd, o->listing);
  cmd->add_option("--delete", o->remove, "delete the snapshot with this number, or every one with this name");
  cmd->callback([o, &exit_code] { exit_code = run_snapshot(*o); });
}

}  // namespace vigil::cli
