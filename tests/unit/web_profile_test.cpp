// Learned web profiles (issue 29): a profile learned from a generated shop's normal traffic
// flags each kind of tampering with the model that should see it, stays quiet on held-out
// normal traffic of the same generator, is not taught by a little attack traffic in the
// training logs, survives its own file (and a person's edits to it), and turns off a model
// the held-out training traffic shows to be noise.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <random>
#include <set>

#include "logs/engine.hpp"
#include "logs/learn.hpp"
#include "logs/scan.hpp"
#include "support/temp_dir.hpp"

using namespace vigil;
using logs::ProfileModel;

namespace {

// A small shop: product pages, a cart with a quantity, an action and a button label, a
// search with a language, a registration form with accented names, and product images.
class Shop {
 public:
  explicit Shop(unsigned seed) : rng_(seed) {}

  std::string target() {
    int k = pick(0, 99);
    if (k < 25) return "/shop/product.jsp?id=" + std::to_string(pick(1, 3000));
    if (k < 45)
      return "/shop/cart.jsp?id=" + std::to_string(pick(1, 3000)) + "&qty=" + std::to_string(pick(1, 9)) +
             "&action=" + (pick(0, 3) ? "add" : "remove") + "&B1=Add+to+cart";
    if (k < 60) return "/shop/search.jsp?q=" + word() + (pick(0, 1) ? "+" + word() : "") + "&lang=" + one({"en", "es", "fr"});
    if (k < 70) {
      std::string name = one({"Ana", "Jos%C3%A9", "Mar%C3%ADa", "Luis", "Chlo%C3%A9", "John", "Emma"});
      std::string last = one({"Garc%C3%ADa", "L%C3%B3pez", "Smith", "M%C3%BCller", "Brown", "N%C3%BA%C3%B1ez"});
      return "/shop/register.jsp?name=" + name + "&surname=" + last + "&email=" + one({"ana", "jose", "luis", "emma"}) +
             std::to_string(pick(1, 99)) + "%40example.com&zip=" + std::to_string(pick(10000, 52999));
    }
    if (k < 90) return "/shop/img/" + std::to_string(pick(1, 3000)) + ".jpg";
    return one({"/shop/index.jsp", "/shop/css/shop.css", "/shop/js/shop.js"});
  }

  std::string line(const std::string& target, const std::string& ip = "") {
    return (ip.empty() ? "198.51.100." + std::to_string(pick(1, 254)) : ip) +
           " - - [07/Dec/2026:10:00:00 +0000] \"GET " + target + " HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0\"\n";
  }

  std::string log(int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += line(target());
    return out;
  }

 private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  std::string one(std::initializer_list<const char*> xs) { return *(xs.begin() + pick(0, static_cast<int>(xs.size()) - 1)); }
  std::string word() { return one({"red", "shoes", "laptop", "bag", "coffee", "lamp", "desk", "usb", "cable", "book"}); }
  std::mt19937 rng_;
};

std::string rules_dir() { return std::string(VIGIL_SOURCE_DIR) + "/rules/logs"; }

logs::WebProfile learn(const std::string& path, bool with_rules = true) {
  static const logs::LogRules rules = logs::load_log_rules({rules_dir()});
  logs::LearnOptions o;
  o.paths = {path};
  if (with_rules) o.rules = &rules;
  auto r = logs::learn_profile(o);
  EXPECT_TRUE(r.errors.empty());
  return r.profile;
}

// The profile models each request fired, by the request's source address.
std::map<std::string, std::set<std::string>> judged(const logs::WebProfile& profile, const std::string& log_path) {
  auto rules = logs::load_log_rules({rules_dir()});
  rules.profile = std::make_shared<const logs::WebProfile>(profile);
  logs::ScanOptions o;
  o.paths = {log_path};
  auto r = logs::scan_logs(rules, o);
  std::map<std::string, std::set<std::string>> out;
  for (const auto& f : r.findings)
    if (f.rule.starts_with("logs.web-profile-")) out[f.get("source.ip")].insert(f.rule.substr(17));
  return out;
}

std::vector<logs::ProfileAnomaly> judge(const logs::WebProfile& p, std::string_view target) {
  logs::Event e;
  e.family = logs::LogFamily::web;
  auto q = target.find('?');
  e.set(logs::Field::url_path, target.substr(0, q));
  if (q != std::string_view::npos) e.set(logs::Field::url_query, target.substr(q + 1));
  std::vector<logs::ProfileAnomaly> out;
  p.judge(e, out);
  return out;
}

class WebProfileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Shop shop(7);
    std::string train = shop.log(6000);
    // A little attack traffic in the training logs: a signature sees the first (it is not
    // learned); the tampered quantity is too rare to be learned.
    train += shop.line("/shop/product.jsp?id=1%27%20OR%201=1--");
    train += shop.line("/shop/cart.jsp?id=5&qty=3%3B&action=add&B1=Add+to+cart");
    profile_ = learn(dir_.write("train.log", train));
  }
  vigil::testing::TempDir dir_;
  logs::WebProfile profile_;
};

}  // namespace

TEST_F(WebProfileTest, LearnsThePathsParametersAndTheirKinds) {
  ASSERT_TRUE(profile_.paths.count("/shop/cart.jsp"));
  const auto& cart = profile_.paths.at("/shop/cart.jsp");
  EXPECT_EQ(cart.params.size(), 4u);
  EXPECT_TRUE(cart.params.at("qty").required);
  EXPECT_EQ(logs::describe_classes(cart.params.at("qty").chars), "digit") << "the training's ';' is too rare to learn";
  EXPECT_EQ(cart.params.at("B1").values, std::vector<std::string>{"Add to cart"});
  EXPECT_EQ(cart.params.at("action").values, (std::vector<std::string>{"add", "remove"}));
  EXPECT_TRUE(cart.params.at("id").values.empty()) << "3000 product ids are no enumeration";
  EXPECT_EQ(logs::describe_classes(profile_.paths.at("/shop/register.jsp").params.at("name").chars), "lower upper non-ascii");
  EXPECT_EQ(logs::describe_classes(profile_.paths.at("/shop/product.jsp").params.at("id").chars), "digit")
      << "the SQL injection in the training logs matched a signature and was not learned";
  EXPECT_TRUE(profile_.open_directories.count("/shop/img/"));
  EXPECT_TRUE(profile_.extensions.count("jsp") && profile_.extensions.count("jpg"));
  for (const auto& m : profile_.models) EXPECT_TRUE(m.enabled) << "a shop's held-out traffic fits every model";
  EXPECT_GT(profile_.holdout, 500u);
}

TEST_F(WebProfileTest, EachTamperingKindFiresItsModelAndHeldOutNormalTrafficStaysQuiet) {
  struct Case {
    std::string target, model;
  };
  const std::vector<Case> cases = {
      {"/shop/cart.jsp?id=5&qty=1&actionX=add&B1=Add+to+cart", "unknown-parameter"},
      {"/shop/cart.jsp?id=5&qty=3%27&action=add&B1=Add+to+cart", "value-characters"},
      {"/shop/cart.jsp?id=5&qty=2&action=add&B1=Add%2Fto+cart", "value-enumeration"},
      {"/shop/cart.jsp?id=5&qty=2&action=delete&B1=Add+to+cart", "value-enumeration"},
      {"/shop/cart.jsp?id=5&action=add&B1=Add+to+cart", "missing-parameter"},
      {"/shop/search.jsp?q=" + std::string(400, 'A') + "&lang=en", "value-length"},
      {"/shop/register.jsp?name=Ana%7B%7D&surname=Smith&email=a1%40example.com&zip=12345", "value-characters"},
      {"/shop/admin.jsp", "unknown-path"},
      {"/shop/index.jsp.bak", "unknown-extension"},
  };
  Shop shop(99);  // another seed: held-out normal traffic
  std::string test = shop.log(3000);
  for (std::size_t i = 0; i < cases.size(); ++i) test += shop.line(cases[i].target, "192.0.2." + std::to_string(i + 1));
  auto fired = judged(profile_, dir_.write("test.log", test));
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& got = fired["192.0.2." + std::to_string(i + 1)];
    EXPECT_TRUE(got.count(cases[i].model)) << cases[i].target << " should fire " << cases[i].model;
  }
  std::size_t normal = 0;
  for (const auto& [ip, models] : fired)
    if (!ip.starts_with("192.0.2.")) normal += 1;
  EXPECT_EQ(normal, 0u) << "held-out normal traffic flagged, e.g. " << fired.begin()->first << " "
                        << *fired.begin()->second.begin();
}

TEST_F(WebProfileTest, AFindingSaysWhatWasSeenAndWhatWasExpected) {
  auto a = judge(profile_, "/shop/cart.jsp?id=5&qty=3%27&action=add&B1=Add+to+cart");
  ASSERT_EQ(a.size(), 2u);  // qty took 1-9 only: an enumeration, and digits only
  EXPECT_EQ(a[0].model, ProfileModel::value_enumeration);
  EXPECT_NE(a[0].detail.find("qty on /shop/cart.jsp: '3'' is none of the 9 value(s) learned ('1', '2'"),
            std::string::npos) << a[0].detail;
  EXPECT_EQ(a[1].model, ProfileModel::value_characters);
  EXPECT_NE(a[1].detail.find("qty on /shop/cart.jsp: '3'' has '"), std::string::npos) << a[1].detail;
  EXPECT_NE(a[1].detail.find("(learned: digit)"), std::string::npos) << a[1].detail;
  a = judge(profile_, "/shop/cart.jsp?id=5&qty=1&actionX=add&B1=Add+to+cart");
  ASSERT_FALSE(a.empty());
  EXPECT_NE(a[0].detail.find("'actionX'"), std::string::npos) << a[0].detail;
  EXPECT_NE(a[0].detail.find("known: B1 action id qty"), std::string::npos) << a[0].detail;
  // Numeric ids in the path are one path.
  EXPECT_EQ(logs::normalise_path("/api/items/12345/edit"), "/api/items/{n}/edit");
  EXPECT_EQ(logs::normalise_path("/u/3f2a9c1e77/x"), "/u/{id}/x");
}

TEST_F(WebProfileTest, TheFileRoundTripsAndAPersonsEditsAreUsed) {
  auto text = logs::profile_json(profile_);
  auto back = logs::parse_profile(text);
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(logs::profile_json(*back), text);
  // Latin-1 bytes (an accent sent as %E9) survive JSON.
  logs::WebProfile latin = *back;
  latin.paths["/shop/cart.jsp"].params["B1"].values.push_back("A\xf1" "adir");
  auto latin_back = logs::parse_profile(logs::profile_json(latin));
  ASSERT_TRUE(latin_back);
  EXPECT_EQ(latin_back->paths.at("/shop/cart.jsp").params.at("B1").values.back(), "A\xf1" "adir");
  EXPECT_TRUE(judge(*latin_back, "/shop/cart.jsp?id=5&qty=2&action=add&B1=A%F1adir").empty());

  // An edit: a new button label, a parameter no longer judged, a path that takes any parameter.
  auto edited = nlohmann::json::parse(text);
  edited["paths"]["/shop/cart.jsp"]["parameters"]["B1"]["values"].push_back("Buy now");
  edited["paths"]["/shop/cart.jsp"]["parameters"]["qty"]["ignore"] = true;
  edited["paths"]["/shop/search.jsp"]["other_parameters"] = true;
  edited["models"]["unknown-path"]["enabled"] = false;
  auto p = logs::parse_profile(edited.dump());
  ASSERT_TRUE(p) << p.error();
  EXPECT_TRUE(judge(*p, "/shop/cart.jsp?id=5&qty=2&action=add&B1=Buy+now").empty());
  EXPECT_TRUE(judge(*p, "/shop/cart.jsp?id=5&qty=3%27&action=add&B1=Add+to+cart").empty());
  EXPECT_TRUE(judge(*p, "/shop/search.jsp?q=red&lang=en&page=2").empty());
  EXPECT_TRUE(judge(*p, "/shop/admin.jsp").empty());
  EXPECT_FALSE(judge(*p, "/shop/cart.jsp?id=5x&qty=2&action=add&B1=Buy+now").empty());
}

TEST(WebProfileFile, BadFilesAreRefusedNamingTheField) {
  auto err = [](std::string_view text) {
    auto p = logs::parse_profile(text);
    return p ? std::string("(loaded)") : p.error();
  };
  EXPECT_EQ(err("{"), "not valid JSON");
  EXPECT_NE(err(R"({"format":"something-else","version":1})").find("not a vigil web profile"), std::string::npos);
  EXPECT_NE(err(R"({"format":"vigil-web-profile","version":9})").find("version 9, this vigil reads version 1"),
            std::string::npos);
  EXPECT_EQ(err(R"({"format":"vigil-web-profile","version":1,"paths":{"/x":{"parameters":{"id":{"max_length":-3}}}}})"),
            "paths./x.parameters.id.max_length: expected a whole number ≥ 0");
  EXPECT_NE(err(R"({"format":"vigil-web-profile","version":1,"paths":{"/x":{"parameters":{"id":{"chars":"digit é"}}}}})")
                .find("paths./x.parameters.id.chars"),
            std::string::npos);
  EXPECT_NE(err(R"({"format":"vigil-web-profile","version":1,"models":{"unknown-thing":{}}})").find("no such model"),
            std::string::npos);
  EXPECT_NE(err(R"({"format":"vigil-web-profile","version":1,"settings":{"length_p":7}})").find("settings.length_p"),
            std::string::npos);
  // The smallest hand-written profile: one path that takes one numeric parameter.
  auto p = logs::parse_profile(
      R"({"format":"vigil-web-profile","version":1,"extensions":["php"],"paths":{"/a.php":{"parameters":{"n":{"chars":"digit","max_length":4}}}}})");
  ASSERT_TRUE(p) << p.error();
  EXPECT_TRUE(judge(*p, "/a.php?n=12").empty());
  EXPECT_EQ(judge(*p, "/a.php?n=12345").size(), 1u);
  EXPECT_EQ(judge(*p, "/a.php?n=1;").size(), 1u);
}

TEST(WebProfileLearn, AModelTheHeldOutTrainingTrafficShowsToBeNoiseIsTurnedOff) {
  // A blog: every day new posts (each in a directory of its own), so a path not seen before is
  // normal here.
  vigil::testing::TempDir dir;
  std::string log;
  for (int i = 0; i < 6000; ++i)
    log += "198.51.100." + std::to_string(i % 200 + 1) + " - - [07/Dec/2026:10:00:00 +0000] \"GET /" +
           std::to_string(i / 4) + "-a-new-post/index.html?ref=feed HTTP/1.1\" 200 9 \"-\" \"x\"\n";
  auto p = learn(dir.write("blog.log", log));
  EXPECT_FALSE(p.models[static_cast<std::size_t>(ProfileModel::unknown_path)].enabled);
  EXPECT_GT(p.models[static_cast<std::size_t>(ProfileModel::unknown_path)].holdout_rate, 0.5);
  EXPECT_TRUE(p.models[static_cast<std::size_t>(ProfileModel::value_characters)].enabled);
  EXPECT_TRUE(judge(p, "/99999-a-new-post/index.html").empty()) << "unknown paths are not reported once turned off";
}

TEST(WebProfileLearn, RequestsAnsweredWithAnErrorAreNotLearned) {
  vigil::testing::TempDir dir;
  std::string log;
  for (int i = 0; i < 50; ++i) {
    log += "198.51.100.1 - - [07/Dec/2026:10:00:00 +0000] \"GET /a.php?n=" + std::to_string(i) + " HTTP/1.1\" 200 9 \"-\" \"x\"\n";
    log += "198.51.100.1 - - [07/Dec/2026:10:00:00 +0000] \"GET /missing.php HTTP/1.1\" 404 9 \"-\" \"x\"\n";
  }
  auto p = learn(dir.write("a.log", log));
  EXPECT_EQ(p.requests, 50u);
  EXPECT_EQ(p.skipped, 50u);
  EXPECT_FALSE(p.paths.count("/missing.php"));
}

TEST(WebProfileEngine, AnomalyGroupsSurviveTheEngineState) {
  auto rules = logs::load_log_rules({});
  auto profile = logs::parse_profile(
      R"({"format":"vigil-web-profile","version":1,"extensions":["php"],"paths":{"/a.php":{"parameters":{"n":{"chars":"digit"}}}}})");
  ASSERT_TRUE(profile);
  rules.profile = std::make_shared<const logs::WebProfile>(*profile);
  std::string saved;
  {
    logs::LogEngine engine(rules);
    logs::SourceCursor cursor;
    engine.feed(cursor, "192.0.2.9 - - [07/Dec/2026:10:00:00 +0000] \"GET /a.php?n=1%3B HTTP/1.1\" 200 9 \"-\" \"x\"", "a.log");
    saved = engine.save();
  }
  logs::LogEngine engine(rules);
  ASSERT_TRUE(engine.restore(saved));
  auto findings = engine.finish();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule, "logs.web-profile-value-characters");
  EXPECT_EQ(findings[0].get("source.ip"), "192.0.2.9");
  EXPECT_NE(findings[0].get("vigil.profile.anomaly").find("n on /a.php: '1;' has ;"), std::string::npos)
      << findings[0].get("vigil.profile.anomaly");
}
