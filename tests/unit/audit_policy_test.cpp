// The SCA engine: rule parsing, Wazuh's three-valued condition table, content operators,
// directory and status rules, broken policy files; and every check of vigil's default policy
// passing and failing on fixture roots for the reason it states.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <filesystem>

#include "core/command.hpp"
#include "audit/evaluate.hpp"
#include "audit/passwords.hpp"
#include "audit/policy.hpp"
#include "support/temp_dir.hpp"

namespace vigil::audit {
namespace {

using vigil::testing::TempDir;

// A one-check policy evaluated against `root`.
CheckResult run_check(const TempDir& root, const std::string& condition, const std::vector<std::string>& rules,
                      const std::string& vars = "") {
  std::string text = "policy: {id: t, file: t.yml, name: t, description: t}\n";
  if (!vars.empty()) text += "variables:\n" + vars;
  text += "checks:\n  - id: 1\n    title: t\n    condition: " + condition + "\n    rules:\n";
  for (const auto& r : rules) {
    std::string quoted = r;
    for (std::size_t p = 0; (p = quoted.find('\'', p)) != std::string::npos; p += 2) quoted.insert(p, "'");
    text += "      - '" + quoted + "'\n";
  }
  PolicySet set;
  parse_policy(text, "t.yml", set);
  EXPECT_TRUE(set.problems.empty()) << set.problems.front().message;
  if (set.policies.empty() || set.policies[0].checks.empty()) return {};
  auto r = Root::open(root.path());
  EXPECT_TRUE(r.has_value());
  Evaluator ev(*r, EvalOptions{});
  return ev.evaluate(set.policies[0].checks[0]);
}

TEST(ScaRule, ParsesTypeTargetAndPattern) {
  Variables vars{{"$sshd", "/etc/ssh/sshd_config"}, {"$sshd_d", "/etc/ssh/sshd_config.d"}};
  auto r = parse_rule("not f:$sshd -> !r:^# && r:Port && n:Port\\s+(\\d+) compare > 1024", vars);
  ASSERT_TRUE(r) << r.error();
  EXPECT_TRUE(r->negated);
  EXPECT_EQ(r->type, RuleType::file);
  EXPECT_EQ(r->target, "/etc/ssh/sshd_config");
  ASSERT_TRUE(r->content);
  ASSERT_EQ(r->content->minterms.size(), 3u);
  EXPECT_TRUE(r->content->minterms[0].negated);
  EXPECT_EQ(r->content->minterms[2].kind, Minterm::Kind::numeric);
  EXPECT_EQ(r->content->minterms[2].op, ">");
  EXPECT_EQ(r->content->minterms[2].number, 1024);
  auto d = parse_rule("d:$sshd_d -> r:\\.conf$ -> r:^Port", vars);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->target, "/etc/ssh/sshd_config.d");  // the longer variable wins
  ASSERT_TRUE(d->file_name && d->content);
  EXPECT_EQ(d->file_name->source, "r:\\.conf$");
}

TEST(ScaRule, RefusesWhatItCannotEvaluate) {
  auto bad_type = parse_rule("x:/etc/passwd", {});
  ASSERT_FALSE(bad_type);
  EXPECT_NE(bad_type.error().find("unknown rule type 'x'"), std::string::npos);
  auto bad_regex = parse_rule("f:/etc/passwd -> r:([a-z", {});
  ASSERT_FALSE(bad_regex);
  EXPECT_NE(bad_regex.error().find("invalid regex"), std::string::npos);
  EXPECT_FALSE(parse_rule("f:/etc/passwd -> n:^x(\\d+)", {}));               // no compare
  EXPECT_FALSE(parse_rule("f:/etc/passwd -> n:^x(\\d+) compare ~= 3", {}));  // unknown operator
  EXPECT_FALSE(parse_rule("/etc/passwd", {}));
}

TEST(ScaRule, LinesMatchAsWazuhDoes) {
  auto p = parse_pattern("!r:^# && r:PermitRootLogin && r:no$");
  ASSERT_TRUE(p);
  EXPECT_TRUE(pattern_matches(*p, "PermitRootLogin no"));
  EXPECT_FALSE(pattern_matches(*p, "#PermitRootLogin no"));
  EXPECT_FALSE(pattern_matches(*p, "PermitRootLogin yes"));
  auto literal = parse_pattern("1");  // a literal equals the whole line, ignoring case
  ASSERT_TRUE(literal);
  EXPECT_TRUE(pattern_matches(*literal, "1"));
  EXPECT_FALSE(pattern_matches(*literal, "10"));
  auto n = parse_pattern("n:^PASS_MAX_DAYS\\s+(\\d+) compare <= 365");
  ASSERT_TRUE(n);
  EXPECT_TRUE(pattern_matches(*n, "PASS_MAX_DAYS 90"));
  EXPECT_FALSE(pattern_matches(*n, "PASS_MAX_DAYS 99999"));
  EXPECT_TRUE(pattern_nearly_matches(*n, "PASS_MAX_DAYS 99999"));
  EXPECT_FALSE(pattern_matches(*n, "PASS_MIN_DAYS 1"));
  auto name = parse_pattern("^.ssh$|id_rsa");
  ASSERT_TRUE(name);
  EXPECT_TRUE(name_matches(*name, ".SSH"));
  EXPECT_TRUE(name_matches(*name, "backup_id_rsa.pub"));
  EXPECT_FALSE(name_matches(*name, "x.ssh"));
}

// The SCA condition table: found (1), not found (0), invalid (2) per rule.
TEST(ScaCondition, FollowsTheWazuhTable) {
  TempDir root;
  root.write("etc/yes", "x\n");
  const std::string found = "f:/etc/yes", missing = "f:/etc/no", invalid = "f:/etc/no -> r:x";
  auto status = [&](const std::string& cond, std::vector<std::string> rules) { return run_check(root, cond, rules).status; };
  EXPECT_EQ(status("all", {found, found}), Status::passed);
  EXPECT_EQ(status("all", {found, invalid}), Status::not_applicable);
  EXPECT_EQ(status("all", {invalid, missing}), Status::failed);
  EXPECT_EQ(status("any", {missing, found}), Status::passed);
  EXPECT_EQ(status("any", {missing, missing}), Status::failed);
  EXPECT_EQ(status("any", {missing, invalid}), Status::not_applicable);
  EXPECT_EQ(status("any", {invalid, found}), Status::passed);
  EXPECT_EQ(status("none", {found}), Status::failed);
  EXPECT_EQ(status("none", {missing, missing}), Status::passed);
  EXPECT_EQ(status("none", {missing, invalid}), Status::not_applicable);
  // `not` inverts found and not found, never invalid.
  EXPECT_EQ(status("all", {"not " + missing}), Status::passed);
  EXPECT_EQ(status("all", {"not " + invalid}), Status::not_applicable);
  auto na = run_check(root, "all", {invalid});
  EXPECT_NE(na.reason.find("/etc/no does not exist"), std::string::npos) << na.reason;
}

TEST(ScaEvaluate, ContentDirectoryAndStatusRules) {
  TempDir root;
  root.write("etc/login.defs", "# comment\nPASS_MAX_DAYS\t99999\nUMASK 027\n");
  root.write("etc/conf.d/a/deep.conf", "Setting on\n");
  root.write("etc/conf.d/b.txt", "Setting on\n");
  root.write("etc/shadow", "root:*:1::::::\n");
  ::chmod((root / "etc/shadow").c_str(), 0640);
  auto fail = run_check(root, "all", {"f:/etc/login.defs -> n:^PASS_MAX_DAYS\\s+(\\d+) compare <= 365"});
  EXPECT_EQ(fail.status, Status::failed);
  ASSERT_FALSE(fail.evidence.empty());
  EXPECT_NE(fail.evidence[0].find("/etc/login.defs:2: PASS_MAX_DAYS 99999"), std::string::npos) << fail.evidence[0];
  auto pass = run_check(root, "all", {"f:/etc/login.defs -> r:^UMASK\\s+027"});
  EXPECT_EQ(pass.status, Status::passed);
  EXPECT_NE(pass.evidence[0].find("/etc/login.defs:3: UMASK 027"), std::string::npos);
  // d: recurses and filters entry names; the content must match in a matching file.
  EXPECT_EQ(run_check(root, "all", {"d:/etc/conf.d -> r:\\.conf$ -> r:^Setting on"}).status, Status::passed);
  EXPECT_EQ(run_check(root, "all", {"d:/etc/conf.d -> r:\\.cfg$ -> r:^Setting on"}).status, Status::failed);
  EXPECT_EQ(run_check(root, "all", {"d:/etc/conf.d"}).status, Status::passed);
  EXPECT_EQ(run_check(root, "all", {"d:/etc/nothing"}).status, Status::failed);
  // s: (vigil) shows mode, owner and type; names come from the root's own passwd.
  auto st = run_check(root, "all", {"s:/etc/shadow -> r:^mode=0640 uid=0 "});
  EXPECT_EQ(st.status, Status::passed);
  EXPECT_EQ(run_check(root, "all", {"s:/etc/shadow -> r:^mode=0600 "}).status, Status::failed);
  // Globs (vigil) name the files that exist; none is not an error.
  EXPECT_EQ(run_check(root, "all", {"f:/etc/conf.d/*.txt -> r:^Setting"}).status, Status::passed);
  EXPECT_EQ(run_check(root, "none", {"f:/etc/login.defs,/etc/nope.d/*.conf -> r:^PASS_MIN"}).status, Status::passed);
  // Variables replace in targets.
  EXPECT_EQ(run_check(root, "all", {"f:$defs -> r:UMASK"}, "  $defs: /etc/login.defs\n").status, Status::passed);
}

TEST(ScaEvaluate, CommandsAndProcessesOnlyLive) {
  TempDir root;
  auto cmd = run_check(root, "all", {"c:echo hello -> r:hello"});
  EXPECT_EQ(cmd.status, Status::not_applicable);
  EXPECT_NE(cmd.reason.find("live host"), std::string::npos);
  auto proc = run_check(root, "all", {"p:init"});
  EXPECT_EQ(proc.status, Status::not_applicable);

  auto live = Root::open("/");
  ASSERT_TRUE(live);
  PolicySet set;
  parse_policy(
      "policy: {id: t, file: t, name: t, description: t}\nchecks:\n"
      "  - {id: 1, title: echo, condition: all, rules: ['c:echo \"hello  world\" -> r:^hello  world$']}\n"
      "  - {id: 2, title: missing, condition: all, rules: ['c:no-such-program-vigil -> r:x']}\n"
      "  - {id: 3, title: self, condition: all, rules: ['p:vigil_unit_tests']}\n"
      "  - {id: 4, title: timeout, condition: all, rules: ['c:sleep 5 -> r:x']}\n",
      "t.yml", set);
  ASSERT_EQ(set.policies.size(), 1u);
  Evaluator ev(*live, EvalOptions{true, std::chrono::milliseconds(300)});
  EXPECT_EQ(ev.evaluate(set.policies[0].checks[0]).status, Status::passed);
  auto missing = ev.evaluate(set.policies[0].checks[1]);
  EXPECT_EQ(missing.status, Status::not_applicable);
  EXPECT_NE(missing.reason.find("not installed"), std::string::npos);
  EXPECT_EQ(ev.evaluate(set.policies[0].checks[2]).status, Status::passed);
  auto t0 = std::chrono::steady_clock::now();
  auto slow = ev.evaluate(set.policies[0].checks[3]);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(3));
  EXPECT_EQ(slow.status, Status::not_applicable);
  EXPECT_NE(slow.reason.find("killed"), std::string::npos);
  Evaluator off(*live, EvalOptions{false, std::chrono::milliseconds(300)});
  EXPECT_NE(off.evaluate(set.policies[0].checks[0]).reason.find("--no-commands"), std::string::npos);
}

TEST(ScaCommand, SplitsLikeAShellWithoutOne) {
  auto a = split_argv(R"(sh -c "cut -f1 -d\":\" /etc/group | sort" 'a b' c\ d)");
  ASSERT_TRUE(a);
  EXPECT_EQ(*a, (std::vector<std::string>{"sh", "-c", "cut -f1 -d\":\" /etc/group | sort", "a b", "c d"}));
  EXPECT_FALSE(split_argv("echo \"unterminated"));
  EXPECT_FALSE(split_argv("   "));
}

TEST(ScaPolicy, BrokenFilesAreNamedAndOthersStillLoad) {
  TempDir dir;
  dir.write("a_bad_yaml.yml", "policy: {id: x\nchecks: [\n");
  dir.write("b_unknown_type.yml",
            "policy: {id: b, file: b, name: b, description: b}\nchecks:\n"
            "  - {id: 7, title: bad, condition: all, rules: ['q:/etc/passwd']}\n"
            "  - {id: 8, title: good, condition: all, rules: ['f:/etc/passwd']}\n");
  dir.write("c_duplicate.yml",
            "policy: {id: c, file: c, name: c, description: c}\nchecks:\n"
            "  - {id: 5, title: one, condition: all, rules: ['f:/etc/passwd']}\n"
            "  - {id: 5, title: two, condition: all, rules: ['f:/etc/group']}\n"
            "  - {id: 6, title: bad condition, condition: most, rules: ['f:/etc/group']}\n");
  dir.write("d_same_policy_id.yml", "policy: {id: c, file: d, name: d, description: d}\nchecks:\n"
                                    "  - {id: 1, title: x, condition: all, rules: ['f:/etc/passwd']}\n");
  auto set = load_policies({dir.path()});
  ASSERT_EQ(set.policies.size(), 2u);
  EXPECT_EQ(set.policies[0].id, "b");
  EXPECT_EQ(set.policies[0].checks.size(), 2u);  // the bad check stays, unevaluable
  EXPECT_NE(set.policies[0].checks[0].unevaluable.find("unknown rule type 'q'"), std::string::npos);
  EXPECT_EQ(set.policies[1].checks.size(), 1u);
  auto has = [&](std::string_view file, std::string_view check, std::string_view text) {
    return std::any_of(set.problems.begin(), set.problems.end(), [&](const LoadProblem& p) {
      return p.file.ends_with(file) && p.check == check && p.message.find(text) != std::string::npos;
    });
  };
  EXPECT_TRUE(has("a_bad_yaml.yml", "", "line "));
  EXPECT_TRUE(has("b_unknown_type.yml", "7", "unknown rule type 'q'"));
  EXPECT_TRUE(has("c_duplicate.yml", "5", "duplicate check id"));
  EXPECT_TRUE(has("c_duplicate.yml", "6", "condition 'most'"));
  EXPECT_TRUE(has("d_same_policy_id.yml", "", "already loaded"));
}

// Every check of rules/policies/vigil_debian_server.yml passes on its passing fixture root and
// fails on its failing one; live-only checks are not applicable under a root.
TEST(DefaultPolicy, EachCheckPassesAndFailsForItsReason) {
  const std::string src = VIGIL_SOURCE_DIR;
  auto set = load_policies({src + "/rules/policies"});
  ASSERT_TRUE(set.problems.empty()) << set.problems.front().file << ": " << set.problems.front().message;
  ASSERT_EQ(set.policies.size(), 1u);
  const auto& policy = set.policies[0];
  YAML::Node cases = YAML::LoadFile(src + "/tests/data/audit/default_policy_cases.yml");
  ASSERT_EQ(cases.size(), policy.checks.size()) << "every check needs a case, and every case a check";
  for (const auto& check : policy.checks) {
    SCOPED_TRACE("check " + check.id + " " + check.title);
    EXPECT_FALSE(check.rationale.empty());
    EXPECT_FALSE(check.remediation.empty());
    EXPECT_FALSE(check.references.empty());
    EXPECT_FALSE(check.mitigations.empty());
    auto c = cases[check.id];
    ASSERT_TRUE(c) << "no case for " << check.id;
    for (std::string side : {"pass", "fail"}) {
      SCOPED_TRACE(side);
      TempDir root;
      if (c[side].IsNull()) {  // runs only on the live host
        auto r = Root::open(root.path());
        Evaluator ev(*r, EvalOptions{});
        auto res = ev.evaluate(check);
        EXPECT_EQ(res.status, Status::not_applicable);
        EXPECT_NE(res.reason.find("live host"), std::string::npos) << res.reason;
        continue;
      }
      for (const auto& kv : c[side]) {
        auto key = kv.first.as<std::string>();
        if (key.starts_with("mode ")) continue;
        root.write(key.substr(1), kv.second.as<std::string>());
      }
      for (const auto& kv : c[side]) {
        auto key = kv.first.as<std::string>();
        if (!key.starts_with("mode ")) continue;
        ::chmod((root.path() + key.substr(5)).c_str(), static_cast<mode_t>(std::stoul(kv.second.as<std::string>(), nullptr, 8)));
      }
      auto r = Root::open(root.path());
      ASSERT_TRUE(r);
      Evaluator ev(*r, EvalOptions{});
      auto res = ev.evaluate(check);
      auto want = side == "pass" ? Status::passed : Status::failed;
      EXPECT_EQ(status_name(res.status), status_name(want))
          << "reason: " << res.reason << " evidence: " << (res.evidence.empty() ? "" : res.evidence.front());
      if (side == "fail") EXPECT_FALSE(res.evidence.empty());
    }
  }
}

}  // namespace
}  // namespace vigil::audit

TEST(PasswordCost, ReadOffTheHashWithoutComputingIt) {
  using vigil::audit::hash_cost;
  EXPECT_DOUBLE_EQ(hash_cost("$y$j9T$salt$hash").factor, 1.0);  // Debian's default
  EXPECT_DOUBLE_EQ(hash_cost("$6$salt$hash").factor, 1.0);       // 5,000 rounds when unsaid
  EXPECT_DOUBLE_EQ(hash_cost("$6$rounds=50000$s$h").factor, 10.0);
  EXPECT_GT(hash_cost("$6$rounds=999999999$s$h").factor, vigil::audit::kVariantsOnlyCost);
  EXPECT_DOUBLE_EQ(hash_cost("$2b$12$x").factor, 4.0);
  EXPECT_GT(hash_cost("$y$jFT$salt$hash").factor, vigil::audit::kVariantsOnlyCost);  // N=2^18: 1 GiB a hash
  EXPECT_NE(hash_cost("$y$jFT$s$h").detail.find("1024 MiB"), std::string::npos) << hash_cost("$y$jFT$s$h").detail;
  EXPECT_TRUE(std::isinf(hash_cost("$y$jzz$s$h").factor));
  EXPECT_DOUBLE_EQ(hash_cost("$1$salt$hash").factor, 1.0);
}

TEST(ScaPolicy, APolicyWithNoCheckLeftIsRefusedNotScored) {
  vigil::testing::TempDir dir;
  auto set = vigil::audit::load_policies({dir.write("empty.yml", "policy:\n  id: p\n  name: x\n  description: y\nchecks: []\n"),
                                          dir.write("bad.yml", "policy:\n  id: q\n  name: x\nchecks:\n  - id: 1\n    title: a\n"
                                                               "    condition: all\n    rules: [ 'f:/x'\n")});
  EXPECT_TRUE(set.policies.empty());
  ASSERT_EQ(set.problems.size(), 2u);
  std::string all = set.problems[0].message + " | " + set.problems[1].message;
  EXPECT_NE(all.find("nothing to score"), std::string::npos) << all;
  EXPECT_NE(all.find("line 9, column 1"), std::string::npos) << all;  // where the parser ran out of file
}
