// vigil audit patches (issue 19) as a user runs it: a Debian 12 image with apt lists, a feed
// as a directory and as osv.dev's zip, the patch section of vigil audit, bad input, and on
// this host the same updates apt list --upgradable shows.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "e2e/vigil_run.hpp"
#include "support/apt_fixture.hpp"

using namespace vigil::testing;

namespace {

constexpr std::string_view kDsa = R"({"id": "DSA-5600-1", "summary": "openssl security update",
  "related": ["CVE-2024-0001"], "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"},
  "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.13-1~deb12u1"}]}]}]})";
constexpr std::string_view kCve = R"({"id": "DEBIAN-CVE-2024-0001", "upstream": ["CVE-2024-0001"],
  "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"}, "ecosystem_specific": {"urgency": "high"},
  "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.13-1~deb12u1"}]}]}]})";

std::multiset<std::string> rules_of(const RunResult& r) {
  std::multiset<std::string> out;
  auto doc = nlohmann::json::parse(r.out, nullptr, false);
  if (doc.is_discarded()) return out;
  for (const auto& f : doc["findings"]) out.insert(f["rule"]["id"].get<std::string>());
  return out;
}

nlohmann::json first_with_rule(const RunResult& r, std::string_view rule) {
  auto doc = nlohmann::json::parse(r.out, nullptr, false);
  if (!doc.is_discarded())
    for (const auto& f : doc["findings"])
      if (f["rule"]["id"] == rule) return f;
  return {};
}

void write_zip(const std::string& path, const std::map<std::string, std::string_view>& members) {
  struct archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  archive_write_open_filename(a, path.c_str());
  for (const auto& [name, text] : members) {
    struct archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_size(e, static_cast<la_int64_t>(text.size()));
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_write_header(a, e);
    archive_write_data(a, text.data(), text.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
}

}  // namespace

TEST(Patches, AnImageWithAptListsAndAFeed) {
  TempDir root("vigil-patches"), feeds("vigil-feeds");
  plant_apt_fixture(root);
  auto lists = run_vigil({"audit", "patches", "--root", root.path(), "--format", "json", "--max-list-age", "100000"});
  ASSERT_EQ(lists.exit_code, 0) << lists.err;  // medium findings only: under --fail-on high
  EXPECT_EQ(rules_of(lists), (std::multiset<std::string>{"patch.security-update", "patch.security-update",
                                                         "patch.updates-pending"}));
  EXPECT_NE(lists.err.find("no vulnerability feed given"), std::string::npos) << lists.err;
  auto openssl = first_with_rule(lists, "patch.security-update");
  EXPECT_EQ(openssl["package"]["name"], "curl");

  auto rows = run_vigil({"audit", "patches", "--root", root.path(), "--updates", "--format", "csv"});
  ASSERT_EQ(rows.exit_code, 0) << rows.err;
  EXPECT_NE(rows.out.find("openssl,amd64,3.0.11-1~deb12u1,3.0.15-1~deb12u1,oldstable-security,oldstable-security,openssl"),
            std::string::npos) << rows.out;
  EXPECT_NE(rows.out.find("bash,amd64,5.2.15-2+b2,5.2.15-2+b7,oldstable,,bash"), std::string::npos) << rows.out;

  // The feed as a directory and as osv.dev's zip: the same one finding, high (its CVE's rating).
  feeds.write("osv/DSA-5600-1.json", kDsa);
  feeds.write("osv/nested/DEBIAN-CVE-2024-0001.json", kCve);
  write_zip(feeds / "all.zip", {{"DSA-5600-1.json", kDsa}, {"DEBIAN-CVE-2024-0001.json", kCve}});
  for (const auto& feed : {feeds / "osv", feeds / "all.zip"}) {
    auto r = run_vigil({"audit", "patches", "--root", root.path(), "--osv", feed, "--format", "json"});
    ASSERT_EQ(r.exit_code, 1) << feed << ": " << r.err;
    auto f = first_with_rule(r, "patch.vulnerable-package");
    ASSERT_FALSE(f.is_null()) << r.out;
    EXPECT_EQ(f["vulnerability"]["id"], "DSA-5600-1");
    EXPECT_EQ(f["vigil"]["severity"], "high");
    EXPECT_EQ(f["vigil"]["fixed_version"], "3.0.13-1~deb12u1");
    EXPECT_EQ(rules_of(r).count("patch.vulnerable-package"), 1u) << "the DSA and its CVE are one fix";
  }
  // Read-only: nothing written inside the image.
  EXPECT_FALSE(std::filesystem::exists(root / "var/lib/vigil"));
}

TEST(Patches, TheAuditScoresThePatchSection) {
  TempDir root("vigil-patches"), feeds("vigil-feeds");
  plant_apt_fixture(root);
  auto r = run_vigil({"audit", "--root", root.path(), "--format", "json", "--no-commands"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  nlohmann::json patches;
  for (const auto& p : doc["policies"])
    if (p["id"] == "vigil_patches") patches = p;
  ASSERT_FALSE(patches.is_null()) << r.out.substr(0, 500);
  std::map<std::string, std::string> result;
  for (const auto& c : patches["checks"]) result[c["id"].get<std::string>()] = c["result"].get<std::string>();
  EXPECT_EQ(result["patches.2"], "passed");
  EXPECT_EQ(result["patches.3"], "failed");
  EXPECT_EQ(result["patches.4"], "not applicable");

  feeds.write("DSA-5600-1.json", kDsa);
  auto with_feed = run_vigil({"audit", "--root", root.path(), "--format", "json", "--no-commands", "--osv",
                              feeds / "DSA-5600-1.json"});
  ASSERT_EQ(with_feed.exit_code, 0) << with_feed.err;
  EXPECT_NE(with_feed.out.find("openssl 3.0.11-1~deb12u1 is vulnerable (DSA-5600-1)"), std::string::npos);
  auto without = run_vigil({"audit", "--root", root.path(), "--format", "json", "--no-commands", "--no-patches"});
  EXPECT_EQ(without.out.find("vigil_patches"), std::string::npos);
}

TEST(Patches, BadInputIsSaidAndWhatCanBeReadIsUsed) {
  TempDir root("vigil-patches"), feeds("vigil-feeds");
  plant_apt_fixture(root);
  auto missing = run_vigil({"audit", "patches", "--root", root.path(), "--osv", feeds / "nope.zip"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("nope.zip"), std::string::npos) << missing.err;
  feeds.write("junk.zip", "PK\x03\x04 this is no zip at all");
  auto junk = run_vigil({"audit", "patches", "--root", root.path(), "--osv", feeds / "junk.zip"});
  EXPECT_EQ(junk.exit_code, 2) << junk.err;
  EXPECT_NE(junk.err.find("junk.zip"), std::string::npos) << junk.err;
  // A damaged list and a damaged record: the rest is read, an info finding names them.
  root.write("var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages",
             "Package: bash\nVersion: 5.2.15-2+b7\nArchitecture: amd64\n\n\x01\x02\x03\n");
  feeds.write("osv/good.json", kDsa);
  feeds.write("osv/bad.json", "{\"id\": [");
  auto partial = run_vigil({"audit", "patches", "--root", root.path(), "--osv", feeds / "osv", "--format", "json",
                            "--max-list-age", "100000"});
  ASSERT_EQ(partial.exit_code, 0) << partial.err;
  EXPECT_EQ(rules_of(partial).count("patch.vulnerable-package"), 1u) << "the good record still matched";
  EXPECT_EQ(rules_of(partial).count("collector.partial"), 2u) << partial.out;
  EXPECT_NE(partial.out.find("bookworm_main_binary-amd64_Packages:5"), std::string::npos);
  EXPECT_NE(partial.out.find("bad.json"), std::string::npos);
  auto range = run_vigil({"audit", "patches", "--root", root.path(), "--max-list-age", "x"});
  EXPECT_EQ(range.exit_code, 2);
}

TEST(Patches, ThisHostsUpdatesAreAptsUpgradableList) {
  auto apt = run_vigil_as({"/usr/bin/apt", "list", "--upgradable"});
  if (apt.exit_code != 0) GTEST_SKIP() << "apt list --upgradable did not run: " << apt.err;
  auto r = run_vigil({"audit", "patches", "--updates", "--format", "jsonl"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::set<std::string> vigil, apt_rows;
  for (const auto& row : parse_jsonl(r.out))
    vigil.insert(row["package"].get<std::string>() + "/" + row["candidate"].get<std::string>() + "/" +
                 row["arch"].get<std::string>());
  std::istringstream lines(apt.out);
  std::string line;
  while (std::getline(lines, line)) {  // name/suite[,suite] version arch [upgradable from: …]
    auto slash = line.find('/');
    if (slash == std::string::npos) continue;
    std::istringstream words(line.substr(slash + 1));
    std::string suites, version, arch;
    words >> suites >> version >> arch;
    apt_rows.insert(line.substr(0, slash) + "/" + version + "/" + arch);
  }
  EXPECT_EQ(vigil, apt_rows);
}
