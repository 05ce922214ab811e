#include "collect/proc_parse.hpp"

#include <gtest/gtest.h>

using namespace vigil::collect;

namespace {
const std::string kStat =
    "4242 (evil) (name)) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 98765 1000 200 "
    "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n";
}

TEST(ProcStat, CommWithSpacesAndParentheses_IsReadToTheLastParen) {
  auto st = parse_proc_stat(kStat);
  ASSERT_TRUE(st) << st.error();
  EXPECT_EQ(st->pid, 4242);
  EXPECT_EQ(st->comm, "evil) (name)");
  EXPECT_EQ(st->state, 'S');
  EXPECT_EQ(st->ppid, 1);
  EXPECT_EQ(st->tty_nr, 0);  // no controlling terminal
  auto on_tty = parse_proc_stat("7 (bash) S 1 7 7 34816 7 4194560 1 0 0 0 0 0 0 0 20 0 1 0 5 1 1 1 1 1 0 0 0\n");
  ASSERT_TRUE(on_tty) << on_tty.error();
  EXPECT_EQ(on_tty->tty_nr, 34816);  // /dev/pts/0
  EXPECT_EQ(st->start_ticks, 98765u);
  EXPECT_EQ(st->flags & kPfKthread, 0u);
}

TEST(ProcStat, MalformedInputs_AreErrorsNotCrashes) {
  for (std::string bad : {"", "1234", "1234 (x", "x (y) S", "12 (y) S 1 2 3",
                          "12 (y) SS 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20"})
    EXPECT_FALSE(parse_proc_stat(bad)) << bad;
}

TEST(ProcStatus, RealUidIsTheFirstUidField) {
  EXPECT_EQ(parse_status_uid("Name:\tx\nUid:\t1000\t0\t0\t0\n").value(), 1000);
  EXPECT_FALSE(parse_status_uid("Name:\tx\n"));
  EXPECT_FALSE(parse_status_uid("Uid:\tabc\n"));
}

TEST(Cmdline, NulSeparatedArguments) {
  auto argv =
      parse_cmdline(std::string("nc\0-l\0-p\0"
                                "3349\0",
                                14));
  ASSERT_EQ(argv.size(), 4u);
  EXPECT_EQ(argv[0], "nc");
  EXPECT_EQ(argv[3], "3349");
  EXPECT_TRUE(parse_cmdline("").empty());
  EXPECT_EQ(parse_cmdline(std::string("a\0\0b\0", 5)).size(), 3u);  // an empty argument is kept
}

TEST(ExeLink, DeletedAndMemfdMarkers) {
  auto d = parse_exe_link("/tmp/.x/kworker (deleted)");
  EXPECT_TRUE(d.deleted);
  EXPECT_FALSE(d.memfd);
  EXPECT_EQ(d.path, "/tmp/.x/kworker");
  auto m = parse_exe_link("/memfd:payload (deleted)");
  EXPECT_TRUE(m.memfd);
  auto plain = parse_exe_link("/usr/bin/bash");
  EXPECT_FALSE(plain.deleted);
  EXPECT_EQ(parse_ns_link("net:[4026531840]"), 4026531840u);
  EXPECT_EQ(parse_ns_link("garbage"), 0u);
}
