// vigil watch's event tables: rows kept across reopening (a daemon killed and restarted),
// pruned by age and by count, a foreign file refused, and `vigil query` reading them through
// the attached file (or, to compile a statement, empty tables of the same shape).
#include <gtest/gtest.h>

#include "store/event_store.hpp"
#include "store/query.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"

using namespace vigil;
using namespace vigil::testing;

namespace {

store::ProcessEventRow exec_at(std::int64_t time, std::int64_t pid, std::string exe) {
  store::ProcessEventRow r;
  r.time = time;
  r.pid = pid;
  r.executable = std::move(exe);
  r.cmdline = r.executable + " --flag";
  r.source = "bpf";
  return r;
}

store::SocketEventRow connect_at(std::int64_t time, std::int64_t pid, std::string ip, std::int64_t port) {
  store::SocketEventRow r;
  r.time = time;
  r.action = "connect";
  r.pid = pid;
  r.protocol = "tcp";
  r.remote_address = std::move(ip);
  r.remote_port = port;
  return r;
}

}  // namespace

TEST(EventStore, RowsSurviveReopeningAndAreQueryableAsTables) {
  TempDir dir;
  const std::string path = dir / "events.db";
  {
    auto s = store::EventStore::open(path);
    ASSERT_TRUE(s) << s.error();
    ASSERT_TRUE(s->append({exec_at(1000, 10, "/tmp/x"), exec_at(1001, 11, "/usr/bin/id")},
                          {connect_at(1001, 10, "10.0.0.5", 4444)}));
  }  // closed without anything more, as a daemon killed after its last write
  auto s = store::EventStore::open(path);
  ASSERT_TRUE(s) << s.error();
  EXPECT_EQ(*s->count("process_events"), 2);
  EXPECT_EQ(*s->count("socket_events"), 1);

  auto q = store::Store::open_memory();
  ASSERT_TRUE(q);
  ASSERT_TRUE(store::attach_event_tables(q->db(), path));
  auto r = store::run_query(q->db(),
                            "SELECT p.executable, s.remote_port FROM process_events p JOIN socket_events s USING (pid)");
  ASSERT_TRUE(r) << r.error();
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_EQ(std::get<std::string>(r->rows[0][0]), "/tmp/x");
  EXPECT_EQ(std::get<std::int64_t>(r->rows[0][1]), 4444);
  // Queries read; they cannot change what the daemon recorded.
  EXPECT_FALSE(store::run_query(q->db(), "DELETE FROM vigil_events.process_events"));
}

TEST(EventStore, PrunesRowsOlderThanTheRetentionAndBeyondTheRowLimit) {
  TempDir dir;
  auto s = store::EventStore::open(dir / "events.db");
  ASSERT_TRUE(s);
  std::vector<store::ProcessEventRow> rows;
  for (int i = 0; i < 5000; ++i) rows.push_back(exec_at(10'000 + i, i, "/usr/bin/true"));
  ASSERT_TRUE(s->append(rows, {connect_at(100, 1, "127.0.0.1", 80)}));
  // Nothing is old enough and 5,000 rows fit: nothing goes.
  auto gone = s->prune(10'000 + 5000, {86'400, 1'000'000});
  ASSERT_TRUE(gone);
  EXPECT_EQ(*gone, 0);
  // An hour's retention at t = 10,000 + 3,600 + 1,000 keeps the rows of the last hour.
  gone = s->prune(10'000 + 3'600 + 1'000, {3'600, 1'000'000});
  ASSERT_TRUE(gone);
  EXPECT_EQ(*s->count("process_events"), 4000);
  EXPECT_EQ(*s->count("socket_events"), 0);  // time 100: long gone
  // At most 1,500 rows: the newest stay.
  ASSERT_TRUE(s->prune(10'000 + 5'000, {86'400, 1'500}));
  EXPECT_EQ(*s->count("process_events"), 1500);
  auto q = store::Store::open_memory();
  ASSERT_TRUE(store::attach_event_tables(q->db(), s->path()));
  auto r = store::run_query(q->db(), "SELECT min(pid), max(pid) FROM process_events");
  ASSERT_TRUE(r);
  EXPECT_EQ(std::get<std::int64_t>(r->rows[0][0]), 3500);
  EXPECT_EQ(std::get<std::int64_t>(r->rows[0][1]), 4999);
}

TEST(EventStore, RefusesAFileThatIsNotItsOwn) {
  TempDir dir;
  const std::string foreign = dir / "foreign.db";
  {
    auto db = store::Database::open(foreign, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->exec("CREATE TABLE notes(x TEXT); INSERT INTO notes VALUES('mine')"));
  }
  auto before = slurp(foreign);
  auto s = store::EventStore::open(foreign);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().find("not vigil's events file"), std::string::npos) << s.error();
  EXPECT_EQ(slurp(foreign), before);
  auto q = store::Store::open_memory();
  auto a = store::attach_event_tables(q->db(), foreign);
  ASSERT_FALSE(a);
  EXPECT_NE(a.error().find("not vigil's events file"), std::string::npos) << a.error();
  a = store::attach_event_tables(q->db(), dir / "missing.db");
  ASSERT_FALSE(a);
  EXPECT_NE(a.error().find("vigil watch keeps"), std::string::npos) << a.error();
  EXPECT_FALSE(std::filesystem::exists(dir / "missing.db"));  // attaching never creates it
}

TEST(EventStore, StatementsNamingEventTablesAreToldApartFromSnapshotTables) {
  auto t = store::statement_reads(
      "SELECT e.executable, s.local_port FROM process_events e JOIN sockets s USING (pid)");
  ASSERT_TRUE(t) << t.error();
  EXPECT_EQ(t->tables, (std::set<std::string, std::less<>>{"sockets"}));
  EXPECT_EQ(t->events, (std::set<std::string, std::less<>>{"process_events"}));
  t = store::statement_reads("SELECT count(*) FROM socket_events WHERE action = 'connect'");
  ASSERT_TRUE(t) << t.error();
  EXPECT_TRUE(t->tables.empty());
  EXPECT_EQ(t->events, (std::set<std::string, std::less<>>{"socket_events"}));
}
