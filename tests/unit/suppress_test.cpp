#include "core/suppress.hpp"

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
