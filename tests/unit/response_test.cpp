// vigil watch's responses without a network: the ledger across restarts and torn lines,
// triggers in the config, which addresses are never blocked, nft's JSON listing.
#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_dir.hpp"
#include "watch/action_ledger.hpp"
#include "watch/config.hpp"
#include "watch/nft_block.hpp"

using namespace vigil;
using namespace vigil::testing;
using namespace vigil::watch;

TEST(ActionLedger, AKeyStaysActiveAcrossARestartUntilItsTimeAndTornLinesAreSkipped) {
  TempDir d;
  const auto path = d / "actions.jsonl";
  {
    ActionLedger l;
    ASSERT_TRUE(l.open(path, 1000));
    ASSERT_TRUE(l.started("brute-force", "198.51.100.7", 1000, 4600, false));
    ASSERT_TRUE(l.outcome("brute-force", "198.51.100.7", "block", true, "blocked for 3600 s", 1000));
    ASSERT_TRUE(l.started("brute-force", "203.0.113.9", 1000, 1060, false));
  }
  std::ofstream(path, std::ios::app) << "{\"time\":1001,\"trigger\":\"brute-fo";  // kill -9 mid-write
  ActionLedger l;
  ASSERT_TRUE(l.open(path, 1010));
  EXPECT_EQ(l.unreadable(), 1u);
  EXPECT_TRUE(l.active("brute-force", "198.51.100.7", 1010));
  EXPECT_TRUE(l.active("brute-force", "203.0.113.9", 1010));
  EXPECT_FALSE(l.active("brute-force", "203.0.113.9", 1060));  // its once_per ended
  EXPECT_FALSE(l.active("other", "198.51.100.7", 1010));
  EXPECT_EQ(l.active_keys(1100), 1u);
  // Appending after the torn line still gives readable lines.
  ASSERT_TRUE(l.started("brute-force", "192.0.2.1", 1100, 1200, false));
  ActionLedger again;
  ASSERT_TRUE(again.open(path, 1100));
  EXPECT_TRUE(again.active("brute-force", "192.0.2.1", 1150));
  // A dry run's key holds for the next dry run only.
  ASSERT_TRUE(again.started("brute-force", "192.0.2.77", 1100, 1200, true));
  ActionLedger real, dry;
  ASSERT_TRUE(real.open(path, 1100));
  ASSERT_TRUE(dry.open(path, 1100, true));
  EXPECT_FALSE(real.active("brute-force", "192.0.2.77", 1150));
  EXPECT_TRUE(dry.active("brute-force", "192.0.2.77", 1150));
}

TEST(ActionLedger, GrowingPastItsBoundKeepsOnlyActiveKeys) {
  TempDir d;
  const auto path = d / "actions.jsonl";
  ActionLedger l(4096);
  ASSERT_TRUE(l.open(path, 0));
  for (int i = 0; i < 300; ++i)
    ASSERT_TRUE(l.started("t", "key-" + std::to_string(i), i, i < 290 ? i + 1 : 1'000'000, false));
  EXPECT_LT(std::filesystem::file_size(path), 4096u + 100);
  ActionLedger again(4096);
  ASSERT_TRUE(again.open(path, 300));
  EXPECT_EQ(again.active_keys(300), 10u);
  EXPECT_TRUE(again.active("t", "key-299", 300));
  EXPECT_FALSE(again.active("t", "key-5", 300));
}

TEST(WatchTriggers, TriggersAndTheirActionsAreReadWithEveryErrorNamed) {
  auto c = parse_config(
      "response:\n  dry_run: true\n  allowlist: [10.0.0.0/8, '2001:db8::1']\n  captures_max: 200MB\n"
      "triggers:\n"
      "  - name: ssh\n    when: logs.auth-* source.ip!=cidr:192.168.0.0/16\n    severity: medium\n"
      "    key: source.ip\n    once_per: 30m\n    max_per_minute: 5\n"
      "    actions:\n      - {type: block, ttl: 2h}\n      - {type: capture, duration: 30s, max_size: 5MB, interface: eth0}\n"
      "      - {type: exec, argv: [/usr/local/bin/page, --urgent], timeout: 3s}\n",
      "w.yaml");
  ASSERT_TRUE(c) << format_error(c.error()[0]);
  EXPECT_TRUE(c->response.dry_run);
  ASSERT_EQ(c->response.allowlist.size(), 2u);
  EXPECT_EQ(c->response.captures_max, 200ll << 20);
  ASSERT_EQ(c->triggers.size(), 1u);
  const auto& t = c->triggers[0];
  EXPECT_EQ(t.name, "ssh");
  EXPECT_EQ(t.when.rule, "logs.auth-*");
  EXPECT_EQ(t.min_severity, Severity::medium);
  EXPECT_EQ(t.once_per_ms, 30 * 60'000);
  EXPECT_EQ(t.max_per_minute, 5);
  ASSERT_EQ(t.actions.size(), 3u);
  EXPECT_EQ(t.actions[0].ttl_ms, 2 * 3'600'000);
  EXPECT_EQ(t.actions[1].interface, "eth0");
  EXPECT_EQ(t.actions[1].max_size, 5 << 20);
  EXPECT_EQ(t.actions[2].argv, (std::vector<std::string>{"/usr/local/bin/page", "--urgent"}));

  auto bad = parse_config(
      "response:\n  allowlist: [not-a-net]\n  table: 'Bad Name'\n"
      "triggers:\n  - name: a\n    actions:\n      - {type: exec}\n      - {type: firewall}\n"
      "  - name: a\n    when: 'x.y source.ip=cidr:10.0.0.0/99'\n    actions: []\n",
      "w.yaml");
  ASSERT_FALSE(bad);
  std::string all;
  for (const auto& e : bad.error()) all += format_error(e) + "\n";
  for (const char* expected :
       {"'not-a-net' is not an address or network", "'Bad Name' is not a table name", "missing 'when'",
        "an exec action needs argv", "'firewall' is not exec, block or capture", "a second trigger named 'a'",
        "is not a network", "expected a list of actions"})
    EXPECT_NE(all.find(expected), std::string::npos) << expected << "\n" << all;
}

TEST(NftBlock, LoopbackOwnAllowlistedAndNonAddressesAreNeverBlocked) {
  std::vector<Cidr> allow = {*Cidr::parse("10.0.0.0/8")};
  EXPECT_EQ(never_block("127.0.0.1", allow), "loopback");
  EXPECT_EQ(never_block("::1", allow), "loopback");
  EXPECT_EQ(never_block("0.0.0.0", allow), "unspecified");
  EXPECT_EQ(never_block("224.0.0.1", allow), "multicast");
  EXPECT_NE(never_block("10.2.3.4", allow).find("allowlist"), std::string::npos);
  EXPECT_NE(never_block("::ffff:10.2.3.4", allow).find("allowlist"), std::string::npos);
  EXPECT_EQ(never_block("root", allow), "not an IP address");
  EXPECT_EQ(never_block("10.0.0.0/8", allow), "not an IP address");
  EXPECT_EQ(never_block("198.51.100.7", allow), "");
  EXPECT_EQ(never_block("2001:db8::7", allow), "");
}

TEST(NftBlock, TheSetListingIsReadFromNftsJson) {
  auto r = parse_blocked_json(
      R"({"nftables": [{"metainfo": {"version": "1.0.6"}}, {"set": {"family": "inet", "name": "blocked4",
          "table": "vigil", "type": "ipv4_addr", "flags": ["timeout"], "elem": [{"elem": {"val": "198.51.100.7",
          "timeout": 3600, "expires": 3421}}, "192.0.2.9"]}}]})");
  ASSERT_TRUE(r) << r.error();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].address, "198.51.100.7");
  EXPECT_EQ((*r)[0].expires_s, 3421);
  EXPECT_EQ((*r)[1].address, "192.0.2.9");
  EXPECT_TRUE(parse_blocked_json(R"({"nftables": [{"set": {"name": "blocked4"}}]})")->empty());
  EXPECT_FALSE(parse_blocked_json("not json"));
  EXPECT_FALSE(parse_blocked_json(R"({"other": 1})"));
}
