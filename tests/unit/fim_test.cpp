// fim: policy language, comparison and severities, signatures, baselines in the store.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <sys/stat.h>

#include <fstream>

#include "fim/attributes.hpp"
#include "fim/baseline.hpp"
#include "fim/compare.hpp"
#include "fim/measure.hpp"
#include "fim/policy.hpp"
#include "fim/scan.hpp"
#include "support/snapshot_builder.hpp"
#include "support/temp_dir.hpp"

using namespace vigil;
using namespace vigil::fim;
using vigil::testing::live_root;
using vigil::testing::TempDir;
using vigil::testing::with_rule;

namespace {

Policy parse_ok(std::string_view text) {
  std::vector<ParseError> errors;
  auto p = Policy::parse(text, errors);
  EXPECT_TRUE(errors.empty()) << errors.front().line << ": " << errors.front().message;
  return p;
}

FimEntry file(std::string path, std::string sha, Attrs attrs = builtin_groups()["R"]) {
  FimEntry e;
  e.path = std::move(path);
  e.type = "file";
  e.mode = 0100644;
  e.size = 10;
  e.inode = 1;
  e.links = 1;
  e.mtime = e.ctime = 1700000000;
  e.sha256 = std::move(sha);
  e.attrs = attrs;
  return e;
}

std::string write_ed25519(const TempDir& d, bool private_key) {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  std::string priv = d / "ed.pem", pub = d / "ed.pub";
  FILE* f = std::fopen(priv.c_str(), "w");
  PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
  f = std::fopen(pub.c_str(), "w");
  PEM_write_PUBKEY(f, key);
  std::fclose(f);
  EVP_PKEY_free(key);
  return private_key ? priv : pub;
}

}  // namespace

TEST(FimAttributes, ExpressionsAddAndRemoveNamesAndGroups) {
  auto g = builtin_groups();
  std::string err;
  auto a = parse_attrs("R-inode+sha512", g, &err);
  ASSERT_TRUE(a) << err;
  EXPECT_TRUE(*a & kSha256);
  EXPECT_TRUE(*a & kSha512);
  EXPECT_FALSE(*a & kInode);
  EXPECT_EQ(attrs_text(*parse_attrs("mode+uid", g, nullptr)), "mode+uid");
  EXPECT_FALSE(parse_attrs("R+md5", g, &err));
  EXPECT_NE(err.find("md5"), std::string::npos);
  EXPECT_FALSE(parse_attrs("R++mode", g, &err));
  auto log = parse_attrs("PERMS+sha256+growing", g, nullptr);
  ASSERT_TRUE(log);
  EXPECT_FALSE(*log & kHashes);  // a growing file is never hashed
}

TEST(FimPolicy, LastMatchingLineDecides) {
  auto p = parse_ok(
      "# comment\n"
      "BIN = R+sha512   # a group\n"
      "/usr/bin   BIN\n"
      "/etc       R\n"
      "!/etc/mtab\n"
      "=/etc/resolv.conf PERMS\n"
      "/etc/*.d   D\n"
      "~^/var/log/.*\\.gz$ PERMS\n"
      "/var/log   L\n"
      "~^/var/log/.*\\.[0-9]$ PERMS\n");
  auto g = builtin_groups();
  EXPECT_EQ(p.attrs_for("/usr/bin/ls"), g["R"] | kSha512);
  EXPECT_EQ(p.attrs_for("/usr/bin"), g["R"] | kSha512);
  EXPECT_EQ(p.attrs_for("/usr/binx"), 0u);
  EXPECT_EQ(p.attrs_for("/etc/passwd"), g["R"]);
  EXPECT_EQ(p.attrs_for("/etc/mtab"), 0u);
  EXPECT_FALSE(p.descend("/etc/mtab"));
  EXPECT_EQ(p.attrs_for("/etc/resolv.conf"), g["PERMS"]);
  EXPECT_EQ(p.attrs_for("/etc/cron.d"), g["D"]);
  EXPECT_EQ(p.attrs_for("/etc/cron.d/job"), g["D"]);  // a tree glob covers what lies below
  EXPECT_EQ(p.attrs_for("/var/log/syslog"), *parse_attrs("L", g, nullptr));
  EXPECT_EQ(p.attrs_for("/var/log/syslog.1"), g["PERMS"]);
  EXPECT_EQ(p.attrs_for("/var/log/syslog.2.gz"), *parse_attrs("L", g, nullptr));  // the later L line wins
  EXPECT_EQ(p.attrs_for("/home/x"), 0u);
  auto roots = p.roots();
  std::vector<std::string> paths;
  for (const auto& r : roots) paths.push_back(r.path + (r.recursive ? "" : "(=)"));
  EXPECT_EQ(paths, (std::vector<std::string>{"/etc", "/usr/bin", "/var/log"}));
}

TEST(FimPolicy, BadLinesAreReportedWithTheirNumbersAndTheRestApply) {
  std::vector<ParseError> errors;
  auto p = Policy::parse("/usr/bin R\nusr/lib R\n/etc R+md5\n!/tmp R\n~^/x[ R\n/opt\n/srv PERMS\n", errors);
  ASSERT_EQ(errors.size(), 5u);
  EXPECT_EQ(errors[0].line, 2u);
  EXPECT_EQ(errors[1].line, 3u);
  EXPECT_EQ(errors[2].line, 4u);
  EXPECT_EQ(errors[3].line, 5u);
  EXPECT_EQ(errors[4].line, 6u);
  EXPECT_EQ(p.rules().size(), 2u);
  EXPECT_NE(p.attrs_for("/srv/www"), 0u);
}

TEST(FimCompare, ReportsEachChangedAttributeWithOldAndNew) {
  std::vector<FimEntry> a = {file("/etc/hosts", "aa"), file("/usr/bin/ls", "bb"), file("/var/lib/x", "cc"),
                             file("/usr/bin/gone", "dd")};
  auto b = a;
  b[0].mode = 0100666;  // /etc/hosts: config, permissions
  b[1].sha256 = "ff";   // /usr/bin/ls: a program's content
  b[1].ctime += 5;
  b[2].mtime += 60;     // /var/lib/x: only a time
  b.erase(b.begin() + 3);
  auto added = file("/usr/bin/nc2", "ee");
  added.mode = 0104755;
  b.insert(b.begin() + 2, added);
  auto r = compare_entries(a, b);
  EXPECT_EQ(r.changed, 3);
  EXPECT_EQ(r.added, 1);
  EXPECT_EQ(r.removed, 1);
  auto changed = with_rule(r.findings, "fim.changed");
  ASSERT_EQ(changed.size(), 3u);
  EXPECT_EQ(changed[0]->get("file.path"), "/usr/bin/ls");
  EXPECT_EQ(changed[0]->severity, Severity::high);
  EXPECT_EQ(changed[0]->get("vigil.attributes"), "ctime,sha256");
  EXPECT_NE(changed[0]->get_all("vigil.changes").find("sha256: bb → ff"), std::string::npos);
  EXPECT_EQ(changed[1]->get("file.path"), "/etc/hosts");
  EXPECT_EQ(changed[1]->severity, Severity::medium);
  EXPECT_NE(changed[1]->get_all("vigil.changes").find("mode: 0644 → 0666"), std::string::npos);
  EXPECT_EQ(changed[2]->severity, Severity::low);
  EXPECT_EQ(with_rule(r.findings, "fim.added")[0]->severity, Severity::high);  // setuid
  EXPECT_EQ(with_rule(r.findings, "fim.removed")[0]->severity, Severity::medium);
  EXPECT_TRUE(compare_entries(a, a).findings.empty());
}

TEST(FimCompare, GrowingLogsMayGrowButNotShrink) {
  auto g = builtin_groups();
  auto log = file("/var/log/auth.log", "", *parse_attrs("L", g, nullptr));
  log.size = 1000;
  auto grown = log;
  grown.size = 5000;
  grown.mtime += 100;
  EXPECT_TRUE(compare_entries({log}, {grown}).findings.empty());
  auto cut = log;
  cut.size = 10;
  auto r = compare_entries({log}, {cut});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_NE(r.findings[0].get_all("vigil.changes").find("size (may only grow): 1000 → 10"), std::string::npos);
}

TEST(FimCompare, Zones) {
  EXPECT_EQ(zone_of("/usr/bin/ls"), Zone::system);
  EXPECT_EQ(zone_of("/etc/shadow"), Zone::sensitive);
  EXPECT_EQ(zone_of("/etc/cron.daily/x"), Zone::sensitive);
  EXPECT_EQ(zone_of("/etc/hosts"), Zone::config);
  EXPECT_EQ(zone_of("/var/log/syslog"), Zone::data);
  EXPECT_EQ(zone_of("/usr/binary"), Zone::data);
}

TEST(FimSignature, HmacAndEd25519SignAndVerify) {
  TempDir d;
  auto hmac = SigningKey::load_or_create(d / "k", live_root());  // created
  ASSERT_TRUE(hmac) << hmac.error();
  EXPECT_EQ(hmac->kind(), "hmac-sha256");
  auto sig = hmac->sign("digest");
  ASSERT_TRUE(sig);
  EXPECT_TRUE(hmac->verify("digest", *sig));
  EXPECT_FALSE(hmac->verify("digesT", *sig));
  auto again = SigningKey::load(d / "k");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id(), hmac->id());
  EXPECT_TRUE(hmac->warning().empty()) << "a key vigil makes is 0600";
  EXPECT_FALSE(SigningKey::load(d / "missing"));
  d.write("short", "tooshort\n");
  EXPECT_FALSE(SigningKey::load(d / "short"));
  auto dir = SigningKey::load(d.path());
  ASSERT_FALSE(dir);
  EXPECT_NE(dir.error().find("not a key file"), std::string::npos) << dir.error();
  d.write("open", std::string(64, 'x') + "\n");
  ::chmod((d / "open").c_str(), 0644);
  auto open = SigningKey::load(d / "open");
  ASSERT_TRUE(open);
  EXPECT_NE(open->warning().find("can be read by other users (mode 0644)"), std::string::npos) << open->warning();

  auto priv = SigningKey::load(write_ed25519(d, true));
  ASSERT_TRUE(priv) << priv.error();
  auto pub = SigningKey::load(d / "ed.pub");
  ASSERT_TRUE(pub) << pub.error();
  EXPECT_EQ(priv->kind(), "ed25519");
  EXPECT_EQ(priv->id(), pub->id());
  EXPECT_FALSE(pub->can_sign());
  auto esig = priv->sign("digest");
  ASSERT_TRUE(esig);
  EXPECT_TRUE(pub->verify("digest", *esig));
  EXPECT_FALSE(pub->verify("other", *esig));
  EXPECT_FALSE(pub->verify("digest", "zz"));
}

TEST(FimBaseline, SavedVerifiedAndAnEditedRowIsCaught) {
  TempDir d;
  auto store = store::Store::open(d / "v.db", live_root());
  ASSERT_TRUE(store) << store.error();
  auto key = SigningKey::load_or_create(d / "k", live_root());
  std::vector<FimEntry> entries = {file("/etc/hosts", "aa"), file("/usr/bin/ls", "bb")};
  BaselineInfo info;
  info.name = "default";
  info.root = "/";
  info.policy = "/etc R\n";
  ASSERT_TRUE(save_baseline(*store, info, entries, *key));
  auto found = find_baseline(*store, "default", "/");
  ASSERT_TRUE(found && *found);
  auto loaded = load_entries(*store, (*found)->id);
  ASSERT_TRUE(loaded);
  ASSERT_EQ(loaded->size(), 2u);
  EXPECT_TRUE(verify_baseline(**found, *loaded, *key));

  // A second baseline replaces the first, which stays as history.
  BaselineInfo next = info;
  ASSERT_TRUE(save_baseline(*store, next, entries, *key));
  auto all = list_baselines(*store);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].status, "active");
  EXPECT_EQ((*all)[1].status, "history");

  ASSERT_TRUE(store->db().exec(
      "UPDATE fim_entries SET sha256 = 'ff' WHERE path = '/usr/bin/ls' AND baseline_id = " + std::to_string(next.id)));
  auto tampered = load_entries(*store, next.id);
  auto bad = verify_baseline(next, *tampered, *key);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("changed after it was signed"), std::string::npos);

  auto other = SigningKey::load_or_create(d / "k2", live_root());
  bad = verify_baseline(**found, *loaded, *other);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("signed with"), std::string::npos);

  // An export is a store of its own that verifies with the same key.
  ASSERT_TRUE(export_baseline(*store, (*found)->id, d / "copy.db"));
  EXPECT_FALSE(export_baseline(*store, (*found)->id, d / "copy.db"));  // never overwrites
  auto copy = store::Store::open(d / "copy.db", live_root());
  ASSERT_TRUE(copy);
  auto cb = list_baselines(*copy);
  ASSERT_EQ(cb->size(), 1u);
  EXPECT_TRUE(verify_baseline((*cb)[0], *load_entries(*copy, (*cb)[0].id), *key));
}

TEST(FimJudge, OnePathAddedRemovedChangedOrUnchanged) {
  auto was = file("/usr/bin/ls", "aa");
  EXPECT_FALSE(judge(&was, &was)) << "unchanged: nothing to say";
  auto is = was;
  is.mode = 0104755;  // gained setuid
  auto f = judge(&was, &is);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->rule, "fim.changed");
  EXPECT_EQ(f->severity, Severity::high);
  EXPECT_EQ(f->get("vigil.attributes"), "mode");
  auto later = is;
  later.sha256 = "bb";
  EXPECT_NE(judge(&is, &later)->fingerprint(), f->fingerprint()) << "another change is another finding";
  EXPECT_EQ(judge(&was, &is)->fingerprint(), f->fingerprint()) << "the same change is the same finding";
  auto touched = was;
  touched.mtime += 1;
  EXPECT_EQ(judge(&was, &touched)->severity, Severity::medium) << "only a time: one step lower";
  auto setuid = file("/tmp/x", "cc");
  setuid.mode = 0104755;
  EXPECT_EQ(judge(nullptr, &setuid)->rule, "fim.added");
  EXPECT_EQ(judge(nullptr, &setuid)->severity, Severity::high);
  EXPECT_EQ(judge(&was, nullptr)->rule, "fim.removed");
  EXPECT_EQ(judge(&was, nullptr)->severity, Severity::medium);
  EXPECT_FALSE(judge(nullptr, nullptr));
}

TEST(FimMeasure, OnePathIsRecordedAsTheWalkRecordsIt) {
  TempDir d;
  d.write("etc/app.conf", "hello\n");
  std::filesystem::create_symlink("app.conf", d / "etc/link");
  auto root = Root::open(d.path());
  ASSERT_TRUE(root);
  Hasher hasher;
  auto attrs = builtin_groups()["R"] | kSha256;
  auto e = measure(*root, "/etc/app.conf", attrs, hasher);
  ASSERT_TRUE(e && *e);
  EXPECT_EQ((*e)->type, "file");
  EXPECT_EQ((*e)->size, 6);
  EXPECT_EQ((*e)->sha256, "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");  // sha256("hello\n")
  auto l = measure(*root, "/etc/link", attrs, hasher);
  ASSERT_TRUE(l && *l);
  EXPECT_EQ((*l)->type, "symlink");
  EXPECT_EQ((*l)->target, "app.conf");
  EXPECT_TRUE((*l)->sha256.empty()) << "a link is never followed";
  auto gone = measure(*root, "/etc/nothing", attrs, hasher);
  ASSERT_TRUE(gone);
  EXPECT_FALSE(*gone);
  auto no_dir = measure(*root, "/nope/x", attrs, hasher);
  ASSERT_TRUE(no_dir);
  EXPECT_FALSE(*no_dir);
  // The walk records the same entry.
  IssueLog log;
  ScanStats stats;
  auto walked = scan(*root, parse_ok("=/etc/app.conf R+sha256\n"), {}, log, stats);
  ASSERT_EQ(walked.size(), 1u);
  EXPECT_EQ(walked[0].sha256, (*e)->sha256);
  EXPECT_EQ(walked[0].mtime, (*e)->mtime);
  EXPECT_FALSE(judge(&walked[0], &**e));
}

TEST(FimBaseline, OnePathIsFoundWithoutLoadingTheBaseline) {
  TempDir d;
  auto store = store::Store::open(d / "v.db", live_root());
  ASSERT_TRUE(store) << store.error();
  auto key = SigningKey::load_or_create(d / "k", live_root());
  BaselineInfo info;
  info.name = "default";
  info.root = "/";
  info.policy = "/etc R\n";
  ASSERT_TRUE(save_baseline(*store, info, {file("/etc/hosts", "aa"), file("/etc/passwd", "bb")}, *key));
  auto hit = find_entry(*store, info.id, "/etc/passwd");
  ASSERT_TRUE(hit && *hit);
  EXPECT_EQ((*hit)->sha256, "bb");
  auto miss = find_entry(*store, info.id, "/etc/shadow");
  ASSERT_TRUE(miss);
  EXPECT_FALSE(*miss);
  auto plan = store->db().prepare("EXPLAIN QUERY PLAN SELECT path FROM fim_entries WHERE baseline_id = 1 AND path = 'x'");
  ASSERT_TRUE(plan);
  std::string detail;
  while (plan->step() == SQLITE_ROW) detail += plan->text(3);
  EXPECT_NE(detail.find("fim_entries_by_path"), std::string::npos) << detail;
  // The trusted opening verifies the signature first.
  auto trusted = open_trusted_baseline(*store, {"default", "/", 0, d / "k"});
  ASSERT_TRUE(trusted) << trusted.error().message;
  ASSERT_TRUE(store->db().exec("UPDATE fim_entries SET sha256 = 'ff' WHERE path = '/etc/hosts'"));
  auto forged = open_trusted_baseline(*store, {"default", "/", 0, d / "k"});
  ASSERT_FALSE(forged);
  ASSERT_TRUE(forged.error().finding);
  EXPECT_EQ(forged.error().finding->rule, "fim.baseline-invalid");
  EXPECT_EQ(forged.error().finding->severity, Severity::critical);
  auto none = open_trusted_baseline(*store, {"other", "/", 0, d / "k"});
  ASSERT_FALSE(none);
  EXPECT_FALSE(none.error().finding);
}

TEST(FimPolicy, WatchDirsCoverTreesAndTheParentsOfSinglePaths) {
  auto p = parse_ok("/etc R\n!/etc/ssl/private\n=/usr/bin/sudo R\n/usr/bin R\n=/root/.bashrc R\n"
                    "!/var/log\n=/var/log/auth.log R\n/var R\n");
  auto dirs = p.watch_dirs();
  auto find = [&](const std::string& path) -> const WatchDir* {
    for (const auto& w : dirs)
      if (w.path == path) return &w;
    return nullptr;
  };
  ASSERT_TRUE(find("/etc"));
  EXPECT_TRUE(find("/etc")->recursive);
  EXPECT_EQ(find("/etc")->excluded, std::vector<std::string>{"/etc/ssl/private"});
  ASSERT_TRUE(find("/usr/bin"));
  EXPECT_TRUE(find("/usr/bin")->recursive) << "the tree rule covers the single file's directory";
  ASSERT_TRUE(find("/root"));
  EXPECT_FALSE(find("/root")->recursive) << "a single file: its directory, for renames over it";
  ASSERT_TRUE(find("/var"));
  EXPECT_EQ(find("/var")->excluded, std::vector<std::string>{}) << "/var R comes last and takes /var/log back";
}

// A regex from a policy file is compiled and matched with bounds (issue 31, 15): stacked
// quantifiers made glibc's regcomp grow to 4 GB; now it is a policy error naming the line.
TEST(FimPolicy, ARunawayRegexIsAPolicyErrorNotAStall) {
  std::vector<ParseError> errors;
  auto p = Policy::parse("/etc R\n~ab" + std::string(50, '+') + " R\n", errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 2u);
  EXPECT_NE(errors[0].message.find("bad regular expression"), std::string::npos) << errors[0].message;
  // A pattern that backtracks exponentially stops at the match limit instead of hanging.
  auto slow = Policy::parse("~^/(a+)+$ R\n", errors);
  EXPECT_EQ(slow.attrs_for("/" + std::string(40, 'a') + "!"), 0u);
}
