// The exec decision (issue 15): a listed program under its path with its content is allowed;
// a copy elsewhere, an edited one and a deleted one are not; the second decision for the same
// file version comes from the cache, and a rewrite is judged afresh.
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "allow/exec_judge.hpp"
#include "core/hash.hpp"
#include "support/temp_dir.hpp"

using namespace vigil;
using namespace vigil::allow;

namespace {

std::string sha_of(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY);
  auto d = hash_fd(fd, path);
  ::close(fd);
  return d ? d->sha256 : "";
}

Judgement judge(ExecJudge& j, const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY);
  auto r = j.judge(fd);
  ::close(fd);
  return r;
}

}  // namespace

TEST(ExecJudge, PathAndContentMustBothMatch) {
  vigil::testing::TempDir d("vigil-judge");
  auto prog = d.write("bin/tool", "#!/bin/sh\necho tool\n");
  auto copy = d.write("tmp/tool", "#!/bin/sh\necho tool\n");
  Allowlist list;
  list.entries.push_back({std::filesystem::canonical(prog).string(), sha_of(prog), 20, "added"});
  ExecJudge j(list);
  auto first = judge(j, prog);
  EXPECT_TRUE(first.allowed);
  EXPECT_FALSE(first.cached);
  auto again = judge(j, prog);
  EXPECT_TRUE(again.allowed);
  EXPECT_TRUE(again.cached);
  auto other = judge(j, copy);
  EXPECT_FALSE(other.allowed);
  EXPECT_FALSE(other.changed);
  // Same size, other content: changed, and judged afresh (ctime moved).
  usleep(10000);
  d.write("bin/tool", "#!/bin/sh\necho evil\n");
  auto edited = judge(j, prog);
  EXPECT_FALSE(edited.allowed);
  EXPECT_TRUE(edited.changed);
  EXPECT_FALSE(edited.cached);
}

TEST(ExecJudge, DeletedFileIsNotAllowed) {
  vigil::testing::TempDir d("vigil-judge");
  auto prog = d.write("bin/tool", "#!/bin/sh\n");
  Allowlist list;
  list.entries.push_back({std::filesystem::canonical(prog).string(), sha_of(prog), 10, "added"});
  ExecJudge j(list);
  int fd = ::open(prog.c_str(), O_RDONLY);
  ::unlink(prog.c_str());
  auto r = j.judge(fd);
  ::close(fd);
  EXPECT_FALSE(r.allowed);
  EXPECT_TRUE(r.deleted);
}
