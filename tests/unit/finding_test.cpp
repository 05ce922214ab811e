// Findings: fingerprints, and the one check before vigil writes anywhere near evidence.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/finding.hpp"
#include "core/outside_root.hpp"
#include "support/temp_dir.hpp"

using namespace vigil;
using vigil::testing::live_root;
using vigil::testing::TempDir;
namespace fs = std::filesystem;

TEST(Fingerprint, TheSameThingSeenAgainHasTheSameFingerprint_AnotherThingAnother) {
  Finding a;
  a.rule = "network.unowned-public-listener";
  a.add("process.pid", 4242).add("process.start", "2026-12-01T10:00:00Z").add("destination.port", 3349);
  a.add("vigil.count", 3).add("event.start", "2026-12-06T10:00:00Z");
  Finding again = a;
  again.evidence[3].value = std::int64_t{7};  // counts and times are not who it is
  again.evidence[4].value = std::string("2026-12-07T10:00:00Z");
  again.why = "reworded";
  EXPECT_EQ(a.fingerprint(), again.fingerprint());
  EXPECT_EQ(a.fingerprint().size(), 32u);
  Finding restarted = a;
  restarted.evidence[1].value = std::string("2026-12-02T09:00:00Z");  // same pid, another process
  EXPECT_NE(a.fingerprint(), restarted.fingerprint());
  Finding other_rule = a;
  other_rule.rule = "process.unowned-listener";
  EXPECT_NE(a.fingerprint(), other_rule.fingerprint());
  // A finding that names its identity keys is judged on them alone.
  Finding group;
  group.rule = "logs.auth-brute-force";
  group.add("source.ip", "203.0.113.9").add("user.name", "root").add("event.count", 5);
  group.identity = {"source.ip"};
  Finding grown = group;
  grown.evidence[1].value = std::string("root,admin");
  grown.evidence[2].value = std::int64_t{50};
  EXPECT_EQ(group.fingerprint(), grown.fingerprint());
}

TEST(OutsideRoot, EveryWayIntoTheImageIsRefused_AndTheRestAllowed) {
  TempDir image("vigil-image"), outside("vigil-out");
  fs::create_directories(image / "var/lib");
  fs::create_symlink(image / "var/lib/new.db", outside / "dangling");
  fs::create_symlink(outside / "dangling", outside / "chain");
  fs::create_symlink(image.path(), outside / "into");
  fs::create_symlink("/tmp", image / "var/lib/escape");  // a link inside the image pointing out
  auto root = Root::open(image.path());
  ASSERT_TRUE(root);
  for (std::string p : {image / "x.db", image / "var/../var/lib/x.db", outside / "dangling", outside / "chain",
                        outside / "into/var/lib/x.db", image / "no/such/dir/x.db"}) {
    auto r = refuse_inside_root(*root, p, "--out");
    ASSERT_FALSE(r) << p;
    EXPECT_NE(r.error().find("--out " + p + " lies inside --root"), std::string::npos) << r.error();
  }
  EXPECT_TRUE(refuse_inside_root(*root, outside / "report.html", "--out"));
  EXPECT_TRUE(refuse_inside_root(*root, image.path() + "-sibling/x.db", "--out")) << "a prefix is not a parent";
  EXPECT_TRUE(refuse_inside_root(live_root(), image / "x.db", "--out")) << "the live host's root is the analyst's own";
  EXPECT_EQ(resolve_write_path(outside / "chain"), fs::weakly_canonical(image.path()).string() + "/var/lib/new.db");
}
