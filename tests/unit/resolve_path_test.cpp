// Symlinks resolved inside a root (issue 15: a package's /bin/ls is /usr/bin/ls on a merged
// /usr image): an absolute link stays in the image, .. stops at its top, loops are an error.
#include <unistd.h>

#include <gtest/gtest.h>

#include "core/resolve_path.hpp"
#include "support/temp_dir.hpp"

using namespace vigil;

TEST(ResolvePath, LinksStayInsideTheRoot) {
  vigil::testing::TempDir d("vigil-resolve");
  d.write("usr/bin/ls", "x");
  d.write("usr/lib/x86_64-linux-gnu/ld.so", "x");
  ASSERT_EQ(::symlink("usr/bin", (d / "bin").c_str()), 0);
  ASSERT_EQ(::symlink("/usr/lib", (d / "lib").c_str()), 0);
  ASSERT_EQ(::symlink("../../../../etc", (d / "usr/bin/up").c_str()), 0);
  ASSERT_EQ(::symlink("loop2", (d / "loop1").c_str()), 0);
  ASSERT_EQ(::symlink("loop1", (d / "loop2").c_str()), 0);
  auto root = *Root::open(d.path());
  EXPECT_EQ(resolve_path(root, "/bin/ls"), "/usr/bin/ls");
  EXPECT_EQ(resolve_path(root, "/lib/x86_64-linux-gnu/ld.so"), "/usr/lib/x86_64-linux-gnu/ld.so");
  EXPECT_FALSE(resolve_path(root, "/bin/up/passwd"));  // /etc of the image: not there
  EXPECT_FALSE(resolve_path(root, "/loop1"));
  DirectoryResolver dirs(root);
  EXPECT_EQ(dirs.resolve("/bin/ls"), "/usr/bin/ls");
  EXPECT_EQ(dirs.resolve("/bin/missing"), "/usr/bin/missing");
  EXPECT_EQ(dirs.resolve("/top"), "/top");
}
