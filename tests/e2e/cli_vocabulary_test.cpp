// One vocabulary for every command (issue 31): walks every subcommand's --help and checks the
// shared words - the formats, --fail-on, --out, --color - and that each says how it exits.
#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "e2e/vigil_run.hpp"

using namespace vigil::testing;

namespace {

// The subcommands a help text lists under "Subcommands:".
std::vector<std::string> subcommands(const std::string& help) {
  std::vector<std::string> out;
  auto at = help.find("Subcommands:");
  if (at == std::string::npos) return out;
  std::istringstream in(help.substr(at));
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line) && line.rfind("  ", 0) == 0) {
    std::istringstream words(line);
    std::string name;
    words >> name;
    out.push_back(name);
  }
  return out;
}

struct Command {
  std::vector<std::string> path;
  std::string help;
};

void walk(std::vector<std::string> path, std::vector<Command>& out) {
  auto args = path;
  args.push_back("--help");
  auto r = run_vigil(args);
  out.push_back({path, r.out});
  for (const auto& sub : subcommands(r.out)) {
    auto next = path;
    next.push_back(sub);
    walk(next, out);
  }
}

std::string name(const Command& c) {
  std::string n = "vigil";
  for (const auto& p : c.path) n += " " + p;
  return n;
}

}  // namespace

TEST(CliVocabulary, EveryCommandSpeaksTheSameWords) {
  std::vector<Command> all;
  walk({}, all);
  ASSERT_GT(all.size(), 20u) << "the walk found too few commands";
  // Commands that judge and print findings: the full report vocabulary.
  const std::set<std::string> findings = {"vigil triage",    "vigil diff",         "vigil fim check",
                                          "vigil fim update", "vigil fim packages", "vigil logs scan"};
  // Commands that print rows or listings: formats and --out.
  const std::set<std::string> rows = {"vigil query",        "vigil rules",           "vigil tables",
                                      "vigil logs rules",   "vigil audit checks",    "vigil snapshot",
                                      "vigil fim list",     "vigil audit passwords", "vigil audit compare",
                                      "vigil audit"};
  std::set<std::string> seen;
  for (const auto& c : all) {
    std::string n = name(c);
    seen.insert(n);
    if (!c.path.empty()) EXPECT_NE(c.help.find("Exit codes:"), std::string::npos) << n << " --help says nothing of exit codes";
    if (findings.count(n) || rows.count(n)) {
      EXPECT_NE(c.help.find("--format"), std::string::npos) << n;
      for (auto word : {"text", "json", "jsonl", "csv"})
        EXPECT_NE(c.help.find(word), std::string::npos) << n << " --format lacks " << word;
      EXPECT_NE(c.help.find("--out"), std::string::npos) << n << " has no --out";
    }
    if (findings.count(n)) {
      for (auto option : {"--fail-on", "--color", "--suppress", "none"})
        EXPECT_NE(c.help.find(option), std::string::npos) << n << " lacks " << option;
      EXPECT_NE(c.help.find("NO_COLOR"), std::string::npos) << n;
    }
  }
  for (const auto& n : findings) EXPECT_TRUE(seen.count(n)) << n << " not found by the walk";
  for (const auto& n : rows) EXPECT_TRUE(seen.count(n)) << n << " not found by the walk";
}

// The same words work: table is text, case does not matter, none never fails, and an error in
// a JSON run is JSON too.
TEST(CliVocabulary, TheWordsMeanTheSameEverywhere) {
  auto t = run_vigil({"rules", "--format", "TABLE"});
  EXPECT_EQ(t.exit_code, 0) << t.err;
  auto j = run_vigil({"tables", "--format", "Json"});
  EXPECT_EQ(j.exit_code, 0) << j.err;
  EXPECT_NO_THROW((void)nlohmann::json::parse(j.out));
  auto e = run_vigil({"logs", "scan", "/no/such/log", "--format", "jsonl", "--fail-on", "NONE"});
  EXPECT_EQ(e.exit_code, 2);
  auto bad = run_vigil({"query", "--format", "json", "DELETE FROM users"});
  EXPECT_EQ(bad.exit_code, 2);
  auto doc = nlohmann::json::parse(bad.out);
  EXPECT_TRUE(doc.contains("error")) << bad.out;
  EXPECT_EQ(doc["vigil"]["exit_code"], 2);
}
