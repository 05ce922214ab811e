// The events file.
#include "store/event_store.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include "store/rows.hpp"

namespace vigil::store {

namespace {

// PRAGMA application_id of vigil's events file: "VigE".
constexpr std::int64_t kEventsApplicationId = 0x56696745;

template <class Row>
const TableSql& event_table() {
  static const TableSql t = table_sql<Row>("", "");
  return t;
}

template <class Row>
expected<void, std::string> insert_rows(Database& db, const std::vector<Row>& rows) {
  if (rows.empty()) return {};
  auto insert = db.prepare(insert_sql(event_table<Row>()));
  if (!insert) return make_unexpected(insert.error());
  for (const auto& row : rows) {
    bind_row(*insert, 1, row);
    if (insert->step() != SQLITE_DONE) return make_unexpected(db.error());
    insert->reset();
  }
  return {};
}

}  // namespace

bool is_event_table(std::string_view name) {
  bool found = false;
  for_each_event_table_type([&]<class Row>(std::string_view) { found = found || Row::kTable == name; });
  return found;
}

expected<EventStore, std::string> EventStore::open(const std::string& path) {
  mode_t old_mask = ::umask(077);  // command lines and users
  auto db = Database::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX);
  ::umask(old_mask);
  if (!db) return make_unexpected(db.error());
  auto id = db->scalar("PRAGMA application_id");
  if (!id) return make_unexpected(id.error());
  auto tables = db->scalar("SELECT count(*) FROM sqlite_schema");
  if (!tables) return make_unexpected(tables.error());
  if (*id != kEventsApplicationId && *tables > 0)
    return make_unexpected(path + ": not vigil's events file (another SQLite database); give events.store another path");
  if (*tables == 0)
    if (auto r = db->exec(fmt::format("PRAGMA auto_vacuum = INCREMENTAL; PRAGMA application_id = {}", kEventsApplicationId));
        !r)
      return make_unexpected(r.error());
  if (auto r = db->exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;"); !r)
    return make_unexpected(r.error());
  auto r = db->transaction([&]() -> expected<void, std::string> {
    expected<void, std::string> out;
    for_each_event_table_type([&]<class Row>(std::string_view) {
      if (out) out = reconcile_table(*db, event_table<Row>());
    });
    return out;
  });
  if (!r) return make_unexpected(r.error());
  return EventStore(std::move(*db));
}

expected<void, std::string> EventStore::append(const std::vector<ProcessEventRow>& processes,
                                               const std::vector<SocketEventRow>& sockets) {
  if (processes.empty() && sockets.empty()) return {};
  auto r = db_.transaction([&]() -> expected<void, std::string> {
    if (auto p = insert_rows(db_, processes); !p) return p;
    return insert_rows(db_, sockets);
  });
  if (!r) return make_unexpected(path() + ": " + r.error());
  return {};
}

expected<std::int64_t, std::string> EventStore::prune(std::int64_t now, const EventRetention& keep) {
  std::int64_t gone = 0;
  auto r = db_.transaction([&]() -> expected<void, std::string> {
    expected<void, std::string> out;
    for_each_event_table_type([&]<class Row>(std::string_view) {
      if (!out) return;
      const auto table = quote_identifier(Row::kTable);
      // Rows are appended in time order, so the oldest have the lowest rowids.
      for (const auto& sql : {fmt::format("DELETE FROM {} WHERE time < {}", table, now - keep.keep_seconds),
                              fmt::format("DELETE FROM {0} WHERE rowid <= (SELECT max(rowid) FROM {0}) - {1}", table,
                                          keep.max_rows)}) {
        if (out = db_.exec(sql); !out) return;
        gone += sqlite3_changes(db_.get());
      }
    });
    return out;
  });
  if (!r) return make_unexpected(r.error());
  if (gone > 0) (void)db_.exec("PRAGMA incremental_vacuum");
  return gone;
}

expected<std::int64_t, std::string> EventStore::count(std::string_view table) {
  return db_.scalar(fmt::format("SELECT count(*) FROM {}", quote_identifier(table)));
}

expected<void, std::string> attach_event_tables(Database& db, const std::string& path) {
  if (path.empty()) {
    if (auto r = db.exec(fmt::format("ATTACH ':memory:' AS {}", kEventSchema)); !r) return r;
    expected<void, std::string> out;
    for_each_event_table_type([&]<class Row>(std::string_view) {
      if (out) out = db.exec(create_table_sql(event_table<Row>(), kEventSchema));
    });
    if (!out) return out;
  } else {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || st.st_size == 0)
      return make_unexpected(fmt::format(
          "no events at {}: vigil watch keeps process and socket events there (events.store; see docs/WATCH.md)", path));
    if (!S_ISREG(st.st_mode)) return make_unexpected(path + ": not a regular file");
    auto attach = db.prepare(fmt::format("ATTACH ?1 AS {}", kEventSchema));
    if (!attach) return make_unexpected(path + ": " + attach.error());
    attach->bind(1, std::string_view(path));
    if (attach->step() != SQLITE_DONE) return make_unexpected(path + ": " + db.error());
    auto id = db.scalar(fmt::format("PRAGMA {}.application_id", kEventSchema));
    if (!id || *id != kEventsApplicationId) {
      (void)db.exec(fmt::format("DETACH {}", kEventSchema));
      return make_unexpected(path + ": not vigil's events file" + (id ? std::string() : " (" + id.error() + ")"));
    }
  }
  expected<void, std::string> out;
  for_each_event_table_type([&]<class Row>(std::string_view) {
    if (out)
      out = db.exec(fmt::format("CREATE TEMP VIEW IF NOT EXISTS {0} AS SELECT * FROM {1}.{0}", quote_identifier(Row::kTable),
                                kEventSchema));
  });
  return out;
}

}  // namespace vigil::store
