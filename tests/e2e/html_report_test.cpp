// vigil triage --format html in a real browser (issue 16): headless Chromium loads the file,
// runs its script and gives back the DOM; the fragment sets the view as a person clicking would
// (#min=medium hides the low rows, #sort=findings:1 orders the rule column); a live process
// whose name is a script is shown as text and its script never runs. Screenshots land in
// build/test-artifacts/. Skipped when Chromium is absent.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <regex>

#include <gtest/gtest.h>

#include "e2e/fixture_root.hpp"
#include "e2e/vigil_run.hpp"
#include "support/temp_dir.hpp"

using namespace vigil::testing;
namespace fs = std::filesystem;

namespace {

const std::string kChromium = "/usr/bin/chromium";

std::string artifacts() {
  std::string dir = std::string(VIGIL_BUILD_DIR) + "/test-artifacts";
  fs::create_directories(dir);
  return dir;
}

// The DOM after the page's script ran, for the file with a fragment.
std::string dom(const std::string& file, const std::string& fragment) {
  auto r = run_vigil_as({kChromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                         "--user-data-dir=" + fs::path(file).parent_path().string() + "/chromium-profile",
                         "--virtual-time-budget=3000", "--dump-dom", "file://" + file + fragment});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

void screenshot(const std::string& file, const std::string& png) {
  auto r = run_vigil_as({kChromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                         "--user-data-dir=" + fs::path(file).parent_path().string() + "/chromium-profile",
                         "--hide-scrollbars", "--window-size=1280,1600", "--screenshot=" + png, "file://" + file});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(png));
}

// Every <tr …data-sev="SEV"…> opening tag in the DOM.
std::vector<std::string> rows_of(const std::string& dom, const std::string& sev) {
  std::vector<std::string> out;
  std::regex tag("<tr[^>]*data-sev=\"" + sev + "\"[^>]*>");
  for (auto it = std::sregex_iterator(dom.begin(), dom.end(), tag); it != std::sregex_iterator(); ++it)
    out.push_back(it->str());
  return out;
}

}  // namespace

TEST(HtmlReport, FiltersAndSortingWorkInABrowser) {
  if (!fs::exists(kChromium)) GTEST_SKIP() << "chromium is not installed (make setup installs it)";
  TempDir d("vigil-html");
  base_root(d);
  // Findings of several severities: a NOPASSWD sudo rule, a world-writable cron file, an
  // unowned program with a service's name.
  d.write("etc/sudoers.d/deploy", "deploy ALL=(ALL) NOPASSWD: ALL\n");
  d.write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\ndeploy:x:1000:1000::/home/deploy:/bin/bash\n"
                        "toor:x:0:0::/root:/bin/sh\n");
  age_files(d);
  TempDir out("vigil-html-out");  // never inside the inspected root
  std::string html = out / "triage.html";
  auto r = run_vigil({"triage", "--root", d.path(), "--format", "html", "--out", html, "--no-suppress"});
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  auto all = dom(html, "");
  ASSERT_NE(all.find("data-ready=\"1\""), std::string::npos) << "the page's script ran";
  auto lows = rows_of(all, "low"), mediums = rows_of(all, "medium"), highs = rows_of(all, "high");
  ASSERT_FALSE(lows.empty() && mediums.empty()) << all;
  for (const auto& t : lows) EXPECT_EQ(t.find("hidden"), std::string::npos);
  auto filtered = dom(html, "#min=medium");
  for (const auto& t : rows_of(filtered, "low")) EXPECT_NE(t.find("hidden"), std::string::npos) << t;
  for (const auto& t : rows_of(filtered, "medium")) EXPECT_EQ(t.find("hidden"), std::string::npos) << t;
  for (const auto& t : rows_of(filtered, "high")) EXPECT_EQ(t.find("hidden"), std::string::npos) << t;
  // Sorted by the rule column: the rule ids come in order.
  auto sorted = dom(html, "#sort=findings:1");
  auto table = sorted.substr(sorted.find("id=\"findings\""));
  table = table.substr(0, table.find("</table>"));
  std::vector<std::string> rules;
  std::regex rule_cell("</td><td>([a-z0-9_.-]+)</td>");
  for (auto it = std::sregex_iterator(table.begin(), table.end(), rule_cell); it != std::sregex_iterator(); ++it)
    rules.push_back((*it)[1]);
  ASSERT_GE(rules.size(), 2u) << table;
  EXPECT_TRUE(std::is_sorted(rules.begin(), rules.end())) << table;
  EXPECT_NE(table.find("aria-sort=\"ascending\""), std::string::npos);
  screenshot(html, artifacts() + "/triage-image.png");
}

TEST(HtmlReport, AProcessNamedLikeAScriptIsShownAsText) {
  if (!fs::exists(kChromium)) GTEST_SKIP() << "chromium is not installed (make setup installs it)";
  TempDir d("vigil-html-live");
  const std::string hostile = "<script>document.body.setAttribute('data-pwned','1')</script>";
  Planted p("/usr/bin/sleep", {hostile, "30"});
  ASSERT_GT(p.pid(), 0);
  std::string html = d / "triage.html";
  auto r = run_vigil({"triage", "--quick", "--format", "html", "--out", html, "--no-suppress"});
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  auto page = dom(html, "");
  ASSERT_NE(page.find("data-ready=\"1\""), std::string::npos);
  auto body = page.substr(page.find("<body"), page.find('>', page.find("<body")) - page.find("<body"));
  EXPECT_EQ(body.find("data-pwned"), std::string::npos) << "the process name's script ran: " << body;
  EXPECT_NE(page.find("&lt;script&gt;document.body.setAttribute"), std::string::npos)
      << "the name is shown as text";
  screenshot(html, artifacts() + "/triage-live.png");
}

TEST(HtmlReport, ALogsReportHasItsSourcesChartAndRules) {
  TempDir d("vigil-html-logs");
  std::string log;
  for (int h = 0; h < 3; ++h)
    for (int i = 0; i < 8; ++i)
      log += "Nov 17 1" + std::to_string(h) + ":00:0" + std::to_string(i) +
             " h sshd[9]: Failed password for root from 203.0.113.9 port 4 ssh2\n";
  log += "Nov 17 12:30:00 h sshd[9]: Accepted password for root from 203.0.113.9 port 4 ssh2\n";
  log += "Nov 17 12:31:00 h sshd[9]: Failed password for bob from <b>198.51.100.7</b> port 4 ssh2\n";
  d.write("auth.log", log);
  std::string html = d / "logs.html";
  auto r = run_vigil({"logs", "scan", d / "auth.log", "--format", "html", "--out", html, "--no-suppress"});
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  auto page = slurp(html);
  EXPECT_NE(page.find("id=\"sources\""), std::string::npos);
  EXPECT_NE(page.find("<td>203.0.113.9</td>"), std::string::npos) << page;
  auto chart = page.find("<svg id=\"hours-chart\"");
  ASSERT_NE(chart, std::string::npos);
  auto svg = page.substr(chart, page.find("</svg>", chart) - chart);
  std::size_t bars = 0;
  for (auto at = svg.find("<rect"); at != std::string::npos; at = svg.find("<rect", at + 1)) ++bars;
  EXPECT_EQ(bars, 3u) << "one bar per hour from the first to the last matched line\n" << svg;
  EXPECT_NE(page.find("id=\"rules\""), std::string::npos);
  EXPECT_EQ(page.find("<b>198"), std::string::npos) << "log content is escaped";
  if (!fs::exists(kChromium)) GTEST_SKIP() << "chromium is not installed: the page was not opened in a browser";
  auto shown = dom(html, "");
  EXPECT_NE(shown.find("data-ready=\"1\""), std::string::npos);
  screenshot(html, artifacts() + "/logs.png");
}

TEST(HtmlReport, AnAuditReportFiltersByResultInABrowser) {
  if (!fs::exists(kChromium)) GTEST_SKIP() << "chromium is not installed (make setup installs it)";
  TempDir root("vigil-html-audit"), out("vigil-html-audit-out");
  root.write("etc/debian_version", "12.5\n");
  root.write("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
  root.write("etc/ssh/sshd_config", "PermitRootLogin yes\nPasswordAuthentication yes\n");
  root.write("etc/login.defs", "PASS_MAX_DAYS 90\nUMASK 027\n");
  std::string html = out / "audit.html";
  auto r = run_vigil({"audit", "--root", root.path(), "--format", "html", "--out", html});
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  auto failed_only = dom(html, "#only=failed");
  ASSERT_NE(failed_only.find("data-ready=\"1\""), std::string::npos);
  auto failed = rows_of(failed_only, "failed"), passed = rows_of(failed_only, "passed");
  ASSERT_FALSE(failed.empty());
  ASSERT_FALSE(passed.empty());
  for (const auto& t : failed) EXPECT_EQ(t.find("hidden"), std::string::npos) << t;
  for (const auto& t : passed) EXPECT_NE(t.find("hidden"), std::string::npos) << t;
  screenshot(html, artifacts() + "/audit.png");
}
