// The streaming log pieces: the line cutter holding half lines, the engine's live events,
// idle closing, window eviction and its saved state (the whole-file contract is in
// tests/e2e/logs_stream_test.cpp).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/host_files.hpp"
#include "logs/engine.hpp"
#include "logs/line_cutter.hpp"
#include "logs/line_sieve.hpp"
#include "support/temp_dir.hpp"

using namespace vigil;
using namespace vigil::logs;

namespace {

const LogRules& auth_rules() {
  static const LogRules rules = load_log_rules({default_rules_dir() + "/logs/auth"});
  return rules;
}

std::string failure(int second, const std::string& ip, int minute = 0) {
  char t[16];
  std::snprintf(t, sizeof t, "%02d:%02d", minute, second);
  return "Nov 17 10:" + std::string(t) + " h sshd[9]: Failed password for root from " + ip + " port 4 ssh2";
}

SourceCursor syslog_cursor() {
  SourceCursor c;
  c.year = {2024, 12};
  c.detect("Nov 17 10:00:00 h sshd[9]: x\n");
  return c;
}

std::vector<std::string> rules_of(const Findings& fs) {
  std::vector<std::string> out;
  for (const auto& f : fs) out.push_back(f.rule);
  return out;
}

}  // namespace

TEST(LineCutter, HoldsAHalfLineUntilItsNewlineArrives_AndNumbersLines) {
  std::vector<Block> blocks;
  LineCutter cut(0, {}, [&](Block&& b) { blocks.push_back(std::move(b)); });
  cut.feed("one\ntw");
  cut.flush();
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].data, "one\n");
  EXPECT_EQ(blocks[0].first_line, 1u);
  EXPECT_EQ(cut.pending(), 2u);  // "tw" waits
  cut.flush();
  EXPECT_EQ(blocks.size(), 1u);  // nothing whole to give
  cut.feed("o\nthree");
  cut.flush();
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[1].data, "two\n");
  EXPECT_EQ(blocks[1].first_line, 2u);
  cut.finish();  // the end of the file: the last line counts without its newline
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_EQ(blocks[2].data, "three\n");
  EXPECT_EQ(blocks[2].first_line, 3u);
  EXPECT_EQ(cut.pending(), 0u);
}

TEST(LineCutter, AnOverLongLineIsCutNotedAndTheNextLineIsWhole) {
  std::vector<Block> blocks;
  std::vector<std::string> notes;
  ReadLimits limits;
  limits.max_line = 8;
  LineCutter cut(0, limits, [&](Block&& b) { blocks.push_back(std::move(b)); },
                 [&](std::string n) { notes.push_back(std::move(n)); });
  cut.feed("0123456789");  // over the limit before its newline arrives
  cut.feed("abc\nok\n");
  cut.finish();
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].data, "01234567\nok\n");
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("line 1: longer than 8 bytes"), std::string::npos) << notes[0];
}

TEST(LineSieve, BinaryLinesAreLeftOutAndTheNextLinesKeepTheirNumbers) {
  std::vector<Block> blocks;
  LineCutter cut(0, {}, [&](Block&& b) { blocks.push_back(std::move(b)); });
  LineSieve sieve(cut);
  std::string noise = "\x01\x02\x03\xff\xfe\x80zz\n\x04\x05\x06\x07\n";  // two binary lines
  sieve.feed("one\ntwo");
  sieve.feed("!" + noise + "short\n" + std::string(5, '\0') + "three, after the binary data\n");
  sieve.finish();
  cut.finish();
  std::string all;
  for (const auto& b : blocks) all += std::to_string(b.first_line) + ":" + b.data;
  // Line 2 ("two!" and binary) keeps its text part; lines 3 and 4 ("short" is too short to end
  // a binary run) are left out; line 5 is text again, its NUL bytes dropped.
  EXPECT_EQ(all, "1:one\ntwo\n5:three, after the binary data\n");
  EXPECT_EQ(sieve.counts().regions, 1u);
  EXPECT_EQ(sieve.counts().nul_bytes, 5u);
  EXPECT_GT(sieve.counts().binary_bytes, 0u);
}

TEST(LogEngine, TheBruteForceIsALiveEventWhenItCrossesItsThreshold_AndACleanSourceIsQuiet) {
  LogEngine engine(auth_rules());
  std::vector<Finding> events;
  engine.on_event([&](const Finding& f) { events.push_back(f); });
  auto cursor = syslog_cursor();
  for (int i = 0; i < 4; ++i) engine.feed(cursor, failure(i, "203.0.113.9"), "auth.log");
  engine.feed(cursor, failure(10, "10.0.0.5"), "auth.log");
  EXPECT_TRUE(events.empty()) << "four failures are below the threshold of five";
  engine.feed(cursor, failure(5, "203.0.113.9"), "auth.log");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].rule, "logs.auth-brute-force");
  EXPECT_EQ(events[0].get("source.ip"), "203.0.113.9");
  EXPECT_EQ(events[0].get("log.file.line"), "6");
  // The summary at the end counts it once more, as one finding with the same fingerprint.
  auto all = engine.finish();
  auto it = std::find_if(all.begin(), all.end(), [](const Finding& f) { return f.rule == "logs.auth-brute-force"; });
  ASSERT_NE(it, all.end());
  EXPECT_EQ(it->fingerprint(), events[0].fingerprint());
  for (const auto& f : all) EXPECT_NE(f.get("source.ip"), "10.0.0.5") << f.rule;
}

TEST(LogEngine, FlushEvictsClosedWindowsWithoutChangingTheResult) {
  auto run = [](bool flush) {
    LogEngine engine(auth_rules());
    auto cursor = syslog_cursor();
    for (int i = 0; i < 4; ++i) engine.feed(cursor, failure(i, "203.0.113.9"), "auth.log");
    if (flush) {
      engine.flush(engine.latest() + 20 * 60);  // the 10-minute window and the slack are over
      EXPECT_EQ(engine.size().windows, 1u);     // the 24-hour count (the slow guesser's) stays
      engine.flush(engine.latest() + 25 * 3600);
      EXPECT_EQ(engine.size().windows, 0u);
    }
    engine.feed(cursor, failure(0, "203.0.113.9", 40), "auth.log");  // 40 minutes later
    return rules_of(engine.finish());
  };
  EXPECT_EQ(run(true), run(false));
}

TEST(LogEngine, IdleCloseGivesTheFinalFindingsAndForgetsTheSource) {
  EngineOptions o;
  o.idle_close = 600;
  LogEngine engine(auth_rules(), o);
  auto cursor = syslog_cursor();
  for (int i = 0; i < 7; ++i) engine.feed(cursor, failure(i, "198.51.100.7"), "auth.log");
  EXPECT_TRUE(engine.flush(engine.latest() + 60).empty()) << "not idle yet";
  auto closed = engine.flush(engine.latest() + 601);
  auto rules = rules_of(closed);
  EXPECT_NE(std::find(rules.begin(), rules.end(), "logs.auth-brute-force"), rules.end());
  EXPECT_EQ(engine.size().sources, 0u);
  EXPECT_EQ(engine.size().groups, 0u);
  EXPECT_TRUE(engine.finish().empty()) << "nothing is reported twice";
}

TEST(LogEngine, SavedStateCarriesAHalfCountedWindowIntoANewEngine) {
  auto cursor = syslog_cursor();
  std::string blob;
  {
    LogEngine first(auth_rules());
    for (int i = 0; i < 3; ++i) first.feed(cursor, failure(i, "192.0.2.44"), "auth.log");
    blob = first.save();
  }  // killed
  LogEngine second(auth_rules());
  ASSERT_TRUE(second.restore(blob));
  std::vector<Finding> events;
  second.on_event([&](const Finding& f) { events.push_back(f); });
  second.feed(cursor, failure(3, "192.0.2.44"), "auth.log");
  EXPECT_TRUE(events.empty());
  second.feed(cursor, failure(4, "192.0.2.44"), "auth.log");
  ASSERT_EQ(events.size(), 1u) << "three before the restart and two after make five";
  EXPECT_EQ(events[0].rule, "logs.auth-brute-force");
}

TEST(LogEngine, RestoreRefusesGarbageAndKeepsWhatItHad) {
  LogEngine engine(auth_rules());
  auto cursor = syslog_cursor();
  engine.feed(cursor, failure(0, "192.0.2.1"), "auth.log");
  auto before = engine.size();
  for (std::string bad : {std::string(), std::string("not cbor"), std::string("\xa1\x61v\x01", 4)}) {
    auto r = engine.restore(bad);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().find("log engine state"), std::string::npos) << r.error();
  }
  EXPECT_EQ(engine.size().sources, before.sources);
}

TEST(LogEngine, StateOfARuleNoLongerLoadedIsDroppedOnRestore) {
  vigil::testing::TempDir dir;
  auto cursor = syslog_cursor();
  LogEngine full(auth_rules());
  for (int i = 0; i < 6; ++i) full.feed(cursor, failure(i, "192.0.2.50"), "auth.log");
  auto blob = full.save();
  auto only_root = load_log_rules({default_rules_dir() + "/logs/auth/root_login.yml"});
  LogEngine fewer(only_root);
  ASSERT_TRUE(fewer.restore(blob));
  EXPECT_EQ(fewer.size().groups, 0u);  // the brute-force groups belong to rules not loaded
  auto rules = rules_of(fewer.finish());
  EXPECT_EQ(std::count(rules.begin(), rules.end(), "logs.auth-brute-force"), 0);
}

TEST(LogEngine, ALongAttackIsOneLiveEventPerEpisode_AndAFloodCostsBoundedState) {
  LogEngine engine(auth_rules());
  std::vector<Finding> events;
  engine.on_event([&](const Finding& f) { events.push_back(f); });
  auto cursor = syslog_cursor();
  // One failure a second for an hour: the 10-minute window slides all along, the condition
  // never stops holding - one episode, one live event (not one per failure once it slid).
  for (int minute = 0; minute < 60; ++minute)
    for (int second = 0; second < 60; ++second) engine.feed(cursor, failure(second, "203.0.113.9", minute), "auth.log");
  EXPECT_EQ(events.size(), 1u);
  auto small = engine.save().size();
  // 200,000 failures within one minute of log time: the saved window stays bounded.
  for (int i = 0; i < 200'000; ++i) engine.feed(cursor, failure(i % 60, "198.51.100.7", 59), "auth.log");
  EXPECT_EQ(events.size(), 2u) << "the second source is its own episode";
  EXPECT_LT(engine.save().size(), small + 64 * 1024) << "a flood must not grow the state with every event";
  // Quiet for longer than the window, then again: a new episode.
  engine.feed(cursor, "Nov 17 12:30:00 h sshd[9]: Accepted publickey for alice from 10.0.0.5 port 4 ssh2", "auth.log");
  engine.flush(0);
  for (int i = 0; i < 5; ++i)
    engine.feed(cursor, "Nov 17 12:40:0" + std::to_string(i) + " h sshd[9]: Failed password for root from 203.0.113.9 port 4 ssh2",
                "auth.log");
  EXPECT_EQ(events.size(), 3u);
}
