// The store: one SQLite file of snapshots (WAL mode, versioned migrations), each saved in a
// single transaction so a writer killed mid-way leaves the previous snapshots intact.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collect/snapshot.hpp"
#include "core/expected.hpp"
#include "core/root.hpp"
#include "store/sqlite.hpp"

namespace vigil::store {

inline constexpr std::string_view kDefaultStorePath = "/var/lib/vigil/vigil.db";

struct SnapshotInfo {
  std::int64_t id = 0;
  std::string name, hostname, os, kernel, root;
  bool live = true;
  std::int64_t collected_at = 0;  // epoch seconds
  std::string tables;             // comma-separated tables it holds
  std::int64_t rows = 0;          // rows over every table
};

// Whether opening a store may create it: commands that only read (list, query, check,
// diff, compare) must not leave an empty store (and /var/lib/vigil) behind a typo.
enum class Create { yes, no };

class Store {
 public:
  // Opens the store at `path`, creating it (and, for the default path, its directory) when
  // it does not exist or is empty. A file that is not a vigil store, or comes from a newer
  // vigil, is refused before anything is written to it. So is a path that resolves inside
  // the inspected root (`inspected`; the live host's is "/"): vigil never writes to evidence,
  // and this is the one place every store is opened, so no command can skip the check.
  // `option` names the path in that error (--db, or --out for an export). With Create::no a
  // missing file is an error ("no store at PATH").
  static expected<Store, std::string> open(const std::string& path, const Root& inspected,
                                           std::string_view option = "--db", Create create = Create::yes);
  // An in-memory store, for queries over a fresh collection.
  static expected<Store, std::string> open_memory();

  // Saves every table the snapshot holds, except vigil's own process; returns the new id.
  expected<std::int64_t, std::string> save(const collect::Snapshot& s, std::string_view name);
  // Snapshots, newest first; all of them, or those with `name`.
  expected<std::vector<SnapshotInfo>, std::string> list(std::string_view name = {});
  // A snapshot by number, or the newest with that name.
  expected<std::optional<SnapshotInfo>, std::string> find(std::string_view name_or_id);
  expected<collect::Snapshot, std::string> load(const SnapshotInfo& info);
  // What a diff compares against when no snapshot is named: the newest snapshot called
  // "baseline" of this host and root, else the newest of this host and root; none when the
  // store holds no snapshot of them.
  expected<std::optional<SnapshotInfo>, std::string> default_baseline(std::string_view hostname, std::string_view root);
  // Deletes the snapshot with that number, or every snapshot with that name; returns how many.
  expected<std::size_t, std::string> remove(std::string_view name_or_id);
  // Keeps the newest `n` snapshots with this name, host and root; returns how many went.
  expected<std::size_t, std::string> keep(const SnapshotInfo& like, std::size_t n);
  // Creates temporary views named after the tables that show one snapshot's rows, so SQL
  // can say `FROM processes`.
  expected<void, std::string> select_snapshot(std::int64_t id);

  Database& db() { return db_; }
  const std::string& path() const { return db_.path(); }
  // The root this store was opened beside: another store written for the same command (an
  // export) obeys the same rule.
  const std::optional<Root>& inspected() const { return inspected_; }

 private:
  Store(Database db, std::optional<Root> inspected) : db_(std::move(db)), inspected_(std::move(inspected)) {}
  expected<void, std::string> prepare_schema();
  Database db_;
  std::optional<Root> inspected_;
};

}  // namespace vigil::store
