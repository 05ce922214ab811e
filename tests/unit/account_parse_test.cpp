#include "collect/account_parse.hpp"
#include "collect/sudoers_parse.hpp"

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

// Issue 20 (3): every alias kind expanded, nested and negated; definitions carried into the
// files included later; Defaults settings with what they give away.
TEST(Sudoers, AliasesOfEveryKindNestedAndNegated) {
  SudoAliases aliases;
  auto main = parse_sudoers(
      "User_Alias ADMINS = alice, OPS, !mallory : OPS = bob, mallory\n"
      "Cmnd_Alias SHELLS = /bin/sh, /bin/bash\n"
      "Cmnd_Alias EVERYTHING = ALL\n"
      "Runas_Alias ROOTS = root, ADMIN_USERS\n"
      "Runas_Alias ADMIN_USERS = toor\n"
      "Host_Alias SERVERS = web1, 10.0.0.0/8\n",
      aliases);
  EXPECT_TRUE(main.errors.empty());
  auto dropin = parse_sudoers(
      "ADMINS SERVERS = (ROOTS) NOPASSWD: EVERYTHING\n"
      "carol ALL = (ALL) NOPASSWD: SHELLS, !EVERYTHING\n"
      "dave ALL = EVERYTHING\n",
      aliases);
  ASSERT_TRUE(dropin.errors.empty()) << dropin.errors[0].message;
  std::map<std::string, SudoRule> by;
  for (const auto& r : dropin.rules) by[r.principal] = r;
  EXPECT_EQ(by.size(), 4u);  // alice, bob, carol, dave: mallory is negated out of ADMINS
  EXPECT_FALSE(by.contains("mallory"));
  EXPECT_TRUE(by["alice"].nopasswd_all) << "NOPASSWD: ALL behind a Cmnd_Alias";
  EXPECT_TRUE(by["bob"].nopasswd_all) << "a User_Alias inside a User_Alias";
  EXPECT_EQ(by["bob"].hosts, "web1, 10.0.0.0/8");
  EXPECT_EQ(by["bob"].runas, "root, toor") << "Runas_Alias nested, defined after its user";
  EXPECT_EQ(by["bob"].commands, "ALL");
  EXPECT_TRUE(by["carol"].nopasswd);
  EXPECT_FALSE(by["carol"].nopasswd_all) << "!EVERYTHING is a negation, not ALL";
  EXPECT_EQ(by["carol"].commands, "/bin/sh, /bin/bash, !ALL");
  EXPECT_TRUE(by["dave"].all_commands);
  EXPECT_FALSE(by["dave"].nopasswd_all);
  // A cycle stops; a malformed alias is an error naming its line.
  SudoAliases loop;
  auto cyc = parse_sudoers("User_Alias A = B\nUser_Alias B = A\nA ALL = ALL\nUser_Alias lower = x\n", loop);
  ASSERT_EQ(cyc.errors.size(), 1u);
  EXPECT_EQ(cyc.errors[0].line, 4u);
}

TEST(Sudoers, DefaultsAndWhatTheyWeaken) {
  auto s = parse_sudoers(
      "Defaults env_reset, mail_badpass\n"
      "Defaults:alice !authenticate\n"
      "Defaults env_keep += \"LD_PRELOAD PYTHONPATH\", !env_reset\n"
      "Defaults>root timestamp_timeout=-1\n"
      "Defaults secure_path=\"/usr/sbin:/usr/bin\"\n"
      "Defaultsx ALL = ALL\n");
  ASSERT_EQ(s.defaults.size(), 7u);
  EXPECT_EQ(s.defaults[0].setting, "env_reset");
  EXPECT_TRUE(s.defaults[0].weakens.empty());
  EXPECT_EQ(s.defaults[2].scope, ":alice");
  EXPECT_EQ(s.defaults[2].setting, "!authenticate");
  EXPECT_FALSE(s.defaults[2].weakens.empty());
  EXPECT_EQ(s.defaults[3].setting, "env_keep += \"LD_PRELOAD PYTHONPATH\"");
  EXPECT_NE(s.defaults[3].weakens.find("LD_PRELOAD"), std::string::npos);
  EXPECT_FALSE(s.defaults[4].weakens.empty());  // !env_reset
  EXPECT_EQ(s.defaults[5].scope, ">root");
  EXPECT_FALSE(s.defaults[5].weakens.empty());
  EXPECT_TRUE(s.defaults[6].weakens.empty()) << "a ':' inside quotes is not a separator";
  ASSERT_EQ(s.rules.size(), 1u);
  EXPECT_EQ(s.rules[0].principal, "Defaultsx");
  EXPECT_TRUE(sudo_default_weakness("env_keep -= LD_PRELOAD").empty());
}
