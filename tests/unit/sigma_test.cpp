// The Sigma engine: loading (and refusing with a reason), modifiers, conditions and
// correlations, run through scan_logs on small planted logs.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "logs/scan.hpp"
#include "logs/sigma_rule.hpp"
#include "support/temp_dir.hpp"

using namespace vigil;
using namespace vigil::logs;

namespace {

const char* kWeb =
    "1.1.1.1 - - [10/Oct/2024:04:20:13 +0000] \"GET /a?q=%2527%20OR%201=1 HTTP/1.1\" 200 10 \"-\" \"sqlmap/1.7\"\n"
    "2.2.2.2 - - [10/Oct/2024:04:20:14 +0000] \"POST /upload.php HTTP/1.1\" 404 10 \"-\" \"Mozilla\"\n"
    "10.1.2.3 - - [10/Oct/2024:04:20:15 +0000] \"GET /c2VjcmV0IHRva2Vu HTTP/1.1\" 500 10 \"-\" \"curl\"\n";

std::vector<std::string> hits(const ScanResult& r, const std::string& rule) {
  std::vector<std::string> ips;
  for (const auto& f : r.findings)
    if (f.rule == rule) ips.push_back(f.get("source.ip"));
  std::sort(ips.begin(), ips.end());
  return ips;
}

ScanResult scan(const vigil::testing::TempDir& dir, const std::string& log, const std::string& rules) {
  ScanOptions o;
  o.paths = {dir.write("test.log", log)};
  o.rule_paths = {dir.write("rules.yml", rules)};
  o.jobs = 2;
  return scan_logs(o);
}

std::string web_rule(const std::string& name, const std::string& detection) {
  return "title: " + name + "\nname: " + name + "\nlogsource:\n  category: webserver\ndetection:\n" + detection +
         "level: high\n";
}

}  // namespace

TEST(Sigma, ModifiersMatchTheirValues) {
  vigil::testing::TempDir dir;
  std::string rules =
      web_rule("contains", "  s:\n    cs-uri-query|contains: \"' or 1=1\"\n  condition: s\n") + "---\n" +
      web_rule("startswith", "  s:\n    cs-user-agent|startswith: SQLMAP\n  condition: s\n") + "---\n" +
      web_rule("endswith_all", "  s:\n    cs-uri-stem|endswith|all: [.php, load.php]\n  condition: s\n") + "---\n" +
      web_rule("equals_wild", "  s:\n    cs-method: P?ST\n    sc-status: 404\n  condition: s\n") + "---\n" +
      web_rule("cased", "  s:\n    cs-user-agent|cased: Curl\n  condition: s\n") + "---\n" +
      web_rule("re", "  s:\n    cs-uri-query|re: '^/a\\?q='\n  condition: s\n") + "---\n" +
      web_rule("b64", "  s:\n    cs-uri-query|base64offset|contains: secret token\n  condition: s\n") + "---\n" +
      web_rule("cidr", "  s:\n    c-ip|cidr: 10.0.0.0/8\n  condition: s\n") + "---\n" +
      web_rule("gte", "  s:\n    sc-status|gte: 500\n  condition: s\n") + "---\n" +
      web_rule("exists", "  s:\n    cs-username|exists: false\n    sc-status: 200\n  condition: s\n");
  auto r = scan(dir, kWeb, rules);
  EXPECT_TRUE(r.rule_problems.empty()) << r.rule_problems[0].reason;
  EXPECT_EQ(hits(r, "logs.contains"), std::vector<std::string>{"1.1.1.1"});  // after decoding %2527
  EXPECT_EQ(hits(r, "logs.startswith"), std::vector<std::string>{"1.1.1.1"});  // case-insensitive by default
  EXPECT_EQ(hits(r, "logs.endswith-all"), std::vector<std::string>{"2.2.2.2"});
  EXPECT_EQ(hits(r, "logs.equals-wild"), std::vector<std::string>{"2.2.2.2"});
  EXPECT_TRUE(hits(r, "logs.cased").empty());
  EXPECT_EQ(hits(r, "logs.re"), std::vector<std::string>{"1.1.1.1"});
  EXPECT_EQ(hits(r, "logs.b64"), std::vector<std::string>{"10.1.2.3"});
  EXPECT_EQ(hits(r, "logs.cidr"), std::vector<std::string>{"10.1.2.3"});
  EXPECT_EQ(hits(r, "logs.gte"), std::vector<std::string>{"10.1.2.3"});
  EXPECT_EQ(hits(r, "logs.exists"), std::vector<std::string>{"1.1.1.1"});
}

TEST(Sigma, ConditionGrammar) {
  vigil::testing::TempDir dir;
  std::string rules =
      web_rule("one_of", "  sel_a:\n    sc-status: 200\n  sel_b:\n    sc-status: 404\n  condition: 1 of sel_*\n") +
      "---\n" +
      web_rule("all_of_them", "  a:\n    cs-method: GET\n  b:\n    sc-status: 500\n  condition: all of them\n") +
      "---\n" +
      web_rule("not_paren",
               "  a:\n    cs-method: [GET, POST]\n  b:\n    sc-status: 404\n  c:\n    sc-status: 500\n"
               "  condition: a and not (b or c)\n") +
      "---\n" + web_rule("keywords", "  k:\n    - 'sqlmap/*'\n  condition: k\n");
  auto r = scan(dir, kWeb, rules);
  EXPECT_TRUE(r.rule_problems.empty());
  EXPECT_EQ(hits(r, "logs.one-of"), (std::vector<std::string>{"1.1.1.1", "2.2.2.2"}));
  EXPECT_EQ(hits(r, "logs.all-of-them"), std::vector<std::string>{"10.1.2.3"});
  EXPECT_EQ(hits(r, "logs.not-paren"), std::vector<std::string>{"1.1.1.1"});
  EXPECT_EQ(hits(r, "logs.keywords"), std::vector<std::string>{"1.1.1.1"});
}

TEST(Sigma, BadRulesAreReportedAndTheRestLoad) {
  vigil::testing::TempDir dir;
  std::string rules = web_rule("good", "  s:\n    sc-status: 200\n  condition: s\n") + "---\n" +
                      web_rule("bad_field", "  s:\n    NoSuchField: 1\n  condition: s\n") + "---\n" +
                      web_rule("bad_mod", "  s:\n    cs-method|sideways: x\n  condition: s\n") + "---\n" +
                      web_rule("bad_cond", "  s:\n    cs-method: x\n  condition: s and nothere\n") + "---\n" +
                      web_rule("backref", "  s:\n    cs-method|re: '(a)\\1'\n  condition: s\n") + "---\n" +
                      "title: proxy\nlogsource: {category: proxy}\ndetection:\n  s:\n    c-uri: x\n  condition: s\n" +
                      "---\n[unclosed\n";
  auto r = scan(dir, kWeb, rules);
  EXPECT_EQ(r.rules_loaded, 1u);
  ASSERT_EQ(r.rule_problems.size(), 6u);
  auto reason = [&](const std::string& rule) {
    for (const auto& p : r.rule_problems)
      if (p.rule == rule) return p.reason;
    return std::string("(none)");
  };
  EXPECT_NE(reason("bad_field").find("NoSuchField"), std::string::npos);
  EXPECT_NE(reason("bad_mod").find("sideways"), std::string::npos);
  EXPECT_NE(reason("bad_cond").find("nothere"), std::string::npos);
  EXPECT_NE(reason("backref").find("backtracking"), std::string::npos);
  EXPECT_NE(reason("proxy").find("category=proxy"), std::string::npos);
  EXPECT_EQ(hits(r, "logs.good"), std::vector<std::string>{"1.1.1.1"});
}

TEST(Sigma, EventCountAndTemporalOrderedCorrelations) {
  vigil::testing::TempDir dir;
  std::string log;
  for (int i = 0; i < 6; ++i)
    log += "Jan  1 00:00:0" + std::to_string(i) + " h sshd[1]: Failed password for root from 5.5.5.5 port 1 ssh2\n";
  log += "Jan  1 00:00:09 h sshd[1]: Failed password for bob from 6.6.6.6 port 1 ssh2\n";
  log += "Jan  1 00:05:00 h sshd[1]: Accepted password for root from 5.5.5.5 port 1 ssh2\n";
  log += "Jan  1 00:06:00 h sshd[1]: Accepted password for bob from 6.6.6.6 port 1 ssh2\n";
  std::string rules = R"(title: fail
name: fail
logsource: {product: linux, service: sshd}
detection:
  s:
    event.action: ssh-login
    event.outcome: failure
  condition: s
level: low
---
title: ok
name: ok
logsource: {product: linux, service: sshd}
detection:
  s:
    event.outcome: success
  condition: s
level: low
---
title: brute
name: brute
correlation:
  type: event_count
  rules: [fail]
  group-by: [source.ip]
  timespan: 10m
  condition: {gte: 5}
level: medium
---
title: after
name: after
correlation:
  type: temporal_ordered
  rules: [brute, ok]
  group-by: [source.ip]
  timespan: 1h
level: high
)";
  auto r = scan(dir, log, rules);
  EXPECT_TRUE(r.rule_problems.empty());
  EXPECT_EQ(hits(r, "logs.brute"), std::vector<std::string>{"5.5.5.5"});
  EXPECT_EQ(hits(r, "logs.after"), std::vector<std::string>{"5.5.5.5"});
  EXPECT_TRUE(hits(r, "logs.fail").empty());  // counted by a correlation: not reported alone
  EXPECT_TRUE(hits(r, "logs.ok").empty());
}

// Two rules with one id stay two findings, each with its own title and count; a rule with
// neither name nor id gets an id from its title.
TEST(Sigma, RulesSharingAnIdOrWithoutOneStayApart) {
  vigil::testing::TempDir dir;
  auto rule = [](const std::string& title, const std::string& id, const std::string& method) {
    return "title: " + title + "\n" + (id.empty() ? "" : "id: " + id + "\n") +
           "logsource:\n  category: webserver\ndetection:\n  s:\n    cs-method: " + method +
           "\n  condition: s\nlevel: high\n";
  };
  std::string rules = rule("Gets", "0f0f0f0f-0000-4000-8000-000000000001", "GET") + "---\n" +
                      rule("Posts", "0f0f0f0f-0000-4000-8000-000000000001", "POST") + "---\n" +
                      rule("Untitled Thing / v2", "", "GET");
  auto r = scan(dir, kWeb, rules);
  std::map<std::string, std::string> titles;
  for (const auto& f : r.findings) titles[f.rule] += f.title + ";";
  EXPECT_EQ(titles["logs.0f0f0f0f-0000-4000-8000-000000000001"], "Gets;Gets;");  // two sources
  EXPECT_EQ(titles["logs.0f0f0f0f-0000-4000-8000-000000000001-2"], "Posts;");
  EXPECT_EQ(titles["logs.untitled-thing-v2"], "Untitled Thing / v2;Untitled Thing / v2;");
  EXPECT_EQ(titles.count("logs."), 0u);
}

// A YAML mistake is named with its line and column in the file, also in a later document.
TEST(Sigma, YamlErrorsNameLineAndColumn) {
  vigil::testing::TempDir dir;
  std::string good = web_rule("fine", "  s:\n    cs-method: GET\n  condition: s\n");
  auto r = scan(dir, kWeb, good + "---\ntitle: broken\nlogsource: {category: webserver\n");
  ASSERT_EQ(r.rule_problems.size(), 1u);
  int good_lines = static_cast<int>(std::count(good.begin(), good.end(), '\n'));
  // The parser runs out of file on the line after the last: counted in the file, not the document.
  EXPECT_NE(r.rule_problems[0].reason.find("line " + std::to_string(good_lines + 4) + ", column"), std::string::npos)
      << r.rule_problems[0].reason;
}

// Issue 20 (2): the value modifiers Windows rules use — wide/utf16* before base64offset — and
// fieldref (one field equal to another).
TEST(Sigma, WideBase64AndFieldref) {
  vigil::testing::TempDir dir;
  const std::string log =
      "10.0.0.7 - - [10/Oct/2024:04:20:13 +0000] \"GET /run?c=dwBoAG8AYQBtAGkA HTTP/1.1\" 200 10 \"-\" \"x\"\n"
      "10.0.0.8 - - [10/Oct/2024:04:20:14 +0000] \"GET /run?c=d2hvYW1p HTTP/1.1\" 200 10 \"-\" \"x\"\n"
      "10.9.9.9 - 10.9.9.9 [10/Oct/2024:04:20:15 +0000] \"GET / HTTP/1.1\" 200 10 \"-\" \"x\"\n"
      "10.9.9.8 - alice [10/Oct/2024:04:20:16 +0000] \"GET / HTTP/1.1\" 200 10 \"-\" \"x\"\n";
  std::string rules =
      web_rule("wide", "  s:\n    cs-uri-query|wide|base64offset|contains: whoami\n  condition: s\n") + "---\n" +
      web_rule("narrow", "  s:\n    cs-uri-query|base64offset|contains: whoami\n  condition: s\n") + "---\n" +
      web_rule("be", "  s:\n    cs-uri-query|utf16be|base64offset|contains: whoami\n  condition: s\n") + "---\n" +
      web_rule("ref", "  s:\n    cs-username|fieldref: c-ip\n  condition: s\n") + "---\n" +
      web_rule("badref", "  s:\n    cs-username|fieldref: NoSuchField\n  condition: s\n");
  auto r = scan(dir, log, rules);
  ASSERT_EQ(r.rule_problems.size(), 1u);
  EXPECT_NE(r.rule_problems[0].reason.find("NoSuchField"), std::string::npos);
  EXPECT_EQ(hits(r, "logs.wide"), std::vector<std::string>{"10.0.0.7"});
  EXPECT_EQ(hits(r, "logs.narrow"), std::vector<std::string>{"10.0.0.8"});
  EXPECT_TRUE(hits(r, "logs.be").empty());
  EXPECT_EQ(hits(r, "logs.ref"), std::vector<std::string>{"10.9.9.9"});
}
