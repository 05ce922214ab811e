// vigil query: SQL over the host's tables, fresh or from a stored snapshot.
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "cli/collect_setup.hpp"
#include "cli/commands.hpp"
#include "cli/report_output.hpp"
#include "report/result_set.hpp"
#include "report/schema_doc.hpp"
#include "store/event_store.hpp"
#include "store/query.hpp"
#include "watch/config.hpp"

namespace vigil::cli {

namespace {

struct QueryOptions {
  std::string sql;
  std::string snapshot;
  std::string root = "/";
  bool force = false;  // inspect a --root that holds no operating system
  std::string db = std::string(store::kDefaultStorePath);
  std::string events = std::string(watch::kDefaultStateDir) + "/events.db";
  RowsOptions output;
  std::string rules_dir;
  bool tables = false;
  bool markdown = false;
};

int run_query(const QueryOptions& o) {
  if (o.tables) {
    if (o.markdown) std::cout << report::tables_markdown();
    else if (o.output.format == "text" || o.output.format == "table") std::cout << report::tables_text();
    else return render_rows(report::tables_rows(), o.output);
    return kExitClean;
  }
  if (o.sql.empty()) return o.output.error("query: give a SQL statement, e.g. vigil query \"SELECT name, uid FROM users\"");
  auto root = open_system_root(o.root, o.force);
  if (!root) return o.output.error(root.error());
  auto wanted = store::statement_reads(o.sql);
  if (!wanted) return o.output.error("query: " + wanted.error());
  if (!wanted->events.empty() && !root->live())
    return o.output.error("query: process_events and socket_events are the live host's, kept by vigil watch; not with --root");
  expected<store::Store, std::string> store = make_unexpected(std::string());
  std::int64_t id = 0;
  const bool only_events = wanted->tables.empty() && !wanted->events.empty() && o.snapshot.empty();
  if (only_events) {
    store = store::Store::open_memory();
    if (!store) return o.output.error(store.error());
  } else if (!o.snapshot.empty()) {
    store = open_store(o.db, *root, store::Create::no);
    if (!store) return o.output.error(store.error());
    auto info = store->find(o.snapshot);
    if (!info) return o.output.error(info.error());
    if (!*info) return o.output.error(fmt::format("no snapshot '{}' in {} (vigil snapshot --list)", o.snapshot, store->path()));
    id = (*info)->id;
  } else {
    // Only the tables the statement reads are collected, as osquery generates them.
    auto copts = collect::base_collect_options(o.rules_dir);
    if (!copts) return o.output.error(copts.error());
    copts->tables = wanted->tables;
    if (copts->tables.empty()) copts->tables.insert("users");
    copts->ownership = wanted->columns.contains("package") || wanted->columns.contains("copy_of") ||
                       wanted->columns.contains("sha256");
    auto snapshot = collect::collect_snapshot(*root, *copts);
    store = store::Store::open_memory();
    if (!store) return o.output.error(store.error());
    auto saved = store->save(snapshot, "query");
    if (!saved) return o.output.error(saved.error());
    id = *saved;
  }
  if (!only_events)
    if (auto r = store->select_snapshot(id); !r) return o.output.error(r.error());
  if (!wanted->events.empty())
    if (auto r = store::attach_event_tables(store->db(), o.events); !r) return o.output.error("query: " + r.error());
  auto result = store::run_query(store->db(), o.sql);
  if (!result) return o.output.error("query: " + result.error());
  return render_rows(*result, o.output, &*root);
}

}  // namespace

void add_query_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<QueryOptions>();
  auto* cmd = app.add_subcommand("query", "SQL (SQLite) over this host's tables, or over a stored snapshot.");
  cmd->add_option("sql", o->sql, "one SELECT statement, e.g. \"SELECT * FROM sockets WHERE state = 'LISTEN'\"");
  cmd->add_option("--snapshot", o->snapshot, "query a stored snapshot (number or name) instead of a fresh collection");
  cmd->add_option("--root", o->root, "query a mounted image instead of the live host (read-only)");
  cmd->add_flag("--force", o->force, "inspect a --root that does not look like a system (no /etc/passwd or os-release)");
  add_store_option(cmd, o->db);
  cmd->add_option("--events", o->events,
                  "where vigil watch keeps process_events and socket_events (default: " + o->events + ")");
  add_rows_options(cmd, o->output);
  cmd->footer("Exit codes: 0 ran; 2 error (bad SQL, a statement that writes, an unreadable root or store).");
  cmd->add_option("--rules", o->rules_dir, "rules directory (default: the one installed beside vigil)");
  cmd->add_flag("--tables", o->tables, "list every table and column, then exit");
  cmd->add_flag("--markdown", o->markdown, "with --tables: as Markdown (docs/TABLES.md)");
  cmd->callback([o, &exit_code] { exit_code = run_query(*o); });
}

}  // namespace vigil::cli
