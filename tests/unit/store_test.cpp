// The store: generated schema, round trips, migrations, refusal of foreign files, retention.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "report/ecs.hpp"
#include "store/query.hpp"
#include "store/schema.hpp"
#include "store/store.hpp"
#include "support/snapshot_builder.hpp"
#include "support/temp_dir.hpp"

using namespace vigil;
using namespace vigil::testing;

namespace {

collect::Snapshot sample_snapshot() {
  auto s = empty_snapshot();
  s.processes.push_back(process(10, "/usr/sbin/sshd", {"/usr/sbin/sshd", "-D"}, "openssh-server"));
  auto self = process(11, "/usr/bin/vigil", {"vigil", "snapshot"});
  self.self = true;
  s.processes.push_back(self);
  s.sockets.push_back(socket("tcp", "LISTEN", "0.0.0.0", 22, 10));
  collect::UserRow u;
  u.name = "alice";
  u.uid = 1000;
  u.shell = "/bin/bash";
  u.login_shell = true;
  u.gecos = "Alice \"quote\" ünïcode";
  s.accounts.users.push_back(u);
  collect::InterfaceRow i;
  i.name = "eth0";
  i.index = 2;
  i.promiscuous = true;
  s.interfaces.push_back(i);
  collect::FileCheckRow f;
  f.check = "setuid";
  f.path = "/tmp/x\nnewline";
  f.mode = 04755;
  s.file_checks.push_back(f);
  s.tables = {"processes", "sockets", "users", "interfaces", "file_checks"};
  return s;
}

}  // namespace

TEST(StoreSchema, EveryTableIsGeneratedWithQuotedColumns) {
  const auto& tables = store::snapshot_tables();
  EXPECT_EQ(tables.size(), collect::all_table_names().size());
  for (const auto& t : tables) {
    auto sql = store::create_table_sql(t);
    EXPECT_NE(sql.find("snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE"), std::string::npos);
    for (const auto& c : t.columns) EXPECT_NE(sql.find("\"" + std::string(c.name) + "\""), std::string::npos) << c.name;
  }
  // Keywords as column names ("index", "check") work because every identifier is quoted.
  EXPECT_EQ(store::quote_identifier("in\"dex"), "\"in\"\"dex\"");
}

TEST(Store, SavesAndLoadsEveryColumnExceptVigilsOwnProcess) {
  TempDir dir;
  auto db = store::Store::open(dir / "v.db", live_root());
  ASSERT_TRUE(db) << db.error();
  auto s = sample_snapshot();
  auto id = db->save(s, "baseline");
  ASSERT_TRUE(id) << id.error();
  auto info = db->find("baseline");
  ASSERT_TRUE(info && *info);
  EXPECT_EQ((*info)->rows, 5);  // 1 process (not vigil), 1 socket, 1 user, 1 interface, 1 file check
  auto back = db->load(**info);
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(back->tables, s.tables);
  ASSERT_EQ(back->processes.size(), 1u);
  EXPECT_EQ(report::row_to_json(back->processes[0]), report::row_to_json(s.processes[0]));
  EXPECT_EQ(report::table_to_json(back->sockets), report::table_to_json(s.sockets));
  EXPECT_EQ(report::table_to_json(back->accounts.users), report::table_to_json(s.accounts.users));
  EXPECT_EQ(report::table_to_json(back->interfaces), report::table_to_json(s.interfaces));
  EXPECT_EQ(report::table_to_json(back->file_checks), report::table_to_json(s.file_checks));
  EXPECT_EQ(back->host.hostname, "test");
  EXPECT_EQ(back->host.collected_at, 1700000000);
  EXPECT_FALSE(back->has("persistence"));  // not collected is not "empty"
}

TEST(Store, ReopensAndFindsByNumberOrNewestName) {
  TempDir dir;
  {
    auto db = store::Store::open(dir / "v.db", live_root());
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->save(sample_snapshot(), "a"));
    ASSERT_TRUE(db->save(sample_snapshot(), "a"));
    ASSERT_TRUE(db->save(sample_snapshot(), "b"));
  }
  auto db = store::Store::open(dir / "v.db", live_root());
  ASSERT_TRUE(db) << db.error();
  auto a = db->find("a");
  ASSERT_TRUE(a && *a);
  EXPECT_EQ((*a)->id, 2);
  auto one = db->find("1");
  ASSERT_TRUE(one && *one);
  EXPECT_EQ((*one)->name, "a");
  auto none = db->find("zzz");
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  EXPECT_EQ(db->list()->size(), 3u);
  EXPECT_EQ(db->list("a")->size(), 2u);
}

TEST(Store, KeepAndDeleteRemoveSnapshotsAndTheirRows) {
  TempDir dir;
  auto db = store::Store::open(dir / "v.db", live_root());
  ASSERT_TRUE(db);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(db->save(sample_snapshot(), "daily"));
  ASSERT_TRUE(db->save(sample_snapshot(), "other"));
  auto newest = db->find("daily");
  auto gone = db->keep(**newest, 2);
  ASSERT_TRUE(gone);
  EXPECT_EQ(*gone, 2u);
  EXPECT_EQ(db->list("daily")->size(), 2u);
  EXPECT_EQ(db->list("other")->size(), 1u);
  EXPECT_EQ(*db->db().scalar("SELECT count(*) FROM processes"), 3);  // cascaded
  EXPECT_EQ(*db->remove("other"), 1u);
  EXPECT_EQ(*db->remove("3"), 1u);
  EXPECT_EQ(*db->remove("nothing"), 0u);
  EXPECT_EQ(db->list()->size(), 1u);
  EXPECT_EQ(*db->db().scalar("SELECT count(*) FROM users"), 1);
}

TEST(Store, NewStoreIsWalWithVersionAndApplicationId) {
  TempDir dir;
  auto db = store::Store::open(dir / "v.db", live_root());
  ASSERT_TRUE(db);
  auto mode = db->db().prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode);
  ASSERT_EQ(mode->step(), SQLITE_ROW);
  EXPECT_EQ(mode->text(0), "wal");
  EXPECT_EQ(*db->db().scalar("PRAGMA user_version"), 4);
  EXPECT_EQ(*db->db().scalar("PRAGMA application_id"), 0x5669676c);
}

TEST(Store, OlderStoreGainsNewColumnsAndKeepsItsRows) {
  TempDir dir;
  {
    auto db = store::Store::open(dir / "v.db", live_root());
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->save(sample_snapshot(), "old"));
    // As if written by a vigil whose users table had no hash_scheme column yet.
    ASSERT_TRUE(db->db().exec("ALTER TABLE users DROP COLUMN hash_scheme"));
  }
  auto db = store::Store::open(dir / "v.db", live_root());
  ASSERT_TRUE(db) << db.error();
  auto info = db->find("old");
  auto back = db->load(**info);
  ASSERT_TRUE(back) << back.error();
  ASSERT_EQ(back->accounts.users.size(), 1u);
  EXPECT_EQ(back->accounts.users[0].name, "alice");
  EXPECT_EQ(back->accounts.users[0].hash_scheme, "");
}

TEST(Store, RefusesForeignAndCorruptFilesWithoutWritingThem) {
  TempDir dir;
  auto garbage = dir.write("garbage.db", std::string(4096, '\x5a'));
  auto r = store::Store::open(garbage, live_root());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("not a vigil store"), std::string::npos) << r.error();
  EXPECT_EQ(slurp(garbage), std::string(4096, '\x5a'));

  std::string foreign = dir / "foreign.db";
  {
    auto db = store::Database::open(foreign, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->exec("CREATE TABLE notes(x TEXT); INSERT INTO notes VALUES('mine')"));
  }
  auto before = slurp(foreign);
  r = store::Store::open(foreign, live_root());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("another program"), std::string::npos) << r.error();
  EXPECT_EQ(slurp(foreign), before);

  std::string newer = dir / "newer.db";
  {
    auto db = store::Store::open(newer, live_root());
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->db().exec("PRAGMA user_version = 99"));
  }
  r = store::Store::open(newer, live_root());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("newer vigil"), std::string::npos) << r.error();

  r = store::Store::open(dir / "no/such/dir/v.db", live_root());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("does not exist"), std::string::npos) << r.error();
}

TEST(Store, EmptyFileBecomesAStore) {
  TempDir dir;
  auto empty = dir.write("empty.db", "");
  auto db = store::Store::open(empty, live_root());
  ASSERT_TRUE(db) << db.error();
  EXPECT_TRUE(db->save(sample_snapshot(), "x"));
}

TEST(Query, FindsTheTablesAStatementReads) {
  auto t = store::statement_reads(
      "SELECT s.local_port, p.executable FROM sockets s JOIN processes p USING (pid) WHERE s.state = 'LISTEN'");
  ASSERT_TRUE(t) << t.error();
  EXPECT_EQ(t->tables, (std::set<std::string, std::less<>>{"processes", "sockets"}));
  EXPECT_TRUE(t->columns.contains("executable"));
  EXPECT_TRUE(t->columns.contains("state"));
  EXPECT_FALSE(t->columns.contains("package"));
  t = store::statement_reads("WITH u AS (SELECT name FROM users) SELECT count(*) FROM u");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->tables, (std::set<std::string, std::less<>>{"users"}));
  t = store::statement_reads("SELECT * FROM processes");
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->columns.contains("package"));
  auto bad = store::statement_reads("SELECT * FROM no_such_table");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("vigil query --tables"), std::string::npos);
  EXPECT_FALSE(store::statement_reads("SELEC nonsense"));
}

TEST(Query, RunsOneReadOnlyStatementOverTheSelectedSnapshot) {
  auto db = store::Store::open_memory();
  ASSERT_TRUE(db);
  auto first = db->save(sample_snapshot(), "one");
  auto s2 = sample_snapshot();
  s2.accounts.users[0].name = "bob";
  auto second = db->save(s2, "two");
  ASSERT_TRUE(first && second);
  ASSERT_TRUE(db->select_snapshot(*first));
  auto r = store::run_query(db->db(), "SELECT name, uid, login_shell FROM users");
  ASSERT_TRUE(r) << r.error();
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_EQ(std::get<std::string>(r->rows[0][0]), "alice");
  EXPECT_EQ(std::get<std::int64_t>(r->rows[0][2]), 1);
  ASSERT_TRUE(db->select_snapshot(*second));
  r = store::run_query(db->db(), "SELECT name FROM users;  ");
  ASSERT_TRUE(r);
  EXPECT_EQ(std::get<std::string>(r->rows[0][0]), "bob");
  r = store::run_query(db->db(), "SELECT \"index\", name FROM interfaces");
  ASSERT_TRUE(r) << r.error();

  EXPECT_FALSE(store::run_query(db->db(), "DELETE FROM users"));  // a view
  auto refused = store::run_query(db->db(), "DELETE FROM main.users");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().find("only read"), std::string::npos) << refused.error();
  EXPECT_EQ(*db->db().scalar("SELECT count(*) FROM main.users"), 2);
  EXPECT_FALSE(store::run_query(db->db(), "SELECT 1; SELECT 2"));
  EXPECT_FALSE(store::run_query(db->db(), "ATTACH '/tmp/vigil-attach-test.db' AS x"));
  EXPECT_FALSE(std::filesystem::exists("/tmp/vigil-attach-test.db"));
}
