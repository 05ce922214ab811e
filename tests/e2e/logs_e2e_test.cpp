// vigil logs scan end to end: planted logs, bad input, the public corpus (when
// ../shared/corpus is present) and the generated workloads with ground truth.
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include "e2e/vigil_run.hpp"
#include "support/temp_dir.hpp"

using namespace vigil::testing;
namespace fs = std::filesystem;

namespace {

const std::string kCorpus = std::string(VIGIL_SOURCE_DIR) + "/../shared/corpus";
const std::string kWorkloads = std::string(VIGIL_SOURCE_DIR) + "/../shared/workloads";

RunResult logs_scan(std::vector<std::string> args) {
  std::vector<std::string> full = {VIGIL_BINARY, "logs", "scan"};
  full.insert(full.end(), args.begin(), args.end());
  return run_vigil_as(full);
}

std::vector<nlohmann::json> jsonl(const std::string& out) {
  std::vector<nlohmann::json> v;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) v.push_back(nlohmann::json::parse(line));
  return v;
}

std::set<std::string> rules_for(const std::vector<nlohmann::json>& findings, const std::string& ip) {
  std::set<std::string> out;
  for (const auto& f : findings)
    if (f.contains("source") && f["source"].contains("ip")) {
      const auto& v = f["source"]["ip"];
      bool hit = v.is_array() ? std::find(v.begin(), v.end(), ip) != v.end() : v == ip;
      if (hit) out.insert(f["rule"]["id"]);
    }
  return out;
}

void gzip_file(const std::string& path, const std::string& content) {
  gzFile z = gzopen(path.c_str(), "wb");
  gzwrite(z, content.data(), static_cast<unsigned>(content.size()));
  gzclose(z);
}

#define NEED_CORPUS()                                                                        \
  if (!fs::exists(kCorpus)) GTEST_SKIP() << "../shared/corpus is absent: corpus test skipped"

}  // namespace

TEST(LogsScan, BruteForceThenLoginIsHighAndACleanLogIsQuiet) {
  TempDir dir;
  std::string attack, clean;
  for (int i = 0; i < 8; ++i)
    attack += "Nov 17 10:00:0" + std::to_string(i) + " h sshd[9]: Failed password for root from 203.0.113.9 port 4 ssh2\n";
  attack += "Nov 17 10:03:00 h sshd[9]: Accepted password for root from 203.0.113.9 port 4 ssh2\n";
  for (int i = 0; i < 5; ++i)
    clean += "Nov 17 09:0" + std::to_string(i) + ":00 h sshd[8]: Accepted publickey for alice from 10.0.0.5 port 5 ssh2\n";
  clean += "Nov 17 09:30:00 h sshd[8]: Failed password for alice from 10.0.0.5 port 5 ssh2\n";
  clean += "Nov 17 09:30:05 h sshd[8]: Accepted password for alice from 10.0.0.5 port 5 ssh2\n";
  clean += "Nov 17 09:31:00 h CRON[7]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)\n";
  auto quiet = logs_scan({dir.write("clean.log", clean), "--format", "jsonl", "--fail-on", "low"});
  EXPECT_EQ(quiet.exit_code, 0) << quiet.out << quiet.err;
  EXPECT_TRUE(quiet.out.empty()) << quiet.out;
  auto r = logs_scan({dir.write("auth.log", attack), "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto rules = rules_for(jsonl(r.out), "203.0.113.9");
  EXPECT_TRUE(rules.count("logs.auth-brute-force"));
  EXPECT_TRUE(rules.count("logs.login-after-brute-force"));
  EXPECT_TRUE(rules.count("logs.ssh-root-login"));
  auto dshield = logs_scan({dir / "auth.log", "--dshield", "-", "--dshield-id", "42"});
  EXPECT_NE(dshield.out.find("\t42\t"), std::string::npos) << dshield.out;
  EXPECT_NE(dshield.out.find("\t203.0.113.9\t"), std::string::npos);
  EXPECT_NE(dshield.out.find("\t22\t6\t"), std::string::npos);
}

TEST(LogsScan, RotatedGzipStdinAndBadInputs) {
  TempDir dir;
  // Rotated set: the failures are in the older, compressed file, the login in the live one.
  std::string old_part;
  for (int i = 0; i < 6; ++i)
    old_part += "Nov 17 10:00:0" + std::to_string(i) + " h sshd[9]: Failed password for bob from 198.51.100.7 port 4 ssh2\n";
  fs::create_directories(dir / "logs");
  gzip_file(dir / "logs/auth.log.1.gz", old_part);
  dir.write("logs/auth.log", "Nov 17 10:05:00 h sshd[9]: Accepted password for bob from 198.51.100.7 port 4 ssh2\n");
  // Bad inputs beside it: binary data, a 10 MB line, garbage lines.
  std::string binary(100000, '\0');
  dir.write("logs/core.bin", binary);
  dir.write("logs/huge.log", "Nov 17 10:06:00 h x[1]: " + std::string(10 << 20, 'A') + "\nnot a log line\n");
  auto r = logs_scan({dir / "logs", "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(rules_for(jsonl(r.out), "198.51.100.7").count("logs.login-after-brute-force")) << r.out;
  EXPECT_NE(r.err.find("core.bin: binary data"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("huge.log: line 1: longer than"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("huge.log: 1 of 2 lines in no known format"), std::string::npos) << r.err;
  // A missing file is an error, and the others are still scanned.
  auto m = logs_scan({dir / "nope.log", dir / "logs/auth.log.1.gz", "--format", "jsonl"});
  EXPECT_EQ(m.exit_code, 2);
  EXPECT_NE(m.err.find("nope.log"), std::string::npos);
  EXPECT_TRUE(rules_for(jsonl(m.out), "198.51.100.7").count("logs.auth-brute-force")) << m.out;
  // Standard input.
  std::string cmd = std::string("printf '%s' '1.2.3.4 - - [10/Oct/2004:04:20:13 -0400] \"GET /scripts/root.exe?/c+dir "
                                "HTTP/1.0\" 404 1 \"-\" \"-\"\n' | ") + VIGIL_BINARY + " logs scan - --format jsonl";
  FILE* p = ::popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  ::pclose(p);
  EXPECT_TRUE(rules_for(jsonl(out), "1.2.3.4").count("logs.web-worm-probe")) << out;
  // A malformed rule file: reported, the built-ins still load.
  dir.write("bad/rule.yml", "title: x\nlogsource: {category: webserver}\ndetection: [\n");
  auto b = logs_scan({dir / "logs/auth.log", "--rules", dir / "bad", "--format", "json"});
  auto doc = nlohmann::json::parse(b.out);
  EXPECT_EQ(doc["rules_not_loaded"].size(), 1u);
  EXPECT_GT(doc["summary"]["rules"].get<int>(), 20);
}

constexpr std::string_view kHandWritten = "<!-- The table above is generated (scripts/regen-docs.sh); what follows is written by hand. -->";

TEST(LogsScan, DocsListEveryBuiltInRule) {
  // The table is generated; the part after it (the learned web profile's models) is written by hand.
  auto r = run_vigil_as({VIGIL_BINARY, "logs", "rules", "--markdown"});
  auto doc = slurp(std::string(VIGIL_SOURCE_DIR) + "/docs/LOG_RULES.md");
  EXPECT_EQ(doc.substr(0, r.out.size()), r.out) << "regenerate with: scripts/regen-docs.sh";
  EXPECT_TRUE(doc.substr(r.out.size()).starts_with("\n" + std::string(kHandWritten)))
      << "docs/LOG_RULES.md: the hand-written part follows the table after the line " << kHandWritten;
}

TEST(LogsCorpus, SshBruteForceSourcesAndTheOwnerIsNotAnAttacker) {
  NEED_CORPUS();
  auto d = logs_scan({kCorpus + "/studiawan-imbalance-anomaly-gt/datasets/dfrws-2009/logs", "--format", "jsonl"});
  auto f = jsonl(d.out);
  EXPECT_TRUE(rules_for(f, "194.106.229.35").count("logs.auth-brute-force"));
  for (const auto& rule : rules_for(f, "137.30.123.91")) ADD_FAILURE() << "the owner's address got " << rule;
  auto o = logs_scan({kCorpus + "/loghub/OpenSSH/OpenSSH_2k.log", "--format", "jsonl"});
  EXPECT_TRUE(rules_for(jsonl(o.out), "183.62.140.253").count("logs.auth-brute-force")) << o.out.substr(0, 2000);
  auto h = logs_scan({kCorpus + "/studiawan-imbalance-anomaly-gt/datasets/honeynet-challenge7/logs/auth.log",
                      "--format", "jsonl"});
  EXPECT_TRUE(rules_for(jsonl(h.out), "192.168.56.1").count("logs.auth-brute-force")) << h.out;
  auto l = logs_scan({kCorpus + "/loghub/Linux/Linux_2k.log", "--format", "jsonl"});
  EXPECT_FALSE(jsonl(l.out).empty());  // legacy sshd(pam_unix) failures
}

TEST(LogsCorpus, WebAttackLogs) {
  NEED_CORPUS();
  auto h = logs_scan({kCorpus + "/honeynet-redhat71-wagaken/dataset/httpd", "--format", "json"});
  auto doc = nlohmann::json::parse(h.out);
  std::set<std::string> rules;
  for (const auto& f : doc["findings"]) rules.insert(f["rule"]["id"]);
  EXPECT_TRUE(rules.count("logs.web-worm-probe"));
  EXPECT_TRUE(rules.count("logs.web-traversal"));
  auto t = logs_scan({kCorpus + "/EVTX-ATTACK-SAMPLES/Command and Control/web_attack_and_isp_webshell_localhost_access_log.txt",
                      "--format", "json"});
  auto tdoc = nlohmann::json::parse(t.out);
  EXPECT_EQ(tdoc["inputs"][0]["unparsed"], 0) << tdoc["inputs"][0].dump();
  std::set<std::string> trules;
  for (const auto& f : tdoc["findings"]) trules.insert(f["rule"]["id"]);
  EXPECT_TRUE(trules.count("logs.web-webshell"));
  // Its manager "brute force" is 3 refusals in one second, under the 5-failure threshold.
  EXPECT_FALSE(trules.count("logs.tomcat-manager-brute-force"));
  auto o = logs_scan({kCorpus + "/ocatak-apache-http-logs", "--format", "json"});
  auto odoc = nlohmann::json::parse(o.out);
  for (const auto& in : odoc["inputs"])  // the quoted-line logs parse whole (the folder's README does not)
    if (in["path"].get<std::string>().ends_with(".txt")) EXPECT_EQ(in["unparsed"], 0) << in.dump();
  EXPECT_GT(odoc["findings"].size(), 5u);
  auto e = logs_scan({kCorpus + "/elastic-examples", "--format", "jsonl", "--fail-on", "high"});
  EXPECT_EQ(e.exit_code, 0) << e.out.substr(0, 3000);
}

TEST(LogsCorpus, IisW3cLogs) {
  NEED_CORPUS();
  auto b = logs_scan({kCorpus + "/brianary-scripts/test/data/u_ex100815.log", "--format", "json"});
  auto doc = nlohmann::json::parse(b.out);
  EXPECT_EQ(doc["inputs"][0]["format"], "w3c");
  EXPECT_EQ(doc["inputs"][0]["unparsed"], 0);
  auto t = logs_scan({kCorpus + "/EVTX-ATTACK-SAMPLES/Command and Control/Tunna_rdp_tunnel_IIS.log", "--format", "json"});
  auto tdoc = nlohmann::json::parse(t.out);
  EXPECT_EQ(tdoc["inputs"][0]["unparsed"], 0);
  std::set<std::string> rules;
  for (const auto& f : tdoc["findings"]) rules.insert(f["rule"]["id"]);
  EXPECT_TRUE(rules.count("logs.web-webshell"));
}

TEST(LogsCorpus, SigmaHqLinuxBuiltinAndWebRulesLoad) {
  NEED_CORPUS();
  std::vector<std::string> args = {VIGIL_BINARY, "logs", "rules", "--no-builtin", "--rules",
                                   kCorpus + "/sigma/rules/linux/builtin", "--rules", kCorpus + "/sigma/rules/web"};
  auto r = run_vigil_as(args);
  std::printf("%s", r.out.substr(0, r.out.find('\n') + 1).c_str());
  EXPECT_NE(r.out.find("38 rules and correlations loaded from 67 file(s); 29 not loaded"), std::string::npos);
  // Every rule not loaded is a proxy rule: vigil reads no proxy logs.
  std::istringstream in(r.out.substr(r.out.find("Not loaded:")));
  int listed = 0;
  for (std::string line; std::getline(in, line);)
    if (line.rfind("  ", 0) == 0) {
      ++listed;
      EXPECT_NE(line.find("category=proxy"), std::string::npos) << line;
    }
  EXPECT_EQ(listed, 29);
}

TEST(LogsWorkload, GroundTruthOfTheGeneratedLogs) {
  if (!fs::exists(kWorkloads)) GTEST_SKIP() << "../shared/workloads is absent: workload test skipped";
  TempDir dir;
  auto gen = [&](const std::string& script, const std::vector<std::string>& extra) {
    std::string cmd = "python3 " + kWorkloads + "/" + script + " --lines 1000000";
    for (const auto& e : extra) cmd += " " + e;
    return std::system((cmd + " >/dev/null").c_str());
  };
  ASSERT_EQ(gen("gen_authlog.py", {"--out", dir / "auth.log", "--truth", dir / "auth.truth"}), 0);
  auto a = logs_scan({dir / "auth.log", "--format", "jsonl"});
  std::map<std::string, std::set<std::string>> flagged;
  for (const auto& f : jsonl(a.out))
    if (f.contains("source") && f["source"]["ip"].is_string()) flagged[f["source"]["ip"]].insert(f["rule"]["id"]);
  std::ifstream truth(dir / "auth.truth");
  int heavy = 0, medium = 0;
  for (std::string line; std::getline(truth, line);) {
    if (line.empty() || line[0] == '#' || line.rfind("ip\t", 0) == 0) continue;
    std::istringstream ls(line);
    std::string ip, cls;
    ls >> ip >> cls;
    bool brute = flagged[ip].count("logs.auth-brute-force") || flagged[ip].count("logs.auth-slow-brute-force");
    if (cls == "heavy" || cls == "medium") {
      (cls == "heavy" ? heavy : medium)++;
      EXPECT_TRUE(brute) << cls << " source " << ip << " not found";
    }
    if (cls == "legit") EXPECT_FALSE(brute) << "legitimate client " << ip << " flagged as a brute forcer";
  }
  EXPECT_EQ(heavy, 40);
  EXPECT_GT(medium, 100);

  ASSERT_EQ(gen("gen_accesslog.py", {"--out", dir / "access.log", "--truth", dir / "access.truth", "--labels",
                                     dir / "access.labels"}),
            0);
  auto w = logs_scan({dir / "access.log", "--events"});
  std::vector<std::string> labels;
  std::ifstream lf(dir / "access.labels");
  for (std::string l; std::getline(lf, l);) labels.push_back(l);
  std::set<std::size_t> lines;
  for (const auto& m : jsonl(w.out)) lines.insert(m["log"]["file"]["line"].get<std::size_t>());
  std::map<std::string, std::pair<int, int>> by;  // category → flagged, total
  for (std::size_t i = 0; i < labels.size(); ++i) {
    auto& c = by[labels[i]];
    ++c.second;
    if (lines.count(i + 1)) ++c.first;
  }
  for (const auto& [cat, c] : by) {
    double rate = 100.0 * c.first / c.second;
    std::printf("%-18s %6d / %6d flagged (%.2f %%)\n", cat.c_str(), c.first, c.second, rate);
    if (cat == "normal" || cat == "benign_lookalike")
      EXPECT_LT(rate, 0.1) << cat;
    else
      EXPECT_GE(rate, 99.0) << cat;
  }
}

// Reports of a new user (issue 31): year-less dates after the file's mtime, invalid-user and
// RedHat PAM brute forces, host names where an address belongs, a user agent's locale.
TEST(LogsScan, DatesBruteForcesHostNamesAndUserAgentsAsAUserExpects) {
  TempDir dir;
  std::string auth;
  for (int i = 0; i < 360; ++i) {  // 360 invalid users in 28 minutes, no password ever tried
    char t[32];
    std::snprintf(t, sizeof t, "Dec 10 10:%02d:%02d", i * 28 / 360, (i * 280 / 60) % 60);
    auth += std::string(t) + " h sshd[9]: Invalid user u" + std::to_string(i % 3) + " from 203.0.113.77 port 4\n";
  }
  for (int i = 0; i < 10; ++i)  // legacy RedHat PAM records with a host name for rhost
    auth += "Dec 10 11:00:0" + std::to_string(i) +
            " combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= "
            "rhost=n219076184117.netvigator.com  user=root\n";
  auto path = dir.write("auth.log", auth);
  std::string touch = "touch -d '2026-12-03 12:00:00 UTC' " + path;
  ASSERT_EQ(std::system(touch.c_str()), 0);
  auto r = logs_scan({path, "--format", "jsonl"});
  auto findings = jsonl(r.out);
  EXPECT_TRUE(rules_for(findings, "203.0.113.77").count("logs.auth-brute-force")) << r.out;
  EXPECT_FALSE(rules_for(findings, "203.0.113.77").count("logs.auth-slow-brute-force"))
      << "a window rule saw it: it did not stay under the thresholds";
  bool domain_brute_force = false;
  for (const auto& f : findings) {
    if (f.contains("source") && f["source"].contains("ip"))
      EXPECT_NE(f["source"]["ip"], "n219076184117.netvigator.com") << "a host name is not an address";
    if (f["rule"]["id"] == "logs.auth-brute-force" && f.contains("source") && f["source"].contains("domain"))
      domain_brute_force = f["source"]["domain"] == "n219076184117.netvigator.com";
    if (f["rule"]["id"] == "logs.auth-brute-force" && f.contains("source") && f["source"].contains("ip"))
      EXPECT_EQ(f["event"]["start"], "2025-12-10T10:00:00Z") << "the window's first failure, not the firing";
    if (f.contains("event") && f["event"].contains("start") && f["event"]["start"].is_string())
      EXPECT_EQ(f["event"]["start"].get<std::string>().substr(0, 10), "2025-12-10")
          << "Dec 10 after a file last written on Dec 3 is from the year before";
  }
  EXPECT_TRUE(domain_brute_force) << r.out;
  auto dshield = logs_scan({path, "--dshield", "-"});
  EXPECT_NE(dshield.out.find("2025-12-10 10:00:00 +00:00"), std::string::npos) << dshield.out;
  EXPECT_EQ(dshield.out.find("netvigator"), std::string::npos) << "DShield takes addresses only";

  // A user agent's locale "; id)" is not a command; a pipe into id, or ;id in a query, is.
  auto web = dir.write(
      "access.log",
      "82.145.208.98 - - [18/May/2015:14:05:13 +0000] \"GET /reset.css HTTP/1.1\" 200 1015 \"-\" \"Opera/9.80 (MTK; "
      "Opera Mini/2.1199/34.1244; U; id) Presto/2.8.119 Version/11.10\"\n"
      "198.51.100.5 - - [18/May/2015:14:05:14 +0000] \"GET /x HTTP/1.1\" 200 1 \"-\" \"curl | id\"\n"
      "198.51.100.6 - - [18/May/2015:14:05:15 +0000] \"GET /ping.php?host=1.2.3.4;id HTTP/1.1\" 200 1 \"-\" \"-\"\n");
  auto w = jsonl(logs_scan({web, "--format", "jsonl"}).out);
  EXPECT_FALSE(rules_for(w, "82.145.208.98").count("logs.web-command-injection"));
  EXPECT_TRUE(rules_for(w, "198.51.100.5").count("logs.web-command-injection"));
  EXPECT_TRUE(rules_for(w, "198.51.100.6").count("logs.web-command-injection"));
}

// Binary is decided block by block: a log behind a run of NUL bytes (space a crash left) is
// read, random bytes are not read as lines, a truncated .gz says so.
TEST(LogsScan, BinaryRegionsAreLeftOutAndTruncationIsReported) {
  TempDir dir;
  std::string lines;
  for (int i = 0; i < 8; ++i)
    lines += "Nov 17 10:00:0" + std::to_string(i) + " h sshd[9]: Failed password for root from 203.0.113.9 port 4 ssh2\n";
  auto nul = dir.write("nul.log", std::string(100000, '\0') + lines);
  auto r = logs_scan({nul, "--format", "jsonl"});
  EXPECT_TRUE(rules_for(jsonl(r.out), "203.0.113.9").count("logs.auth-brute-force")) << r.err;
  EXPECT_NE(r.err.find("nul.log: 100000 NUL bytes inside text left out"), std::string::npos) << r.err;
  std::string noise(200000, '\0');
  std::mt19937 rng(7);
  for (auto& c : noise) c = static_cast<char>(rng());
  auto random = dir.write("random.log", noise);
  auto b = logs_scan({random, "--format", "jsonl"});
  EXPECT_EQ(b.exit_code, 2);
  EXPECT_NE(b.err.find("random.log: binary data, not a text log: skipped"), std::string::npos) << b.err;
  auto mixed = dir.write("mixed.log", lines + noise + lines);
  auto m = logs_scan({mixed, "--format", "jsonl"});
  EXPECT_NE(m.err.find("bytes of binary data in 1 region(s) left out"), std::string::npos) << m.err;
  EXPECT_TRUE(rules_for(jsonl(m.out), "203.0.113.9").count("logs.auth-brute-force"));
  std::string big;
  for (int i = 0; i < 20000; ++i)
    big += "Nov 17 10:00:00 h sshd[" + std::to_string(rng() % 99999) + "]: Failed password for u" +
           std::to_string(rng()) + " from 198.51.100." + std::to_string(rng() % 250) + " port 4 ssh2\n";
  gzip_file(dir / "whole.log.gz", big);
  auto gz = slurp(dir / "whole.log.gz");
  dir.write("cut.log.gz", gz.substr(0, gz.size() / 2));
  auto t = logs_scan({dir / "cut.log.gz", "--format", "jsonl"});
  EXPECT_NE(t.err.find("cut.log.gz: the compressed data ends early (truncated)"), std::string::npos) << t.err;
  auto e = logs_scan({dir.write("empty.log", ""), "--format", "jsonl"});
  EXPECT_EQ(e.exit_code, 0) << "an empty log is nothing to find, not an error";
  EXPECT_NE(e.err.find("empty.log: empty: nothing to read"), std::string::npos) << e.err;
}

// --rules takes one path per use (it used to swallow the log after it), and --dshield - owns
// standard output alone (issue 31, 18 and 23).
TEST(LogsScan, OptionsDoNotSwallowOrMixOutputs) {
  TempDir dir;
  std::string attack;
  for (int i = 0; i < 6; ++i)
    attack += "Nov 17 10:00:0" + std::to_string(i) + " h sshd[9]: Failed password for root from 203.0.113.5 port 4 ssh2\n";
  auto log = dir.write("auth.log", attack);
  auto r = logs_scan({"--rules", std::string(VIGIL_SOURCE_DIR) + "/rules/logs/web", log, "--format", "jsonl",
                      "--fail-on", "medium"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(rules_for(jsonl(r.out), "203.0.113.5").count("logs.auth-brute-force")) << "the log was read as a log";
  auto mixed = logs_scan({log, "--dshield", "-", "--format", "json"});
  EXPECT_EQ(mixed.exit_code, 2);
  EXPECT_NE(mixed.err.find("--dshield - writes DShield lines to standard output"), std::string::npos) << mixed.err;
  EXPECT_NO_THROW((void)nlohmann::json::parse(mixed.out)) << "with --format json the error is JSON: " << mixed.out;
}

// SigmaHQ's linux process_creation and network_connection rules load for vigil watch's process
// events; each one that cannot is listed with the field it needs that an event does not carry.
TEST(LogsRules, SigmaHqProcessRulesLoadAndTheRestSayWhichFieldIsMissing) {
  NEED_CORPUS();
  const std::string linux_rules = kCorpus + "/sigma/rules/linux/";
  auto count = [](const std::string& dir) {
    std::size_t n = 0;
    for (const auto& e : fs::directory_iterator(dir)) n += e.path().extension() == ".yml";
    return n;
  };
  const std::size_t creation_files = count(linux_rules + "process_creation");
  const std::size_t connection_files = count(linux_rules + "network_connection");
  auto r = run_vigil({"logs", "rules", "--rules", linux_rules + "process_creation", "--rules",
                      linux_rules + "network_connection"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Every file is either judging process events or listed with its reason.
  auto judged = r.out.find(" of them judge process events");
  ASSERT_NE(judged, std::string::npos) << r.out;
  std::size_t start = r.out.rfind('\n', judged);
  std::size_t loaded = std::stoul(r.out.substr(start == std::string::npos ? 0 : start + 1));
  std::size_t not_loaded = 0, missing_field = 0;
  for (std::size_t at = r.out.find("Not loaded:"); at != std::string::npos && (at = r.out.find("\n  ", at + 1)) != std::string::npos;) {
    auto line = r.out.substr(at + 3, r.out.find('\n', at + 1) - at - 3);
    if (line.find("sigma/rules/linux/") == std::string::npos) continue;
    ++not_loaded;
    missing_field += line.find("is not in process creation events") != std::string::npos ||
                     line.find("is not in network connection events") != std::string::npos;
  }
  EXPECT_EQ(loaded + not_loaded, creation_files + connection_files) << r.out;
  EXPECT_GE(loaded, creation_files - 5) << r.out;  // measured: 120 of 122 and 2 of 5
  EXPECT_EQ(missing_field, not_loaded) << r.out;
}
