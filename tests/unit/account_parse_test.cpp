#include "collect/account_parse.hpp"

#include <gtest/gtest.h>

using namespace vigil::collect;

TEST(Passwd, CorruptLines_AreReportedAndTheRestKept) {
  auto p = parse_passwd(
      "root:x:0:0:root:/root:/bin/bash\n"
      "this line is garbage\n"
      "# comment\n"
      "bad:x:notanumber:0::/:/bin/sh\n"
      "+@nisgroup\n"
      "alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash\n");
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.rows[1].name, "alice");
  EXPECT_EQ(p.rows[1].uid, 1000);
  ASSERT_EQ(p.errors.size(), 2u);
  EXPECT_EQ(p.errors[0].line, 2u);
  EXPECT_EQ(p.errors[1].line, 4u);
}

TEST(Shadow, PasswordStatesAndSchemes) {
  struct Case {
    const char* hash;
    const char* state;
    const char* scheme;
  };
  for (auto c : {Case{"", "empty", ""}, Case{"!", "locked", ""}, Case{"*", "locked", ""},
                 Case{"!$6$salt$hash", "locked", ""}, Case{"$y$j9T$salt$hash", "set", "yescrypt"},
                 Case{"$6$salt$hash", "set", "sha512"}, Case{"$1$salt$hash", "set", "md5"},
                 Case{"abcdefghijklm", "set", "des"}}) {
    EXPECT_EQ(password_state(c.hash), c.state) << c.hash;
    if (password_state(c.hash) == "set") {
      EXPECT_EQ(hash_scheme(c.hash), c.scheme) << c.hash;
    }
  }
  auto s = parse_shadow("root:$y$x:19000:0:99999:7:::\nguest::19000::::::\n:bad\n");
  ASSERT_EQ(s.rows.size(), 2u);
  EXPECT_EQ(s.rows[1].hash, "");
  EXPECT_EQ(s.rows[0].last_change, 19000);
  EXPECT_EQ(s.errors.size(), 1u);
}

TEST(Group, Members) {
  auto g = parse_group("sudo:x:27:alice,bob\nadm:x:4:\nbroken\n");
  ASSERT_EQ(g.rows.size(), 2u);
  EXPECT_EQ(g.rows[0].members, (std::vector<std::string>{"alice", "bob"}));
  EXPECT_TRUE(g.rows[1].members.empty());
  EXPECT_EQ(g.errors.size(), 1u);
}

TEST(Sudoers, NopasswdAllAliasesIncludesAndContinuations) {
  auto s = parse_sudoers(
      "Defaults env_reset\n"
      "User_Alias OPS = alice, bob\n"
      "root ALL=(ALL:ALL) ALL\n"
      "%sudo ALL=(ALL:ALL) ALL\n"
      "OPS ALL=(ALL) NOPASSWD: ALL\n"
      "carol ALL = (root) NOPASSWD: /usr/bin/systemctl restart nginx, \\\n   PASSWD: ALL\n"
      "dave ALL=(ALL) NOPASSWD:ALL # trailing comment\n"
      "@includedir /etc/sudoers.d\n"
      "#includedir /etc/sudoers.old\n"
      "#include /etc/sudoers.local\n"
      "# just a comment\n"
      "nonsense without equals\n");
  std::map<std::string, SudoRule> by;
  for (const auto& r : s.rules) by[r.principal] = r;
  EXPECT_FALSE(by["root"].nopasswd);
  EXPECT_TRUE(by["alice"].nopasswd_all);
  EXPECT_TRUE(by["bob"].nopasswd_all);
  EXPECT_EQ(by["bob"].line, 5u);
  EXPECT_TRUE(by["carol"].nopasswd);
  EXPECT_FALSE(by["carol"].nopasswd_all);  // ALL comes after PASSWD:
  EXPECT_TRUE(by["dave"].nopasswd_all);
  EXPECT_EQ(s.include_dirs, (std::vector<std::string>{"/etc/sudoers.d", "/etc/sudoers.old"}));
  EXPECT_EQ(s.include_files, (std::vector<std::string>{"/etc/sudoers.local"}));
  ASSERT_EQ(s.errors.size(), 1u);
  EXPECT_EQ(s.errors[0].line, 13u);  // the continuation took two lines
}

TEST(LoginDefs, KeyValues) {
  auto kv = parse_login_defs("# c\nUID_MIN\t\t 500\nUMASK 022\n");
  EXPECT_EQ(kv["UID_MIN"], "500");
  EXPECT_EQ(kv.count("#"), 0u);
}
