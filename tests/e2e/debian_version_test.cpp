// Debian version comparison (issue 19) against dpkg itself: every installed package's version
// paired with its neighbours, 2,200 random pairs and edge forms (epochs, tildes, revisions), each asked
// of `dpkg --compare-versions` on the test machine. Skipped without dpkg.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "collect/debian_version.hpp"
#include "e2e/vigil_run.hpp"

using namespace vigil::testing;

namespace {

int dpkg_order(const std::string& a, const std::string& b) {
  if (run_vigil_as({"/usr/bin/dpkg", "--compare-versions", a, "lt", b}).exit_code == 0) return -1;
  if (run_vigil_as({"/usr/bin/dpkg", "--compare-versions", a, "eq", b}).exit_code == 0) return 0;
  return 1;
}

}  // namespace

TEST(DebianVersionDpkg, AgreesWithDpkgOnThisHostsVersionsAndEdgeForms) {
  if (!std::filesystem::exists("/usr/bin/dpkg") || !std::filesystem::exists("/var/lib/dpkg/status"))
    GTEST_SKIP() << "no dpkg here";
  std::set<std::string> versions;
  std::ifstream in("/var/lib/dpkg/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("Version: ", 0) == 0) versions.insert(line.substr(9));
  std::vector<std::string> v(versions.begin(), versions.end());
  for (const char* extra : {"1.0~rc1", "1.0~~", "1:0.1", "0:1.0", "1.0-0", "1.0a", "1.0+", "1.001", "2:1.0~bpo12+1",
                            "1.0-1~deb12u1", "1.0-1+deb12u1", "1.0.0~git20240101.abcdef-1"})
    v.push_back(extra);
  ASSERT_GT(v.size(), 20u);
  std::mt19937 rng(15);
  std::vector<std::pair<std::string, std::string>> pairs;
  for (std::size_t i = 0; i + 1 < v.size(); ++i) pairs.push_back({v[i], v[i + 1]});
  for (std::size_t k = 0; k < 2200; ++k) pairs.push_back({v[rng() % v.size()], v[rng() % v.size()]});
  std::size_t checked = 0;
  for (const auto& [a, b] : pairs) {
    EXPECT_EQ(vigil::collect::compare_debian_versions(a, b), dpkg_order(a, b)) << a << " vs " << b;
    ++checked;
  }
  std::cerr << "compared " << checked << " pairs with dpkg --compare-versions\n";
}
