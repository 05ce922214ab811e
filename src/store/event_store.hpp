// Where vigil watch keeps its process and socket events (event_tables.hpp): an SQLite file of
// its own in the state directory (WAL; the daemon writes it in one transaction a second, so
// `kill -9` loses at most the events of that second and never a committed one), pruned by
// age and by row count. A file apart from the snapshot store: a stream of inserts and
// deletions does not bloat or lock the snapshots, and the daemon writes only where its
// state is. `vigil query` reads the tables through attach_event_tables.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/expected.hpp"
#include "store/event_tables.hpp"
#include "store/schema.hpp"
#include "store/sqlite.hpp"

namespace vigil::store {

struct EventRetention {
  std::int64_t keep_seconds = 7 * 86'400;  // rows older than this go
  std::int64_t max_rows = 1'000'000;       // per table; the oldest go first
};

class EventStore {
 public:
  // Opens (creating, readable by its owner only) the events file at `path`; a file that is
  // not one is refused.
  static expected<EventStore, std::string> open(const std::string& path);

  // Appends the rows in one transaction.
  expected<void, std::string> append(const std::vector<ProcessEventRow>& processes,
                                     const std::vector<SocketEventRow>& sockets);
  // Deletes what the retention no longer keeps; returns how many rows went.
  expected<std::int64_t, std::string> prune(std::int64_t now, const EventRetention& keep);
  expected<std::int64_t, std::string> count(std::string_view table);
  const std::string& path() const { return db_.path(); }

 private:
  explicit EventStore(Database db) : db_(std::move(db)) {}
  Database db_;
};

// The schema name the event file is attached under in a query's connection.
inline constexpr std::string_view kEventSchema = "vigil_events";

// Makes `process_events` and `socket_events` readable in `db` (temporary views over the file
// at `path`, attached); with an empty path, empty tables of the same shape (to compile a
// statement, or when no daemon has written any). A file that is not vigil's events is refused.
expected<void, std::string> attach_event_tables(Database& db, const std::string& path);

// The event tables' names.
bool is_event_table(std::string_view name);

}  // namespace vigil::store
