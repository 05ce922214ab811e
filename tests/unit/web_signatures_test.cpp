// The web signatures for what the keyword rules missed (issue 29): each fires on its attack -
// plain, %-encoded and double-encoded - and stays quiet on the benign look-alikes beside it.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "logs/scan.hpp"
#include "support/temp_dir.hpp"

using namespace vigil;

namespace {

struct Case {
  std::string rule;   // expected rule, "" for a look-alike that must raise none of these rules
  std::string target; // the request target
};

const std::vector<Case> kCases = {
    {"logs.web-header-injection", "/page?lang=en%0d%0aSet-Cookie:%20x=1"},
    {"logs.web-header-injection", "/page?lang=en%250d%250aSet-Cookie%253a%2520x=1"},
    {"logs.web-header-injection", "/redirect?to=/home%0aLocation:%20http://evil.example/"},
    {"logs.web-header-injection", "/show.php?file=report.pdf%00.jpg"},
    {"logs.web-header-injection", "/show.php?file=report.pdf%2500.jpg"},
    {"logs.web-ssi-injection", "/cgi/echo.shtml?name=%3C!--%23exec%20cmd=%22ls%22--%3E"},
    {"logs.web-ssi-injection", "/x?n=<!--#include%20file=\"/etc/hosts\"-->"},
    {"logs.web-ssi-injection", "/guestbook?msg=%253C%2521--%2523echo%2520var=%2522DATE_LOCAL%2522--%253E"},
    {"logs.web-sql-injection-keywordless", "/shop/item?id=12%20AND%201=1"},
    {"logs.web-sql-injection-keywordless", "/shop/cart?qty=3%27"},
    {"logs.web-sql-injection-keywordless", "/shop/cart?qty=3%2527abc"},
    {"logs.web-sql-injection-keywordless", "/shop/cart?name=x%27%20DELETE%20FROM%20users"},
    {"logs.web-sql-injection-keywordless", "/login?user=a%27%20OR%20%27a%27=%27a"},
    {"logs.web-sql-injection-keywordless", "/item?id=7--"},
    {"logs.web-shell-metacharacters", "/ping?host=127.0.0.1%7Cx"},
    {"logs.web-shell-metacharacters", "/ping?host=127.0.0.1%257Cx"},
    {"logs.web-shell-metacharacters", "/ping?host=%60x%60"},
    {"logs.web-source-probe", "/index.jsp.bak"},
    {"logs.web-source-probe", "/INDEX.BAK"},
    {"logs.web-source-probe", "/config.php~"},
    {"logs.web-source-probe", "/lib/db.inc"},
    {"logs.web-source-probe", "/index.php.orig"},
    {"logs.web-source-probe", "/.index.php.swp"},
    {"logs.web-source-probe", "/admin.nsf"},
    {"logs.web-source-probe", "/servlet/SnoopServlet"},
    {"logs.web-source-probe", "/IISSamples/default/query.asp"},
    {"logs.web-source-probe", "/console/login/LoginForm.jsp"},
    // Look-alikes of the same shapes.
    {"", "/search?q=rock+and+roll"},
    {"", "/people?name=O%27Brien"},
    {"", "/~alice/index.html"},
    {"", "/docs/backup-and-restore"},
    {"", "/docs/old-releases"},
    {"", "/shop/item?id=12&qty=3"},
    {"", "/search?q=select+and+update+1%3D1+notes"},
    {"", "/static/js/app.3f9a.js"},
    {"", "/blog/html-comments-%3C!--like-this--%3E"},
    {"", "/api/v1/items?filter=price%3E10&sort=-date"},
    {"", "/docs/sql/select-statement"},
    {"", "/wiki/Pipe_(Unix)"},
    {"", "/search?q=100%25+cotton"},
    {"", "/names/admin.html"},
};

const std::set<std::string> kRules = {"logs.web-header-injection", "logs.web-ssi-injection",
                                      "logs.web-sql-injection-keywordless", "logs.web-shell-metacharacters",
                                      "logs.web-source-probe"};

}  // namespace

TEST(WebSignatures, EachFiresOnItsCaseAndNotOnTheLookAlikes) {
  vigil::testing::TempDir dir;
  std::string log;
  for (std::size_t i = 0; i < kCases.size(); ++i)
    log += "192.0.2." + std::to_string(i + 1) + " - - [10/Oct/2024:04:20:13 +0000] \"GET " + kCases[i].target +
           " HTTP/1.1\" 200 10 \"-\" \"Mozilla/5.0\"\n";
  logs::ScanOptions o;
  o.paths = {dir.write("access.log", log)};
  o.rule_paths = {std::string(VIGIL_SOURCE_DIR) + "/rules/logs"};
  auto r = logs::scan_logs(o);
  EXPECT_TRUE(r.rule_problems.empty()) << r.rule_problems[0].reason;
  std::map<std::string, std::set<std::string>> by_ip;
  for (const auto& f : r.findings)
    if (kRules.contains(f.rule)) by_ip[f.get("source.ip")].insert(f.rule);
  for (std::size_t i = 0; i < kCases.size(); ++i) {
    const auto& fired = by_ip["192.0.2." + std::to_string(i + 1)];
    if (kCases[i].rule.empty())
      EXPECT_TRUE(fired.empty()) << kCases[i].target << " is benign, yet fired " << *fired.begin();
    else
      EXPECT_TRUE(fired.contains(kCases[i].rule)) << kCases[i].target << " should fire " << kCases[i].rule;
  }
}
