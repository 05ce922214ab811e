#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "core/rule_catalog.hpp"
#include "report/schema_doc.hpp"

using namespace vigil;

namespace {
// A generated document under docs/, compared whole with what the code generates now.
void expect_doc_current(const std::string& name, const std::string& generated,
                        const std::string& command) {
  std::ifstream in(std::string(VIGIL_SOURCE_DIR) + "/docs/" + name);
  ASSERT_TRUE(in) << "docs/" << name << " missing: run ./build/vigil " << command << " > docs/"
                  << name;
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), generated) << "docs/" << name << " is stale: run ./build/vigil " << command
                                 << " > docs/" << name;
}
}  // namespace

TEST(Catalog, EveryRuleHasTextRemedyAndAttackId) {
  std::set<std::string_view> ids;
  for (const auto& r : rule_catalog()) {
    EXPECT_TRUE(ids.insert(r.id).second) << "duplicate " << r.id;
    EXPECT_FALSE(r.title.empty()) << r.id;
    EXPECT_FALSE(r.why.empty()) << r.id;
    EXPECT_FALSE(r.remedy.empty()) << r.id;
    if (r.severities != "info") {
      EXPECT_TRUE(r.attack.starts_with("T")) << r.id;
    }
  }
  EXPECT_THROW(rule_info("no.such-rule"), std::out_of_range);
}

TEST(Catalog, DocsListEveryRule_GeneratedFileIsCurrent) {
  expect_doc_current("DETECTORS.md", catalog_markdown(), "rules --markdown");
}

TEST(Catalog, TablesDocIsCurrent) {
  expect_doc_current("TABLES.md", report::tables_markdown(), "tables --markdown");
}
