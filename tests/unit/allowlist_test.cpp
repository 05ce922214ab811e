// The allowlist file (issue 15): written, read back, signed and verified; every malformed line
// named; a path with blanks and newlines survives; an edited or re-keyed list is refused.
#include <gtest/gtest.h>

#include "allow/allowlist.hpp"
#include "support/temp_dir.hpp"

using namespace vigil;
using namespace vigil::allow;

namespace {

Allowlist sample() {
  Allowlist l;
  l.host = "web1";
  l.root = "/";
  l.created = 1765140000;
  l.entries.push_back({"/usr/bin/ls", std::string(64, 'a'), 151344, "coreutils"});
  l.entries.push_back({"/opt/my tool\nx", std::string(64, 'b'), 10, "added"});
  l.entries.push_back({"/usr/bin/ls", std::string(64, 'c'), 1, "dup"});
  return l;
}

fim::SigningKey key(const vigil::testing::TempDir& d, std::string_view name = "key") {
  return *fim::SigningKey::load_or_create(d / std::string(name), vigil::testing::live_root());
}

}  // namespace

TEST(AllowlistFile, SignedListReadsBackAndFindsByPath) {
  vigil::testing::TempDir d("vigil-allow");
  auto k = key(d);
  auto text = signed_allowlist(sample(), k);
  ASSERT_TRUE(text) << text.error();
  auto list = verify_allowlist(*text, k);
  ASSERT_TRUE(list) << list.error();
  ASSERT_EQ(list->entries.size(), 2u);  // the repeated path kept once
  ASSERT_NE(list->find("/usr/bin/ls"), nullptr);
  EXPECT_EQ(list->find("/usr/bin/ls")->source, "coreutils");
  ASSERT_NE(list->find("/opt/my tool\nx"), nullptr);
  EXPECT_EQ(list->find("/usr/bin/l"), nullptr);
  EXPECT_EQ(list->host, "web1");
  EXPECT_EQ(list->key_id, k.id());
}

TEST(AllowlistFile, EditedOrOtherKeyIsRefused) {
  vigil::testing::TempDir d("vigil-allow");
  auto k = key(d), other = key(d, "other");
  auto text = *signed_allowlist(sample(), k);
  auto forged = text;
  forged.replace(forged.find("151344"), 6, "151345");
  auto r = verify_allowlist(forged, k);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("edited"), std::string::npos) << r.error();
  r = verify_allowlist(text, other);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("signed with"), std::string::npos) << r.error();
  auto unsigned_text = text.substr(0, text.find("signature "));
  r = verify_allowlist(unsigned_text, k);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("no signature"), std::string::npos) << r.error();
}

TEST(AllowlistFile, MalformedLinesAreNamed) {
  std::string sha(64, 'a');
  auto error = [](std::string text) {
    auto r = parse_allowlist(text);
    return r ? std::string() : r.error();
  };
  EXPECT_NE(error("hello\n").find("line 1: not a vigil allowlist"), std::string::npos);
  EXPECT_NE(error("vigil-allowlist 1\n" + sha + " x coreutils /bin/ls\n").find("line 2: the size"), std::string::npos);
  EXPECT_NE(error("vigil-allowlist 1\n" + sha + " 1 coreutils bin/ls\n").find("line 2: the path"), std::string::npos);
  EXPECT_NE(error("vigil-allowlist 1\n" + sha + " 1 a /b\n" + sha + " 1 a /a\n").find("line 3: /a is out of order"),
            std::string::npos);
  EXPECT_NE(error("vigil-allowlist 1\nsignature 00\n" + sha + " 1 a /b\n").find("line 3: text after"),
            std::string::npos);
  EXPECT_NE(error("vigil-allowlist 1\nbogus\n").find("line 2:"), std::string::npos);
  EXPECT_NE(error("vigil-allowlist 1\nhost a").find("cut short"), std::string::npos);
  EXPECT_NE(error("").find("empty"), std::string::npos);
}

TEST(AllowlistFile, PathEscapesRoundTrip) {
  std::string odd = "/a b\\c\td\x7f\x01\xff";
  auto e = escape_path(odd);
  EXPECT_EQ(e.find(' '), std::string::npos);
  EXPECT_EQ(unescape_path(e), odd);
  EXPECT_FALSE(unescape_path("/a\\x2"));
  EXPECT_FALSE(unescape_path("/a\\y20"));
}
