// Patch status (issue 19): apt's Release and Packages files, apt's candidate choice from the
// lists on disk, the vulnerability feeds (OSV, Debian security tracker) and the findings.
#include <gtest/gtest.h>

#include <algorithm>

#include "collect/dpkg.hpp"
#include "patch/apt_index.hpp"
#include "patch/patch_audit.hpp"
#include "patch/patch_findings.hpp"
#include "patch/updates.hpp"
#include "patch/vuln_feed.hpp"
#include "support/apt_fixture.hpp"

using namespace vigil;
using namespace vigil::patch;
using vigil::testing::TempDir;

namespace {

const PendingUpdate* update_of(const PatchStatus& st, std::string_view package, std::string_view arch) {
  for (const auto& u : st.updates)
    if (u.package == package && u.arch == arch) return &u;
  return nullptr;
}

std::vector<const Finding*> with_rule(const Findings& fs, std::string_view rule) {
  std::vector<const Finding*> out;
  for (const auto& f : fs)
    if (f.rule == rule) out.push_back(&f);
  return out;
}

FeedScope bookworm(std::set<std::string, std::less<>> packages = {}) {
  return FeedScope{"Debian:12", "bookworm", std::move(packages)};
}

}  // namespace

TEST(AptIndex, ReleaseFieldsFromAClearSignedFileAndItsDate) {
  auto r = parse_release(vigil::testing::in_release(
      "Origin: Debian\nLabel: Debian-Security\nSuite: oldstable-security\nCodename: bookworm-security\n"
      "Date: Sun, 06 Dec 2026 02:54:29 UTC\nValid-Until: Sun, 13 Dec 2026 02:54:29 UTC\n"));
  EXPECT_EQ(r.suite, "oldstable-security");  // not the "Suite: fake" inside the signature block
  EXPECT_EQ(r.codename, "bookworm-security");
  EXPECT_TRUE(r.security());
  EXPECT_EQ(r.priority(), 500);
  EXPECT_EQ(r.date, 1796525669);
  EXPECT_EQ(r.valid_until - r.date, 7 * 86400);
  auto bpo = parse_release("Suite: stable-backports\nNotAutomatic: yes\nButAutomaticUpgrades: yes\n");
  EXPECT_FALSE(bpo.security());
  EXPECT_EQ(bpo.priority(), 100);
  EXPECT_EQ(parse_release("Suite: experimental\nNotAutomatic: yes\n").priority(), 1);
  EXPECT_TRUE(parse_release("Suite: buster/updates\n").security());
  EXPECT_TRUE(parse_release("Suite: jammy-security\n").security());
}

TEST(AptIndex, ReleaseDatesInTheirForms) {
  EXPECT_EQ(parse_release_date("Sat, 10 Jun 2023 08:57:34 UTC"), 1686387454);
  EXPECT_EQ(parse_release_date("Sat, 10 Jun 2023 10:57:34 +0200"), 1686387454);
  EXPECT_EQ(parse_release_date("10 Jun 2023 08:57:34 GMT"), 1686387454);
  EXPECT_EQ(parse_release_date("yesterday"), 0);
  EXPECT_EQ(parse_release_date(""), 0);
}

TEST(AptIndex, PackagesStanzasWithJunkCountedAndSkipped) {
  std::vector<std::string> seen;
  auto scan = scan_packages_index(
      "Package: a\nVersion: 1\nArchitecture: amd64\nDescription: x\n continued: not a field\n\n"
      "\x01\x02 garbage line\nPackage: b\nSource: bsrc (2)\nVersion: 2\r\nArchitecture: all\n\n"
      "Version: 3\n\n\n\nPackage: c\nVersion: 3",
      [&](const IndexEntry& e) {
        seen.push_back(std::string(e.package) + "/" + std::string(e.version) + "/" + std::string(e.arch) + "/" +
                       std::string(e.source));
      });
  EXPECT_EQ(seen, (std::vector<std::string>{"a/1/amd64/", "b/2/all/bsrc", "c/3//"}));
  EXPECT_EQ(scan.stanzas, 4u);
  EXPECT_EQ(scan.incomplete, 1u);
  EXPECT_EQ(scan.bad_lines, 1u);
  EXPECT_EQ(scan.first_bad_line, 7u);
}

TEST(PatchStatus, CandidatesAsAptChoosesThem) {
  TempDir d("vigil-patch");
  vigil::testing::plant_apt_fixture(d);
  auto root = *Root::open(d.path());
  IssueLog log;
  auto installed = collect::parse_dpkg_status(vigil::testing::kAptFixtureStatus);
  auto st = patch_status(root, installed, log);
  EXPECT_TRUE(log.issues().empty()) << log.issues().front().path << ": " << log.issues().front().detail;
  EXPECT_EQ(st.lists.size(), 5u);
  EXPECT_EQ(st.installed, 9u);
  ASSERT_EQ(st.updates.size(), 7u);
  auto openssl = update_of(st, "openssl", "amd64");
  ASSERT_TRUE(openssl);
  EXPECT_EQ(openssl->candidate, "3.0.15-1~deb12u1");  // the main archive's older 3.0.9 is no downgrade
  EXPECT_TRUE(openssl->security);
  EXPECT_EQ(openssl->suite, "oldstable-security");
  auto i386 = update_of(st, "libssl3", "i386");
  ASSERT_TRUE(i386);
  EXPECT_TRUE(i386->security);
  EXPECT_EQ(i386->source, "openssl");
  auto bash = update_of(st, "bash", "amd64");
  ASSERT_TRUE(bash);
  EXPECT_EQ(bash->candidate, "5.2.15-2+b7");  // backports' newer bash ranks 100 against 500
  EXPECT_FALSE(bash->security);
  auto tz = update_of(st, "tzdata", "all");  // from a gzip-compressed list
  ASSERT_TRUE(tz);
  EXPECT_EQ(tz->candidate, "2025b-0+deb12u1");
  EXPECT_EQ(tz->suite, "oldstable-updates");
  auto curl = update_of(st, "curl", "amd64");
  ASSERT_TRUE(curl);
  EXPECT_EQ(curl->candidate, "7.88.1-10+deb12u8");  // the point release, which contains the security fix
  EXPECT_EQ(curl->suite, "oldstable");
  EXPECT_TRUE(curl->security);
  EXPECT_EQ(curl->security_suite, "oldstable-security");
  EXPECT_FALSE(update_of(st, "zlib1g", "amd64"));
  EXPECT_FALSE(update_of(st, "local-tool", "amd64"));
  EXPECT_EQ(st.security_updates(), 5u);
}

TEST(PatchStatus, FindingsOnePerSourcePackageAndTheListAge) {
  TempDir d("vigil-patch");
  vigil::testing::plant_apt_fixture(d);
  auto root = *Root::open(d.path());
  IssueLog log;
  auto st = patch_status(root, collect::parse_dpkg_status(vigil::testing::kAptFixtureStatus), log);
  PatchJudgement fresh{parse_release_date("Mon, 07 Dec 2026 12:00:00 UTC"), 7};
  auto fs = update_findings(st, fresh);
  auto security = with_rule(fs, "patch.security-update");
  ASSERT_EQ(security.size(), 2u);
  EXPECT_EQ(security[0]->get("package.name"), "curl");
  EXPECT_EQ(security[0]->get("vigil.packages"), "curl:amd64, libcurl4:amd64");
  EXPECT_EQ(security[1]->get("package.name"), "openssl");
  EXPECT_EQ(security[1]->get("vigil.packages"), "libssl3:amd64, libssl3:i386, openssl:amd64");
  EXPECT_EQ(security[1]->severity, Severity::medium);
  auto other = with_rule(fs, "patch.updates-pending");
  ASSERT_EQ(other.size(), 1u);
  EXPECT_EQ(other[0]->get("vigil.updates.count"), "2");
  EXPECT_EQ(other[0]->severity, Severity::info);
  EXPECT_TRUE(with_rule(fs, "patch.lists-stale").empty());
  EXPECT_TRUE(with_rule(fs, "patch.no-security-source").empty());

  PatchJudgement later{fresh.now + 20 * 86400, 7}, much_later{fresh.now + 90 * 86400, 7};
  auto later_findings = update_findings(st, later), much_later_findings = update_findings(st, much_later);
  auto stale = with_rule(later_findings, "patch.lists-stale");
  ASSERT_EQ(stale.size(), 1u);
  EXPECT_EQ(stale[0]->severity, Severity::low);
  EXPECT_NE(stale[0]->get("file.path").find("bookworm-security_InRelease"), std::string::npos) << stale[0]->get("file.path");
  auto old = with_rule(much_later_findings, "patch.lists-stale");
  ASSERT_EQ(old.size(), 1u);
  EXPECT_EQ(old[0]->severity, Severity::medium);
  EXPECT_EQ(old[0]->fingerprint(), stale[0]->fingerprint()) << "one thing, however old";
}

TEST(PatchStatus, NoListsAndNoSecurityArchiveAreSaid) {
  TempDir bare("vigil-patch");
  bare.write("etc/passwd", "root:x:0:0::/root:/bin/sh\n");
  IssueLog log;
  auto st = patch_status(*Root::open(bare.path()), collect::parse_dpkg_status(vigil::testing::kAptFixtureStatus), log);
  auto fs = update_findings(st, {});
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].rule, "patch.no-lists");

  TempDir d("vigil-patch");
  vigil::testing::plant_apt_fixture(d);
  std::filesystem::remove(d / "var/lib/apt/lists/deb.debian.org_debian-security_dists_bookworm-security_InRelease");
  for (auto arch : {"amd64", "i386"})
    std::filesystem::remove(d / ("var/lib/apt/lists/deb.debian.org_debian-security_dists_bookworm-security_main_binary-" +
                                 std::string(arch) + "_Packages"));
  auto st2 = patch_status(*Root::open(d.path()), collect::parse_dpkg_status(vigil::testing::kAptFixtureStatus), log);
  auto fs2 = update_findings(st2, {});
  auto none = with_rule(fs2, "patch.no-security-source");
  ASSERT_EQ(none.size(), 1u);
  EXPECT_EQ(none[0]->severity, Severity::medium);
}

TEST(PatchStatus, ACorruptListIsReadAsFarAsItGoesAndSaidWhere) {
  TempDir d("vigil-patch");
  vigil::testing::plant_apt_fixture(d);
  const std::string list = "var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages";
  d.write(list, "Package: bash\nVersion: 5.2.15-2+b7\nArchitecture: amd64\n\n\x7f\x45LF\x02\x01 binary junk\n");
  d.write("var/lib/apt/lists/deb.debian.org_debian_dists_bookworm-updates_main_binary-amd64_Packages.gz",
          "\x1f\x8b not really gzip");
  IssueLog log;
  auto st = patch_status(*Root::open(d.path()), collect::parse_dpkg_status(vigil::testing::kAptFixtureStatus), log);
  EXPECT_TRUE(update_of(st, "bash", "amd64"));
  ASSERT_EQ(log.issues().size(), 2u);
  std::string all = log.issues()[0].path + " " + log.issues()[1].path;
  EXPECT_NE(all.find("bookworm_main_binary-amd64_Packages:5"), std::string::npos) << all;
  EXPECT_NE(all.find("Packages.gz"), std::string::npos) << all;
}

namespace {

constexpr std::string_view kDsa = R"({
  "id": "DSA-5600-1", "summary": "openssl security update", "related": ["CVE-2024-0001", "CVE-2024-0002"],
  "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.13-1~deb12u1"}]}]},
               {"package": {"ecosystem": "Debian:11", "name": "openssl"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.1.1w-0+deb11u2"}]}]}]})";
constexpr std::string_view kCve1 = R"({
  "id": "DEBIAN-CVE-2024-0001", "upstream": ["CVE-2024-0001"], "details": "a heap overflow",
  "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"}, "ecosystem_specific": {"urgency": "high"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.13-1~deb12u1"}]}]}]})";
constexpr std::string_view kZlib = R"({
  "id": "DEBIAN-CVE-2024-0003", "upstream": ["CVE-2024-0003"],
  "affected": [{"package": {"ecosystem": "Debian:12", "name": "zlib"}, "ecosystem_specific": {"urgency": "high"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1:1.2.13.dfsg-1+deb12u1"}]}]}]})";
constexpr std::string_view kBashOpen = R"({
  "id": "DEBIAN-CVE-2024-0004",
  "affected": [{"package": {"ecosystem": "Debian:12", "name": "bash"}, "ecosystem_specific": {"urgency": "low"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]})";
constexpr std::string_view kCurlFixedBefore = R"({
  "id": "DEBIAN-CVE-2023-0005",
  "affected": [{"package": {"ecosystem": "Debian:12", "name": "curl"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "7.88.1-10+deb12u4"}]}]}]})";
constexpr std::string_view kWithdrawn = R"({
  "id": "DSA-5601-1", "withdrawn": "2024-01-02T00:00:00Z",
  "affected": [{"package": {"ecosystem": "Debian:12", "name": "curl"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "9"}]}]}]})";

std::vector<collect::PackageRow> fixture_installed() { return collect::parse_dpkg_status(vigil::testing::kAptFixtureStatus); }

}  // namespace

TEST(VulnFeed, OsvRecordsMatchedByDebianVersionOneEntryPerFix) {
  VulnFeed feed;
  for (auto [name, text] : std::initializer_list<std::pair<std::string_view, std::string_view>>{
           {"DSA-5600-1.json", kDsa}, {"DEBIAN-CVE-2024-0001.json", kCve1}, {"DEBIAN-CVE-2024-0003.json", kZlib},
           {"DEBIAN-CVE-2024-0004.json", kBashOpen}, {"DEBIAN-CVE-2023-0005.json", kCurlFixedBefore},
           {"DSA-5601-1.json", kWithdrawn}, {"broken.json", "{\"id\": "}})
    add_osv_record(text, name, bookworm(), feed);
  ASSERT_EQ(feed.problems.size(), 1u);
  EXPECT_NE(feed.problems[0].find("broken.json"), std::string::npos);
  auto hits = match_feed(feed, fixture_installed(), false);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].package, "openssl");
  EXPECT_EQ(hits[0].advisory->id, "DSA-5600-1");
  ASSERT_EQ(hits[0].also.size(), 1u);
  EXPECT_EQ(hits[0].also[0]->id, "DEBIAN-CVE-2024-0001");
  EXPECT_EQ(hits[0].binaries, (std::vector<std::string>{"openssl", "libssl3", "libssl3"}));
  EXPECT_EQ(hits[1].package, "zlib");
  EXPECT_EQ(hits[1].version, "1:1.2.13.dfsg-1") << "the source version, not the binNMU's";
  auto fs = vulnerability_findings(hits);
  EXPECT_EQ(fs[0].severity, Severity::high) << "the DSA says nothing; its CVE says high";
  EXPECT_EQ(fs[0].get("vigil.fixed_version"), "3.0.13-1~deb12u1");
  EXPECT_EQ(fs[0].get("vigil.also"), "DEBIAN-CVE-2024-0001");
  EXPECT_EQ(fs[0].get("vulnerability.reference"), "CVE-2024-0001, CVE-2024-0002");
  auto with_open = match_feed(feed, fixture_installed(), true);
  ASSERT_EQ(with_open.size(), 3u);
  EXPECT_EQ(with_open[0].package, "bash");
  EXPECT_EQ(vulnerability_findings(with_open)[0].severity, Severity::info);
}

TEST(VulnFeed, TrackerJsonStreamedForTheHostsRelease) {
  constexpr std::string_view kTracker = R"({
    "openssl": {
      "CVE-2024-0001": {"description": "heap overflow", "scope": "remote", "debianbug": 1,
        "releases": {"bullseye": {"status": "resolved", "repositories": {"bullseye": "1.1.1w"}, "fixed_version": "1.1.1w-0+deb11u2", "urgency": "low"},
                     "bookworm": {"status": "resolved", "repositories": {"bookworm": "3.0.11-1~deb12u2"}, "fixed_version": "3.0.13-1~deb12u1", "urgency": "high**"}}},
      "CVE-2024-0009": {"releases": {"bookworm": {"status": "resolved", "fixed_version": "0", "urgency": "unimportant"}}}},
    "bash": {"CVE-2024-0004": {"releases": {"bookworm": {"status": "open", "repositories": {}, "urgency": "low"}}}},
    "not-installed": {"CVE-2024-0010": {"releases": {"bookworm": {"status": "resolved", "fixed_version": "2"}}}}
  })";
  VulnFeed feed;
  add_debian_tracker(kTracker, "tracker.json", bookworm({"openssl", "bash", "zlib", "curl"}), feed);
  EXPECT_TRUE(feed.problems.empty());
  EXPECT_EQ(feed.records, 3u);
  auto hits = match_feed(feed, fixture_installed(), false);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].advisory->id, "CVE-2024-0001");
  EXPECT_EQ(hits[0].advisory->urgency, "high");
  EXPECT_EQ(hits[0].advisory->summary, "heap overflow");
  EXPECT_EQ(match_feed(feed, fixture_installed(), true).size(), 2u);

  VulnFeed cut;
  add_debian_tracker(kTracker.substr(0, kTracker.find("\"bash\"") + 20), "cut.json", bookworm(), cut);
  ASSERT_EQ(cut.problems.size(), 1u);
  EXPECT_NE(cut.problems[0].find("cut.json"), std::string::npos);
  EXPECT_EQ(match_feed(cut, fixture_installed(), false).size(), 1u) << "what came before the cut is kept";
}

TEST(VulnFeed, OneFixFromTwoFeedsIsOneEntry) {
  VulnFeed feed;
  add_osv_record(kDsa, "dsa.json", bookworm(), feed);
  add_debian_tracker(R"({"openssl": {"CVE-2024-0002": {"releases": {"bookworm": {"status": "resolved",
                        "fixed_version": "3.0.13-1~deb12u1", "urgency": "medium"}}}}})",
                     "t.json", bookworm(), feed);
  auto hits = match_feed(feed, fixture_installed(), false);
  ASSERT_EQ(hits.size(), 1u);
  ASSERT_EQ(hits[0].also.size(), 1u);
  EXPECT_EQ(hits[0].also[0]->feed, "debian-tracker");
}

TEST(VulnFeed, AffectedRanges) {
  Advisory a;
  a.introduced = "2.0";
  a.fixed = "2.5";
  EXPECT_FALSE(a.affects("1.9"));
  EXPECT_TRUE(a.affects("2.0"));
  EXPECT_TRUE(a.affects("2.4~rc1"));
  EXPECT_FALSE(a.affects("2.5"));
  a.fixed = "-";
  a.last_affected = "2.3";
  EXPECT_TRUE(a.affects("2.3"));
  EXPECT_FALSE(a.affects("2.3.1"));
  Advisory listed;
  listed.versions = {"1.0-1", "1.0-2"};
  EXPECT_TRUE(listed.affects("1.0-2"));
  EXPECT_FALSE(listed.affects("1.0-3"));
}
