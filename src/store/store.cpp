// The snapshot store.
#include "store/store.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "collect/tables.hpp"
#include "core/outside_root.hpp"
#include "core/text.hpp"
#include "core/unique_fd.hpp"
#include "store/rows.hpp"
#include "store/schema.hpp"

namespace vigil::store {

namespace {

// PRAGMA application_id of a vigil store: "Vigl".
constexpr std::int64_t kApplicationId = 0x5669676c;

// Migration i brings the store from user_version i to i + 1. Append only; never edit one
// that has shipped. The snapshot tables themselves are generated (schema.hpp).
constexpr std::array<std::string_view, 4> kMigrations = {
    R"(CREATE TABLE snapshots (
         id INTEGER PRIMARY KEY AUTOINCREMENT,
         name TEXT NOT NULL,
         hostname TEXT NOT NULL,
         os TEXT NOT NULL,
         kernel TEXT NOT NULL,
         root TEXT NOT NULL,
         live INTEGER NOT NULL,
         collected_at INTEGER NOT NULL,
         tables TEXT NOT NULL,
         rows INTEGER NOT NULL DEFAULT 0,
         vigil_version TEXT NOT NULL);
       CREATE INDEX snapshots_by_name ON snapshots(name, hostname, root, id);)",
    // 2: file integrity baselines (their entries are the generated fim_entries table).
    R"(CREATE TABLE fim_baselines (
         id INTEGER PRIMARY KEY AUTOINCREMENT,
         name TEXT NOT NULL,
         hostname TEXT NOT NULL,
         root TEXT NOT NULL,
         created_at INTEGER NOT NULL,
         policy TEXT NOT NULL,
         entries INTEGER NOT NULL,
         digest TEXT NOT NULL,
         key_kind TEXT NOT NULL,
         key_id TEXT NOT NULL,
         signature TEXT NOT NULL,
         status TEXT NOT NULL,
         vigil_version TEXT NOT NULL);
       CREATE INDEX fim_baselines_by_name ON fim_baselines(name, root, status, id);)",
    // 3: saved hardening audit results (vigil audit --save), the JSON document as rendered.
    R"(CREATE TABLE audit_results (
         id INTEGER PRIMARY KEY AUTOINCREMENT,
         name TEXT NOT NULL,
         hostname TEXT NOT NULL,
         root TEXT NOT NULL,
         created_at INTEGER NOT NULL,
         passed INTEGER NOT NULL,
         failed INTEGER NOT NULL,
         not_applicable INTEGER NOT NULL,
         document TEXT NOT NULL,
         vigil_version TEXT NOT NULL);
       CREATE INDEX audit_results_by_name ON audit_results(name, id);)",
    // 4: fim entries by path, so a watcher can look one file up in a baseline without reading it
    // whole. The table's other columns are fim's generated ones; fim reconciles them before use.
    R"(CREATE TABLE IF NOT EXISTS fim_entries (
         baseline_id INTEGER NOT NULL REFERENCES fim_baselines(id) ON DELETE CASCADE,
         path TEXT NOT NULL DEFAULT '');
       CREATE INDEX IF NOT EXISTS fim_entries_by_parent ON fim_entries(baseline_id);
       CREATE INDEX IF NOT EXISTS fim_entries_by_path ON fim_entries(baseline_id, path);)",
};

std::uint32_t big_endian32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

// Reads the 100-byte SQLite header ourselves, so a file that is not a vigil store is
// refused before SQLite could touch it (a hot journal of another program's database would
// otherwise be rolled back into it).
expected<void, std::string> check_header(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return make_unexpected(fmt::format("{}: {}", path, std::strerror(errno)));
  std::array<unsigned char, 100> h{};
  auto n = ::pread(fd.get(), h.data(), h.size(), 0);
  constexpr std::string_view kMagic{"SQLite format 3\0", 16};
  if (n < static_cast<ssize_t>(h.size()) || std::string_view(reinterpret_cast<const char*>(h.data()), 16) != kMagic)
    return make_unexpected(fmt::format("{}: not a vigil store (not an SQLite database); give --db a new file", path));
  if (auto app = big_endian32(h.data() + 68); app != kApplicationId)
    return make_unexpected(fmt::format(
        "{}: not a vigil store (an SQLite database of another program, application_id {:#x}); give --db a new file", path,
        app));
  if (auto version = big_endian32(h.data() + 60); version > kMigrations.size())
    return make_unexpected(fmt::format("{}: made by a newer vigil (store schema {}, this vigil knows up to {})", path,
                                       version, kMigrations.size()));
  return {};
}

std::string join(const std::set<std::string, std::less<>>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

// A snapshot named on the command line: a number is an id, anything else a name.
struct NameOrId {
  explicit NameOrId(std::string_view s) : text(s), id(to_number<std::int64_t>(s)) {}
  std::string_view column() const { return id ? "id" : "name"; }
  void bind(Statement& st, int index) const {
    if (id)
      st.bind(index, *id);
    else
      st.bind(index, text);
  }
  std::string_view text;
  std::optional<std::int64_t> id;
};

constexpr std::string_view kSnapshotColumns =
    "id, name, hostname, os, kernel, root, live, collected_at, tables, rows";

SnapshotInfo read_info(const Statement& st) {
  SnapshotInfo i;
  i.id = st.integer(0);
  i.name = st.text(1);
  i.hostname = st.text(2);
  i.os = st.text(3);
  i.kernel = st.text(4);
  i.root = st.text(5);
  i.live = st.integer(6) != 0;
  i.collected_at = st.integer(7);
  i.tables = st.text(8);
  i.rows = st.integer(9);
  return i;
}

}  // namespace

expected<Store, std::string> Store::open(const std::string& path, const Root& inspected, std::string_view option,
                                         Create create) {
  if (auto outside = refuse_inside_root(inspected, path, option); !outside) return make_unexpected(outside.error());
  struct stat st {};
  bool exists = ::stat(path.c_str(), &st) == 0;
  if (create == Create::no && (!exists || (S_ISREG(st.st_mode) && st.st_size == 0)))
    return make_unexpected(fmt::format("no store at {}{}", path,
                                       exists ? " (an empty file)" : ": nothing was saved there yet (vigil snapshot, vigil fim init, vigil audit --save)"));
  if (exists && !S_ISREG(st.st_mode)) return make_unexpected(path + ": not a regular file");
  if (exists && st.st_size > 0) {
    if (auto r = check_header(path); !r) return make_unexpected(r.error());
  } else if (!exists) {
    auto dir = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (path == kDefaultStorePath && !std::filesystem::exists(dir, ec)) {
      std::filesystem::create_directories(dir, ec);
      if (!ec) ::chmod(dir.c_str(), 0700);  // snapshots list accounts and command lines
    }
    if (!dir.empty() && !std::filesystem::is_directory(dir, ec))
      return make_unexpected(fmt::format("{}: directory {} does not exist", path, dir.string()));
  }
  bool writable = !exists || ::access(path.c_str(), W_OK) == 0;
  int flags = writable ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
  // Snapshots hold account and process details: a new store is readable by its owner only.
  mode_t old_mask = ::umask(077);
  auto db = Database::open(path, flags | SQLITE_OPEN_NOMUTEX);
  ::umask(old_mask);
  if (!db) return make_unexpected(db.error());
  Store store(std::move(*db), inspected);
  if (auto r = store.prepare_schema(); !r) return make_unexpected(r.error());
  return store;
}

expected<Store, std::string> Store::open_memory() {
  auto db = Database::open(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX);
  if (!db) return make_unexpected(db.error());
  Store store(std::move(*db), std::nullopt);
  if (auto r = store.prepare_schema(); !r) return make_unexpected(r.error());
  return store;
}

expected<void, std::string> Store::prepare_schema() {
  auto version = db_.scalar("PRAGMA user_version");
  if (!version) return make_unexpected(version.error());
  bool readonly = sqlite3_db_readonly(db_.get(), "main") == 1;
  if (*version == 0 && !readonly) {
    // A new store: these must be set before the first table exists.
    if (auto r = db_.exec(fmt::format("PRAGMA auto_vacuum = INCREMENTAL; PRAGMA application_id = {}", kApplicationId));
        !r)
      return r;
  }
  std::string pragmas = "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;";
  if (!readonly) pragmas += " PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";
  if (auto r = db_.exec(pragmas); !r) return r;
  if (readonly) {
    if (static_cast<std::size_t>(*version) < kMigrations.size())
      return make_unexpected(db_.path() + ": the store needs upgrading, and this user cannot write it");
    return {};
  }
  return db_.transaction([&]() -> expected<void, std::string> {
    // Read again inside the transaction: another vigil may have migrated meanwhile.
    auto v = db_.scalar("PRAGMA user_version");
    if (!v) return make_unexpected(v.error());
    for (auto i = static_cast<std::size_t>(*v); i < kMigrations.size(); ++i)
      if (auto r = db_.exec(std::string(kMigrations[i])); !r) return r;
    if (static_cast<std::size_t>(*v) < kMigrations.size())
      if (auto r = db_.exec(fmt::format("PRAGMA user_version = {}", kMigrations.size())); !r) return r;
    return reconcile_tables(db_);
  });
}

expected<std::int64_t, std::string> Store::save(const collect::Snapshot& s, std::string_view name) {
  std::int64_t id = 0;
  auto r = db_.transaction([&]() -> expected<void, std::string> {
    auto head = db_.prepare(
        "INSERT INTO snapshots(name, hostname, os, kernel, root, live, collected_at, tables, vigil_version) "
        "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!head) return make_unexpected(db_.path() + ": " + head.error());
    head->bind(1, name);
    head->bind(2, std::string_view(s.host.hostname));
    head->bind(3, std::string_view(s.host.os));
    head->bind(4, std::string_view(s.host.kernel));
    head->bind(5, std::string_view(s.host.root));
    head->bind(6, s.host.live);
    head->bind(7, s.host.collected_at);
    head->bind(8, std::string_view(join(s.tables)));
    head->bind(9, std::string_view(VIGIL_VERSION));
    if (head->step() != SQLITE_DONE) return make_unexpected(db_.path() + ": " + db_.error());
    id = sqlite3_last_insert_rowid(db_.get());
    std::int64_t rows = 0;
    std::string error;
    collect::for_each_table(s, [&]<class Row>(std::string_view, const std::vector<Row>& table) {
      if (!error.empty() || !s.has(Row::kTable)) return;
      const auto& t = generated_table(Row::kTable);
      auto insert = db_.prepare(insert_sql(t));
      if (!insert) {
        error = insert.error();
        return;
      }
      for (const auto& row : table) {
        if constexpr (std::is_same_v<Row, collect::ProcessRow>)
          if (row.self) continue;  // the snapshot records the host, not vigil taking it
        insert->bind(1, id);
        bind_row(*insert, 2, row);
        if (insert->step() != SQLITE_DONE) {
          error = db_.error();
          return;
        }
        insert->reset();
        ++rows;
      }
    });
    if (!error.empty()) return make_unexpected(db_.path() + ": " + error);
    return db_.exec(fmt::format("UPDATE snapshots SET rows = {} WHERE id = {}", rows, id));
  });
  if (!r) return make_unexpected(r.error());
  return id;
}

expected<std::vector<SnapshotInfo>, std::string> Store::list(std::string_view name) {
  auto st = db_.prepare(fmt::format("SELECT {} FROM snapshots {} ORDER BY id DESC", kSnapshotColumns,
                                    name.empty() ? "" : "WHERE name = ?"));
  if (!st) return make_unexpected(db_.path() + ": " + st.error());
  if (!name.empty()) st->bind(1, name);
  std::vector<SnapshotInfo> out;
  int rc;
  while ((rc = st->step()) == SQLITE_ROW) out.push_back(read_info(*st));
  if (rc != SQLITE_DONE) return make_unexpected(db_.path() + ": " + db_.error());
  return out;
}

expected<std::optional<SnapshotInfo>, std::string> Store::find(std::string_view name_or_id) {
  NameOrId which(name_or_id);
  auto st = db_.prepare(fmt::format("SELECT {} FROM snapshots WHERE {} = ? ORDER BY id DESC LIMIT 1", kSnapshotColumns,
                                    which.column()));
  if (!st) return make_unexpected(db_.path() + ": " + st.error());
  which.bind(*st, 1);
  int rc = st->step();
  if (rc == SQLITE_ROW) return std::optional<SnapshotInfo>(read_info(*st));
  if (rc != SQLITE_DONE) return make_unexpected(db_.path() + ": " + db_.error());
  return std::optional<SnapshotInfo>();
}

expected<std::optional<SnapshotInfo>, std::string> Store::default_baseline(std::string_view hostname,
                                                                           std::string_view root) {
  auto all = list();
  if (!all) return make_unexpected(all.error());
  std::optional<SnapshotInfo> newest;
  for (auto& s : *all) {
    if (s.hostname != hostname || s.root != root) continue;
    if (s.name == "baseline") return std::optional<SnapshotInfo>(std::move(s));
    if (!newest) newest = std::move(s);
  }
  return newest;
}

expected<collect::Snapshot, std::string> Store::load(const SnapshotInfo& info) {
  collect::Snapshot s;
  s.host.hostname = info.hostname;
  s.host.os = info.os;
  s.host.kernel = info.kernel;
  s.host.root = info.root;
  s.host.live = info.live;
  s.host.collected_at = info.collected_at;
  s.packages = collect::no_package_db();
  std::set<std::string, std::less<>> held;
  for (auto t : split(info.tables, ','))
    if (!t.empty()) held.emplace(t);
  std::string error;
  collect::for_each_table(s, [&]<class Row>(std::string_view, std::vector<Row>& rows) {
    if (!error.empty() || !held.contains(Row::kTable)) return;
    const auto& t = generated_table(Row::kTable);
    auto st = db_.prepare(
        fmt::format("SELECT {} FROM {} WHERE snapshot_id = ? ORDER BY rowid", column_list(t), quote_identifier(t.name)));
    if (!st) {
      error = st.error();
      return;
    }
    st->bind(1, info.id);
    int rc;
    while ((rc = st->step()) == SQLITE_ROW) {
      Row row;
      read_row(*st, 0, row);
      rows.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) error = db_.error();
    s.tables.emplace(Row::kTable);
  });
  if (!error.empty()) return make_unexpected(db_.path() + ": " + error);
  return s;
}

expected<std::size_t, std::string> Store::remove(std::string_view name_or_id) {
  NameOrId which(name_or_id);
  std::size_t removed = 0;
  auto r = db_.transaction([&]() -> expected<void, std::string> {
    auto st = db_.prepare(fmt::format("DELETE FROM snapshots WHERE {} = ?", which.column()));
    if (!st) return make_unexpected(db_.path() + ": " + st.error());
    which.bind(*st, 1);
    if (st->step() != SQLITE_DONE) return make_unexpected(db_.path() + ": " + db_.error());
    removed = static_cast<std::size_t>(sqlite3_changes(db_.get()));
    return {};
  });
  if (!r) return make_unexpected(r.error());
  (void)db_.exec("PRAGMA incremental_vacuum");
  return removed;
}

expected<std::size_t, std::string> Store::keep(const SnapshotInfo& like, std::size_t n) {
  std::size_t removed = 0;
  auto r = db_.transaction([&]() -> expected<void, std::string> {
    auto st = db_.prepare(
        "DELETE FROM snapshots WHERE name = ?1 AND hostname = ?2 AND root = ?3 AND id NOT IN "
        "(SELECT id FROM snapshots WHERE name = ?1 AND hostname = ?2 AND root = ?3 ORDER BY id DESC LIMIT ?4)");
    if (!st) return make_unexpected(db_.path() + ": " + st.error());
    st->bind(1, std::string_view(like.name));
    st->bind(2, std::string_view(like.hostname));
    st->bind(3, std::string_view(like.root));
    st->bind(4, static_cast<std::int64_t>(n));
    if (st->step() != SQLITE_DONE) return make_unexpected(db_.path() + ": " + db_.error());
    removed = static_cast<std::size_t>(sqlite3_changes(db_.get()));
    return {};
  });
  if (!r) return make_unexpected(r.error());
  if (removed) (void)db_.exec("PRAGMA incremental_vacuum");
  return removed;
}

expected<void, std::string> Store::select_snapshot(std::int64_t id) {
  std::string sql;
  for (const auto& t : snapshot_tables())
    sql += fmt::format("DROP VIEW IF EXISTS temp.{0}; CREATE TEMP VIEW {0} AS SELECT {1} FROM main.{0} WHERE snapshot_id = {2};\n",
                       quote_identifier(t.name), column_list(t), id);
  return db_.exec(sql);
}

}  // namespace vigil::store
