// Debian version comparison (issue 19): the cases Debian Policy and dpkg's own tests name.
#include <gtest/gtest.h>

#include "collect/debian_version.hpp"

using vigil::collect::compare_debian_versions;

TEST(DebianVersion, PolicyCases) {
  struct Case {
    const char* a;
    const char* b;
    int want;
  };
  const Case cases[] = {
      {"1.0", "1.0", 0},          {"1.0", "1.1", -1},          {"1.10", "1.9", 1},
      {"1.0~rc1", "1.0", -1},     {"1.0~~", "1.0~", -1},       {"1.0~", "1.0", -1},
      {"1.0", "1.0a", -1},        {"1.0a", "1.0+", -1},        {"1:0.1", "2.0", 1},
      {"0:1.0", "1.0", 0},        {"1.0-1", "1.0-2", -1},      {"1.0-1", "1.0", 1},
      {"1.0-0", "1.0", 0},        {"2.36-9+deb12u4", "2.36-9+deb12u14", -1},
      {"1.2.3-1ubuntu1", "1.2.3-1", 1}, {"7.88.1-10+deb12u8", "7.88.1-10+deb12u12", -1},
      {"1.001", "1.1", 0},        {"1:1.0-1~bpo12+1", "1:1.0-1", -1}, {"a", "b", -1},
      {"1.0.", "1.0", 1},         {"10", "9", 1},              {"1-2-3", "1-2-4", -1},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(compare_debian_versions(c.a, c.b), c.want) << c.a << " vs " << c.b;
    EXPECT_EQ(compare_debian_versions(c.b, c.a), -c.want) << c.b << " vs " << c.a;
  }
}
