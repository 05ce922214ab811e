#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "detect/rule_catalog.hpp"
#include "report/schema_doc.hpp"

using namespace vigil;

TEST(Catalog, EveryRuleHasTextRemedyAndAttackId) {
  std::set<std::string_view> ids;
  for (const auto& r : detect::rule_catalog()) {
    EXPECT_TRUE(ids.insert(r.id).second) << "duplicate " << r.id;
    EXPECT_FALSE(r.title.empty()) << r.id;
    EXPECT_FALSE(r.why.empty()) << r.id;
    EXPECT_FALSE(r.remedy.empty()) << r.id;
    if (r.id != "collector.partial") {
      EXPECT_TRUE(r.attack.starts_with("T")) << r.id;
    }
  }
  EXPECT_THROW(detect::rule_info("no.such-rule"), std::out_of_range);
}

TEST(Catalog, DocsListEveryRule_GeneratedFileIsCurrent) {
  std::ifstream in(std::string(VIGIL_SOURCE_DIR) + "/docs/DETECTORS.md");
  ASSERT_TRUE(in) << "docs/DETECTORS.md missing: run vigil rules --markdown > docs/DETECTORS.md";
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), detect::catalog_markdown())
      << "docs/DETECTORS.md is stale: run ./build/vigil rules --markdown > docs/DETECTORS.md";
}

TEST(Catalog, TablesDocIsCurrent) {
  std::ifstream in(std::string(VIGIL_SOURCE_DIR) + "/docs/TABLES.md");
  ASSERT_TRUE(in) << "docs/TABLES.md missing: run vigil tables --markdown > docs/TABLES.md";
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), report::tables_markdown())
      << "docs/TABLES.md is stale: run ./build/vigil tables --markdown > docs/TABLES.md";
}
