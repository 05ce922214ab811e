// Wildcards: the same answers as fnmatch(3) on every small case, in bounded time on the
// patterns that make fnmatch backtrack for seconds.
#include <fnmatch.h>
#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>

#include "core/glob.hpp"

using vigil::glob_match;

TEST(Glob, AgreesWithFnmatchOnThousandsOfGeneratedCases) {
  std::mt19937 rng(31);
  const std::string text_chars = "ab./-[]", pat_atoms[] = {"a", "b", ".", "/", "*", "?", "[ab]", "[!a]", "[a-c]",
                                                          "\\*", "[[:alpha:]]", "*", "a"};
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  int compared = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string pat, text;
    for (std::size_t k = pick(6) + 1; k > 0; --k) pat += pat_atoms[pick(std::size(pat_atoms))];
    for (std::size_t k = pick(8); k > 0; --k) text += text_chars[pick(text_chars.size())];
    for (int flags : {0, FNM_PATHNAME, FNM_PERIOD, FNM_PATHNAME | FNM_PERIOD}) {
      unsigned ours = ((flags & FNM_PATHNAME) ? vigil::kGlobPathname : 0) | ((flags & FNM_PERIOD) ? vigil::kGlobPeriod : 0);
      bool want = ::fnmatch(pat.c_str(), text.c_str(), flags) == 0;
      EXPECT_EQ(glob_match(pat, text, ours), want) << "pattern '" << pat << "' text '" << text << "' flags " << flags;
      ++compared;
    }
  }
  EXPECT_EQ(compared, 80000);
}

TEST(Glob, ManyStarsStayFast) {
  std::string pat;
  for (int i = 0; i < 15; ++i) pat += "*a";
  pat += "*b";
  std::string text(120, 'a');
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_FALSE(glob_match(pat, text));
  EXPECT_FALSE(glob_match(pat + "/*", text + "/x", vigil::kGlobPathname));
  EXPECT_TRUE(glob_match(pat, text + "b"));
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 0.1)
      << "fnmatch takes about 10 s on the first of these";
}

TEST(Glob, PathsAndPeriods) {
  EXPECT_TRUE(glob_match("/etc/*.conf", "/etc/app.conf", vigil::kGlobPathname | vigil::kGlobPeriod));
  EXPECT_FALSE(glob_match("/etc/*.conf", "/etc/sub/app.conf", vigil::kGlobPathname));
  EXPECT_FALSE(glob_match("/home/*/x", "/home/.hidden/x", vigil::kGlobPathname | vigil::kGlobPeriod));
  EXPECT_TRUE(glob_match("/home/.*/x", "/home/.hidden/x", vigil::kGlobPathname | vigil::kGlobPeriod));
  EXPECT_TRUE(glob_match("network.*", "network.unowned-public-listener"));
  EXPECT_TRUE(glob_match("[", "["));
}
