// The HTML report (issue 16): one self-contained page whose only script is vigil's (allowed by
// its hash in the page's CSP); every value from the inspected host escaped, so a process named
// <script>… is text; rows carry their severity for the filter; the process tree indents
// children under their parent and marks the processes findings name.
#include <sstream>

#include <gtest/gtest.h>

#include "report/html_page.hpp"
#include "report/report.hpp"

using namespace vigil;

namespace {

std::size_t count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

std::string render(const report::TriageReport& r) {
  std::ostringstream out;
  report::render_html(r, out);
  return out.str();
}

}  // namespace

TEST(HtmlReport, HostileValuesAreTextAndOnlyVigilsScriptRuns) {
  const std::string hostile = "<script>document.body.setAttribute('data-pwned','1')</script>";
  collect::Snapshot s;
  s.host.hostname = "web1\"><img src=x onerror=alert(1)>";
  s.tables = {"processes", "sockets"};
  collect::ProcessRow parent, child;
  parent.pid = 1;
  parent.name = "init";
  child.pid = 42;
  child.ppid = 1;
  child.name = hostile;
  child.cmdline = hostile + " --port 3349";
  s.processes = {parent, child};
  collect::SocketRow so;
  so.protocol = "tcp";
  so.state = "LISTEN";
  so.local_address = "0.0.0.0";
  so.local_port = 3349;
  so.pid = 42;
  so.process = hostile;
  s.sockets = {so};
  report::TriageReport r;
  r.snapshot = &s;
  Finding high;
  high.rule = "process.reverse-shell";
  high.severity = Severity::high;
  high.title = "Reverse shell " + hostile;
  high.attack = {"T1059.004"};
  high.add("process.pid", std::int64_t{42}).add("process.command_line", hostile);
  Finding low;
  low.rule = "file.odd";
  low.severity = Severity::low;
  low.title = "odd";
  r.findings = {high, low};
  auto html = render(r);
  EXPECT_EQ(count(html, "<script"), 1u) << "only vigil's own script";
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;document.body.setAttribute(&#39;data-pwned&#39;,&#39;1&#39;)&lt;/script&gt;"),
            std::string::npos);
  EXPECT_NE(html.find("script-src 'sha256-"), std::string::npos);
  EXPECT_EQ(html.find("unsafe-inline'; img"), std::string::npos) << "no inline script allowed but vigil's";
  EXPECT_EQ(count(html, "data-sev=\"high\""), 1u);
  EXPECT_EQ(count(html, "data-sev=\"low\""), 1u);
  EXPECT_NE(html.find("https://attack.mitre.org/techniques/T1059/004"), std::string::npos);
  // The child is indented under its parent and marked (a high finding names pid 42).
  auto child_row = html.find("<tr class=\"flag\"><td style=\"padding-left:");
  EXPECT_NE(child_row, std::string::npos) << html;
  EXPECT_NE(html.find("id=\"ports\""), std::string::npos);
  EXPECT_EQ(html.find("id=\"logins\""), std::string::npos) << "a table not collected is not shown";
  EXPECT_NE(html.find("http://"), 0u);
  EXPECT_EQ(html.find("src=\"http"), std::string::npos) << "nothing is fetched";
}

TEST(HtmlReport, EscapingCoversEveryHtmlSpecialCharacter) {
  EXPECT_EQ(report::html_escape("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

TEST(HtmlReport, AWhyAndRemedySharedByManyFindingsIsWrittenOnce) {
  report::TriageReport r;
  for (int i = 0; i < 3; ++i) {
    Finding f;
    f.rule = "yara.webshell";
    f.severity = Severity::high;
    f.title = "web shell";
    f.why = "A long explanation that every one of these findings shares.";
    f.remedy = "Remove it.";
    f.add("file.path", "/var/www/s" + std::to_string(i) + ".php");
    r.findings.push_back(f);
  }
  Finding once = r.findings[0];
  once.rule = "other";
  once.why = "Said once.";
  r.findings.push_back(once);
  auto html = render(r);
  EXPECT_EQ(count(html, "A long explanation"), 1u);
  EXPECT_EQ(count(html, "href=\"#why-1\""), 3u);
  EXPECT_EQ(count(html, "id=\"why-1\""), 1u);
  EXPECT_EQ(count(html, "<details><summary>why, remedy</summary><p>Said once."), 1u) << "a text used once stays inline";
}
