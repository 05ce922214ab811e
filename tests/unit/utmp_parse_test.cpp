#include "collect/utmp_parse.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <lastlog.h>
#include <utmp.h>

#include <cstring>

using namespace vigil::collect;

namespace {
// Records built with glibc's own struct, so the parser's offsets are checked against it.
std::string record(short type, const char* user, const char* line, const char* host, std::int32_t t,
                   const char* ipv4 = nullptr) {
  struct utmp u {};
  u.ut_type = type;
  u.ut_pid = 321;
  std::strncpy(u.ut_user, user, sizeof u.ut_user);
  std::strncpy(u.ut_line, line, sizeof u.ut_line);
  std::strncpy(u.ut_host, host, sizeof u.ut_host);
  u.ut_tv.tv_sec = t;
  if (ipv4) ::inet_pton(AF_INET, ipv4, &u.ut_addr_v6[0]);
  return std::string(reinterpret_cast<const char*>(&u), sizeof u);
}
}  // namespace

TEST(Utmp, RecordSizeMatchesGlibc) { EXPECT_EQ(sizeof(struct utmp), kUtmpRecordSize); }

TEST(Utmp, FieldsOfAUserRecord) {
  auto p = parse_utmp(
      record(USER_PROCESS, "alice", "pts/0", "198.51.100.7", 1700000000, "198.51.100.7"));
  ASSERT_EQ(p.rows.size(), 1u);
  const auto& r = p.rows[0];
  EXPECT_EQ(utmp_type_name(r.type), "USER_PROCESS");
  EXPECT_EQ(r.user, "alice");
  EXPECT_EQ(r.line, "pts/0");
  EXPECT_EQ(r.host, "198.51.100.7");
  EXPECT_EQ(r.address, "198.51.100.7");
  EXPECT_EQ(r.time, 1700000000);
  EXPECT_EQ(r.pid, 321);
  EXPECT_FALSE(r.zeroed);
}

TEST(Utmp, ZeroedRecordsAndTruncatedTail) {
  std::string bytes = record(USER_PROCESS, "a", "tty1", "", 10) +
                      std::string(kUtmpRecordSize, '\0') +
                      record(DEAD_PROCESS, "", "tty1", "", 20) + std::string(100, 'x');
  auto p = parse_utmp(bytes);
  ASSERT_EQ(p.rows.size(), 3u);
  EXPECT_TRUE(p.rows[1].zeroed);
  EXPECT_EQ(p.rows[2].index, 2);
  ASSERT_EQ(p.errors.size(), 1u);
  EXPECT_NE(p.errors[0].message.find("100 trailing bytes"), std::string::npos);
}

TEST(Lastlog, RecordLayoutMatchesGlibc) {
  EXPECT_EQ(sizeof(struct lastlog), kLastlogRecordSize);
  struct lastlog l {};
  l.ll_time = 1700000123;
  std::strncpy(l.ll_line, "pts/3", sizeof l.ll_line);
  std::strncpy(l.ll_host, "203.0.113.9", sizeof l.ll_host);
  auto r = parse_lastlog_record(std::string(reinterpret_cast<const char*>(&l), sizeof l));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->time, 1700000123);
  EXPECT_EQ(r->host, "203.0.113.9");
  EXPECT_FALSE(parse_lastlog_record(std::string(kLastlogRecordSize, '\0')));
  EXPECT_FALSE(parse_lastlog_record("short"));
}
