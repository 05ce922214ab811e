#include "core/root.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "support/temp_dir.hpp"

using vigil::Root;
using vigil::testing::TempDir;

TEST(Root, AbsoluteSymlinkInsideAnImage_ResolvesInsideTheImage) {
  TempDir img;
  img.write("etc/real-passwd", "image-root:x:0:0::/root:/bin/sh\n");
  std::filesystem::create_symlink("/etc/real-passwd", img / "etc/passwd");
  auto root = Root::open(img.path());
  ASSERT_TRUE(root);
  EXPECT_FALSE(root->live());
  auto text = root->read("/etc/passwd");
  ASSERT_TRUE(text) << text.error().message();
  EXPECT_EQ(*text, "image-root:x:0:0::/root:/bin/sh\n");
  // A symlink pointing at ../../.. stays inside too.
  std::filesystem::create_symlink("../../../../../../etc/real-passwd", img / "etc/escape");
  EXPECT_EQ(root->read("/etc/escape").value(), *text);
}

TEST(Root, ErrorsNameThePathAsTheUserSeesIt) {
  TempDir img;
  auto root = Root::open(img.path());
  ASSERT_TRUE(root);
  auto missing = root->read("/etc/shadow");
  ASSERT_FALSE(missing);
  EXPECT_TRUE(missing.error().vanished());
  EXPECT_EQ(missing.error().path, img.path() + "/etc/shadow");
  EXPECT_FALSE(Root::open("/nonexistent/vigil/root"));
}

TEST(Root, FifoIsRefusedWithoutBlocking) {
  TempDir img;
  ASSERT_EQ(::mkfifo((img / "fifo").c_str(), 0600), 0);
  auto root = Root::open(img.path());
  auto r = root->read("/fifo");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("not a regular file"), std::string::npos);
}

TEST(Root, ReadLimitIsAnErrorNotASilentCut) {
  TempDir img;
  img.write("big", std::string(10000, 'a'));
  auto root = Root::open(img.path());
  EXPECT_FALSE(root->read("/big", 100));
  EXPECT_EQ(root->read("/big", 20000)->size(), 10000u);
}

TEST(Root, ReadsDoNotChangeAccessTime) {
  TempDir img;
  auto file = img.write("f", "data");
  struct timespec old[2] = {{1000000000, 0}, {1000000000, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, file.c_str(), old, 0), 0);
  auto root = Root::open(img.path());
  ASSERT_TRUE(root->read("/f"));
  struct stat st {};
  ::stat(file.c_str(), &st);
  EXPECT_EQ(st.st_atim.tv_sec, 1000000000);
}

TEST(Root, ListAndReadlink) {
  TempDir img;
  img.write("d/a", "");
  img.write("d/b", "");
  std::filesystem::create_symlink("/target", img / "d/link");
  auto root = Root::open(img.path());
  auto entries = root->list("/d");
  ASSERT_TRUE(entries);
  EXPECT_EQ(entries->size(), 3u);
  EXPECT_EQ(root->readlink("/d/link").value(), "/target");
  EXPECT_TRUE(S_ISLNK(root->lstat("/d/link")->st_mode));
}
