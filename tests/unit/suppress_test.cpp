#include "core/suppress.hpp"
#include "core/text.hpp"

#include <gtest/gtest.h>

using namespace vigil;

TEST(Suppress, MatchesRuleGlobAndEvidenceGlobs) {
  auto rules = parse_suppressions(
      "# local services\n"
      "network.unowned-public-listener process.executable=/opt/acme/* -- Acme API, ticket 42\n"
      "process.fileless -- sandbox helpers\n");
  ASSERT_TRUE(rules);
  ASSERT_EQ(rules->size(), 2u);
  EXPECT_EQ((*rules)[0].reason, "Acme API, ticket 42");
  Findings f(3);
  f[0].rule = "network.unowned-public-listener";
  f[0].add("process.executable", "/opt/acme/bin/api");
  f[1].rule = "network.unowned-public-listener";
  f[1].add("process.executable", "/tmp/x");
  f[2].rule = "process.fileless";
  EXPECT_EQ(apply_suppressions(*rules, f), 2u);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].get("process.executable"), "/tmp/x");
}

TEST(Suppress, EntryWithoutReason_IsAnErrorWithItsLine) {
  auto r = parse_suppressions("process.fileless -- ok\n\nprocess.fileless\n");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().line, 3u);
  auto r2 = parse_suppressions("process.fileless notakeyvalue -- why\n");
  ASSERT_FALSE(r2);
  EXPECT_EQ(r2.error().line, 1u);
}

TEST(FindingMatch, NegatedConditionsAndNetworks) {
  auto m = parse_finding_match(split_ws("logs.ssh-* source.ip!=cidr:10.0.0.0/8,2001:db8::/32 user.name!=backup*"));
  ASSERT_TRUE(m) << m.error();
  Finding f;
  f.rule = "logs.ssh-brute-force";
  f.add("source.ip", std::string("198.51.100.7"));
  f.add("user.name", std::string("root"));
  EXPECT_TRUE(m->matches(f));
  for (std::string inside : {"10.1.2.3", "::ffff:10.9.9.9", "2001:db8::5"}) {
    Finding g = f;
    g.evidence[0].value = inside;
    EXPECT_FALSE(m->matches(g)) << inside;
  }
  Finding backup = f;
  backup.evidence[1].value = std::string("backup-job");
  EXPECT_FALSE(m->matches(backup));
  Finding other = f;
  other.rule = "process.fileless";
  EXPECT_FALSE(m->matches(other));
  // A negated condition on an absent field holds; a positive one does not.
  Finding bare;
  bare.rule = "logs.ssh-brute-force";
  EXPECT_TRUE(m->matches(bare));
  auto positive = parse_finding_match(split_ws("* source.ip=cidr:192.0.2.0/24"));
  ASSERT_TRUE(positive);
  EXPECT_FALSE(positive->matches(bare));
  EXPECT_FALSE(parse_finding_match(split_ws("* source.ip=cidr:300.1.1.1/8")));
  EXPECT_FALSE(parse_finding_match(split_ws("* source.ip=cidr:10.0.0.0/33")));
  EXPECT_FALSE(parse_finding_match(split_ws("* !=x")));
  EXPECT_FALSE(parse_finding_match(split_ws("source.ip=1.2.3.4")));
  // The suppression file speaks the same grammar.
  auto rules = parse_suppressions("logs.* source.ip=cidr:198.51.100.0/24 -- our scanner\n");
  ASSERT_TRUE(rules);
  EXPECT_TRUE((*rules)[0].matches(f));
}
