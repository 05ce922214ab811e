// YARA matches as findings (issue 15): severity, title, ATT&CK and reference from the rule's
// metadata - vigil's own keys and signature-base's score - and the matched strings as evidence.
#include <gtest/gtest.h>

#include "scan/yara_match.hpp"
#include "scan/yara_rules.hpp"

using namespace vigil;
using scan::YaraMatch;

TEST(YaraMatch, MetadataGivesSeverityTitleAttackAndReference) {
  YaraMatch m;
  m.rule = "vigil_reverse_shell_bash";
  m.ns = "default";
  m.meta = {{"id", "c3a7"}, {"severity", "High"}, {"description", "A bash reverse shell"},
            {"attack", "T1059.004, t1071 and T9"}, {"reference", "https://example.org/x"}};
  m.strings = {{"$dev_tcp", 0x1f}};
  m.string_matches = 1;
  auto f = scan::yara_finding(m);
  EXPECT_EQ(f.rule, "yara.vigil_reverse_shell_bash");
  EXPECT_EQ(f.severity, Severity::high);
  EXPECT_EQ(f.title, "A bash reverse shell");
  EXPECT_EQ(f.attack, (std::vector<std::string>{"T1059.004", "T1071"}));
  EXPECT_EQ(f.get("rule.reference"), "https://example.org/x");
  EXPECT_EQ(f.get("rule.uuid"), "c3a7");
  EXPECT_EQ(f.get("vigil.yara.strings"), "$dev_tcp@0x1f");
  EXPECT_EQ(f.why, "The YARA rule vigil_reverse_shell_bash matched: $dev_tcp@0x1f.");
}

TEST(YaraMatch, SignatureBaseScoresAndRulesWithoutMetadata) {
  YaraMatch m;
  m.rule = "X";
  m.meta = {{"score", "85"}};
  EXPECT_EQ(scan::meta_severity(m), Severity::high);
  m.meta = {{"score", "65"}};
  EXPECT_EQ(scan::meta_severity(m), Severity::medium);
  m.meta = {{"score", "10"}};
  EXPECT_EQ(scan::meta_severity(m), Severity::info);
  m.meta = {{"severity", "nonsense"}};
  EXPECT_EQ(scan::meta_severity(m), Severity::medium) << "an unknown level is the default";
  m.meta = {};
  auto f = scan::yara_finding(m);
  EXPECT_EQ(f.title, "YARA rule X");
  EXPECT_EQ(f.why, "The YARA rule X matched (by its condition alone).");
  m.strings.assign(scan::kStringsKept, {"$a", 1});
  m.string_matches = 40;
  EXPECT_NE(scan::yara_finding(m).get("vigil.yara.strings").find("… (40 in all)"), std::string::npos);
}

TEST(YaraRules, ASourceThatDoesNotCompileSaysWhereAndLoadsNothing) {
  auto bad = scan::YaraRules::from_source("rule a {\n condition: nope(\n}\n", "inline.yar");
  EXPECT_TRUE(bad.empty());
  ASSERT_FALSE(bad.problems().empty());
  EXPECT_EQ(bad.problems()[0].file, "inline.yar");
  EXPECT_GT(bad.problems()[0].line, 0);
  auto good = scan::YaraRules::from_source("rule a { condition: filesize > 0 and filename != \"\" }");
  EXPECT_EQ(good.rule_count(), 1u) << (good.problems().empty() ? "" : good.problems()[0].message);
}

#include "scan/proc_maps.hpp"

TEST(ProcMaps, RegionsPermissionsAndPathsAndBrokenLinesCounted) {
  std::size_t bad = 0;
  auto regions = scan::parse_maps(
      "55e3d6122000-55e3d61cd000 rw-p 00000000 00:00 0                          [heap]\n"
      "7f2a1c000000-7f2a1c021000 r--p 00000000 08:01 1835012                    /usr/lib/x86_64-linux-gnu/libc.so.6\n"
      "7f2a1c400000-7f2a1c401000 rwxs 00001000 00:05 77                         /memfd:x (deleted)\n"
      "7ffd5a1f3000-7ffd5a214000 rw-p 00000000 00:00 0\n"
      "not a maps line\n"
      "ffff-1000 r--p 0 0:0 0\n",
      &bad);
  ASSERT_EQ(regions.size(), 4u);
  EXPECT_EQ(bad, 2u);
  EXPECT_EQ(regions[0].start, 0x55e3d6122000u);
  EXPECT_EQ(regions[0].path, "[heap]");
  EXPECT_TRUE(regions[0].read && regions[0].write && !regions[0].exec);
  EXPECT_FALSE(regions[0].file_backed());
  EXPECT_TRUE(regions[1].file_backed());
  EXPECT_FALSE(regions[1].write);
  EXPECT_EQ(regions[2].path, "/memfd:x (deleted)");
  EXPECT_TRUE(regions[2].deleted() && regions[2].shared && regions[2].exec);
  EXPECT_EQ(regions[3].path, "");
}
