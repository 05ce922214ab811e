// End-to-end: YARA inside vigil watch (issue 15, sources.scan). The drop zones are trees on a
// tmpfs the test mounts in a private mount namespace (the host's mounts are never marked); the
// daemon started there; then a PHP web shell written into the web root, an XMRig configuration
// moved into the temporary directory, a clean PHP page, and the web shell written again with
// the same bytes. The two are reported within 2 s, once each; the clean page says nothing.
// Through fanotify, and separately inotify.
#include <filesystem>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "e2e/watch_support.hpp"

using namespace vigil::testing;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kScript = R"SH(
set -u
D="$1"; V="$2"
mount -t tmpfs vigil-scan-test "$D/zones" || exit 3
mkdir -p "$D/zones/www/uploads" "$D/zones/tmp" "$D/zones/staging"
start_watch
echo '<?php echo htmlspecialchars($_GET["q"] ?? ""); ?>' > "$D/zones/www/index.php"
printf '%s\n' '<?php if(isset($_REQUEST["c"])){ echo "<pre>"; system($_REQUEST["c"]); } ?>' > "$D/zones/www/uploads/img.php"
reported img.php
printf '%s\n' '{"autosave": true, "donate-level": 1, "cpu": {"enabled": true}, "randomx": {"mode": "fast"},' \
  '"pools": [{"url": "pool.example.net:3333", "user": "x", "algo": "rx/0"}]}' > "$D/zones/staging/config.json"
mv "$D/zones/staging/config.json" "$D/zones/tmp/config.json"; reported config.json
printf '%s\n' '<?php if(isset($_REQUEST["c"])){ echo "<pre>"; system($_REQUEST["c"]); } ?>' > "$D/zones/www/uploads/img.php"
sleep 1.5
kill $W; wait $W
)SH";

void live_scan(const std::string& events) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root for a private mount namespace";
  if (!fs::exists("/usr/bin/unshare")) GTEST_SKIP() << "needs unshare (util-linux)";
  TempDir d("vigil-watch-scan");
  fs::create_directories(d / "zones");
  d.write("w.yaml", "state_dir: " + d / "state" +
                        "\nsources:\n  triage: off\n  processes: off\n  fim: off\n  scan:\n    paths: [" +
                        d / "zones/www" + ", " + d / "zones/tmp" + "]\n    events: " + events +
                        "\nsinks:\n  - {type: jsonl, path: " + d / "out.jsonl" + "}\n");
  auto r = run_vigil_as({"/usr/bin/unshare", "-m", "--propagation", "private", "/bin/sh", "-c", std::string(kWatchShellFunctions) + std::string(kScript), "sh", d.path(),
                         VIGIL_BINARY});
  ASSERT_EQ(r.exit_code, 0) << r.err << slurp(d / "err.txt");
  std::map<std::string, int> elapsed;
  std::istringstream in(slurp(d / "elapsed"));
  for (std::string name; in >> name;) in >> elapsed[name];
  for (const char* name : {"img.php", "config.json"}) {
    ASSERT_TRUE(elapsed.contains(name)) << slurp(d / "elapsed");
    EXPECT_LT(elapsed[name], 2000) << name << " reported after " << elapsed[name] << " ms\n"
                                   << slurp(d / "out.jsonl") << slurp(d / "err.txt");
  }
  auto shells = written(d, "yara.vigil_webshell_php");
  ASSERT_EQ(shells.size(), 1u) << "written twice with the same bytes: reported once\n" << slurp(d / "out.jsonl");
  EXPECT_EQ(shells[0]["file"]["path"], d / "zones/www/uploads/img.php");
  auto miners = written(d, "yara.vigil_miner_xmrig_config");
  ASSERT_EQ(miners.size(), 1u) << slurp(d / "out.jsonl");
  EXPECT_EQ(miners[0]["file"]["path"], d / "zones/tmp/config.json");
  EXPECT_EQ(slurp(d / "out.jsonl").find("index.php"), std::string::npos) << slurp(d / "out.jsonl");
  auto status = nlohmann::json::parse(slurp(d / "state/status.json"), nullptr, false);
  ASSERT_FALSE(status.is_discarded());
  EXPECT_GE(status["scan"]["matched"].get<int>(), 2) << status.dump();
}

}  // namespace

TEST(WatchScan, FilesWrittenIntoTheDropZonesAreScannedThroughFanotify) { live_scan("fanotify"); }
TEST(WatchScan, FilesWrittenIntoTheDropZonesAreScannedThroughInotify) { live_scan("inotify"); }
