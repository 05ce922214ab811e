// Exec events from the kernel's audit records: records captured from this kernel's audit
// netlink group (auditctl -a always,exit -S execve), joined by serial through libauparse,
// hex-encoded arguments decoded; other syscalls, failed execs and garbage give nothing.
#include <linux/audit.h>
#include <linux/netlink.h>

#include <cstring>

#include <gtest/gtest.h>

#include "watch/audit_events.hpp"
#include "watch/audit_records.hpp"

using vigil::watch::AuditAssembler;
using vigil::watch::KernelEvent;

namespace {

// As the kernel sent them (type, text), for `/tmp/x/a/upd "two words" 'q"uote' plain` and
// `/bin/echo hi`, after a connect(2) of the capturing program.
const std::vector<std::pair<int, std::string>> kRecords = {
    {1300, "audit(1796656074.932:66669): arch=c000003e syscall=49 success=yes exit=0 a0=3 a1=7ffea1d41810 a2=c "
           "a3=10 items=0 ppid=1 pid=31000 auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 "
           "tty=(none) ses=4294967295 comm=\"python3\" exe=\"/usr/bin/python3.11\" key=(null)"},
    {1306, "audit(1796656074.932:66669): saddr=1000976B0000000001000000"},
    {1320, "audit(1796656074.932:66669): "},
    {1300, "audit(1796656075.040:66670): arch=c000003e syscall=59 success=yes exit=0 a0=5652240091b0 a1=565224009850 "
           "a2=565224007240 a3=cb85ed7305c0b079 items=2 ppid=30992 pid=31042 auid=4294967295 uid=0 gid=0 euid=0 "
           "suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 comm=\"upd\" exe=\"/tmp/x/a/upd\" "
           "key=\"vigil-dev\""},
    {1321, "audit(1796656075.040:66670): fver=0 fp=0 fi=0 fe=0 old_pp=000001fffeffffff old_pi=0 "
           "old_pe=000001fffeffffff old_pa=0 pp=000001fffeffffff pi=0 pe=000001fffeffffff pa=0 frootid=0"},
    {1309, "audit(1796656075.040:66670): argc=4 a0=\"/tmp/x/a/upd\" a1=74776F20776F726473 a2=7122756F7465 "
           "a3=\"plain\""},
    {1307, "audit(1796656075.040:66670): cwd=\"/work/main\""},
    {1302, "audit(1796656075.040:66670): item=0 name=\"/tmp/x/a/upd\" inode=1234 dev=fe:01 mode=0100755 ouid=0 "
           "ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0"},
    {1327, "audit(1796656075.040:66670): proctitle=2F746D702F782F612F7570640074776F20776F726473"},
    {1320, "audit(1796656075.040:66670): "},
    {1300, "audit(1796656075.048:66671): arch=c000003e syscall=59 success=yes exit=0 a0=565224043d00 a1=565224043ce0 "
           "a2=565224007240 a3=cb85ed7305c0b079 items=2 ppid=30992 pid=31043 auid=4294967295 uid=1000 gid=0 euid=0 "
           "suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 comm=\"echo\" exe=\"/usr/bin/echo\" "
           "key=\"vigil-dev\""},
    {1309, "audit(1796656075.048:66671): argc=2 a0=\"/bin/echo\" a1=\"hi\""},
    {1307, "audit(1796656075.048:66671): cwd=\"/work/main\""},
    {1320, "audit(1796656075.048:66671): "},
};

std::vector<KernelEvent> feed_all(AuditAssembler& a, const std::vector<std::pair<int, std::string>>& records) {
  std::vector<KernelEvent> out;
  for (const auto& [type, text] : records) a.feed(type, text, out);
  return out;
}

}  // namespace

TEST(AuditRecords, ExecsAreJoinedBySerialWithTheirArgumentsDecoded) {
  AuditAssembler a;
  auto events = feed_all(a, kRecords);
  ASSERT_EQ(events.size(), 2u);  // the connect(2) is not an exec
  const auto& upd = events[0];
  EXPECT_EQ(upd.kind, KernelEvent::Kind::exec);
  EXPECT_EQ(upd.pid, 31042);
  EXPECT_EQ(upd.ppid, 30992);
  EXPECT_EQ(upd.uid, 0);
  EXPECT_EQ(upd.comm, "upd");
  EXPECT_EQ(upd.path, "/tmp/x/a/upd");
  EXPECT_EQ(upd.argv, (std::vector<std::string>{"/tmp/x/a/upd", "two words", "q\"uote", "plain"}));
  EXPECT_EQ(events[1].path, "/usr/bin/echo");
  EXPECT_EQ(events[1].uid, 1000);
  EXPECT_EQ(events[1].argv, (std::vector<std::string>{"/bin/echo", "hi"}));
  EXPECT_EQ(a.malformed(), 0u);
}

TEST(AuditRecords, InterleavedEventsFailedExecsAndALostEndOfEvent) {
  AuditAssembler a;
  auto r = kRecords;
  // A failed execve (ENOENT) is no exec.
  std::vector<std::pair<int, std::string>> failed = {
      {1300, "audit(1796656076.000:70000): arch=c000003e syscall=59 success=no exit=-2 items=1 ppid=1 pid=500 uid=0 "
             "comm=\"bash\" exe=\"/usr/bin/bash\" key=(null)"},
      {1309, "audit(1796656076.000:70000): argc=1 a0=\"nosuch\""},
      {1320, "audit(1796656076.000:70000): "}};
  auto events = feed_all(a, failed);
  EXPECT_TRUE(events.empty());
  // Two execs whose records interleave (two CPUs): both complete once both ended.
  std::vector<std::pair<int, std::string>> mixed = {
      {1300, "audit(1796656077.000:70001): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=601 uid=0 "
             "comm=\"a\" exe=\"/usr/bin/a\""},
      {1300, "audit(1796656077.000:70002): arch=c000003e syscall=322 success=yes exit=0 ppid=1 pid=602 uid=0 "
             "comm=\"b\" exe=\"/usr/bin/b\""},
      {1309, "audit(1796656077.000:70001): argc=2 a0=\"a\" a1=\"-x\""},
      {1320, "audit(1796656077.000:70001): "},
      {1309, "audit(1796656077.000:70002): argc=1 a0=\"b\""}};
  events = feed_all(a, mixed);
  EXPECT_LE(events.size(), 1u);  // 70002 is not complete
  for (auto& e : feed_all(a, {{1320, "audit(1796656077.000:70002): "}})) events.push_back(std::move(e));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].pid, 601);
  EXPECT_EQ(events[0].argv, (std::vector<std::string>{"a", "-x"}));
  EXPECT_EQ(events[1].pid, 602);  // execveat counts
  EXPECT_EQ(events[1].argv, (std::vector<std::string>{"b"}));
  // An exec whose end was lost is still given, once the wait is over.
  events = feed_all(a, {{1300, "audit(1796656078.000:70003): arch=c000003e syscall=59 success=yes exit=0 ppid=1 "
                               "pid=603 uid=0 comm=\"c\" exe=\"/usr/bin/c\""}});
  EXPECT_TRUE(events.empty());
  a.age(events, true);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].pid, 603);
  EXPECT_EQ(events[0].argv, (std::vector<std::string>{"c"}));  // no EXECVE record: its name
}

TEST(AuditRecords, GarbageAndForeignRecordsGiveNothingAndNeverCrash) {
  AuditAssembler a;
  std::vector<KernelEvent> out;
  a.feed(1300, "", out);
  a.feed(1300, "not an audit record", out);
  a.feed(1300, std::string("audit(1.0:1): syscall=59 success=yes pid=\0 exe=\"/x\"", 50), out);
  a.feed(1309, "audit(garbage", out);
  a.feed(9999, "audit(1.0:2): whatever", out);
  a.feed(1300, "audit(1796656078.000:3): arch=c000003e syscall=59 success=yes exe=\"relative\" pid=7", out);
  a.feed(1320, "audit(1796656078.000:3): ", out);
  a.age(out, true);
  EXPECT_TRUE(out.empty());
  EXPECT_GE(a.malformed(), 1u);  // an exec without an absolute program
}

TEST(AuditRecords, DatagramsAndRuleListsAreRead) {
  std::string d;
  for (const auto& [type, text] : std::vector<std::pair<int, std::string>>{{1309, "audit(1.0:1): argc=1 a0=\"x\""},
                                                                          {1320, "audit(1.0:1): "}}) {
    nlmsghdr h{};
    h.nlmsg_len = static_cast<std::uint32_t>(NLMSG_LENGTH(text.size()));
    h.nlmsg_type = static_cast<std::uint16_t>(type);
    std::string rec(NLMSG_ALIGN(h.nlmsg_len), '\0');
    std::memcpy(rec.data(), &h, sizeof h);
    std::memcpy(rec.data() + NLMSG_HDRLEN, text.data(), text.size());
    d += rec;
  }
  auto records = vigil::watch::parse_audit_datagram(d);
  ASSERT_TRUE(records) << records.error();
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[0].type, 1309);
  EXPECT_EQ((*records)[0].text, "audit(1.0:1): argc=1 a0=\"x\"");
  EXPECT_FALSE(vigil::watch::parse_audit_datagram(d.substr(0, 20)));

  audit_rule_data rule{};
  rule.flags = AUDIT_FILTER_EXIT;
  rule.action = AUDIT_ALWAYS;
  rule.mask[1] = 1u << (59 - 32);  // execve
  std::string bytes(reinterpret_cast<const char*>(&rule), sizeof rule);
  EXPECT_TRUE(vigil::watch::rules_record_execve({bytes}));
  rule.mask[1] = 1u << (49 - 32);  // bind only
  EXPECT_FALSE(vigil::watch::rules_record_execve({std::string(reinterpret_cast<const char*>(&rule), sizeof rule)}));
  rule.mask[1] = 1u << (59 - 32);
  rule.action = 1;  // never
  EXPECT_FALSE(vigil::watch::rules_record_execve({std::string(reinterpret_cast<const char*>(&rule), sizeof rule)}));
  EXPECT_FALSE(vigil::watch::rules_record_execve({"short"}));
}
