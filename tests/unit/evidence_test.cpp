// The evidence list of an incident bundle (issue 16): the account, privilege, persistence and
// login files that exist, each once; shadow hashes removed with the lock marks kept.
#include <gtest/gtest.h>

#include "collect/evidence.hpp"
#include "support/temp_dir.hpp"

using namespace vigil;

TEST(Evidence, FilesThatExistAreListedOnceAndShadowIsMarked) {
  vigil::testing::TempDir d("vigil-evidence");
  d.write("etc/passwd", "root:x:0:0::/root:/bin/sh\n");
  d.write("etc/shadow", "root:$6$x$y:1::::::\n");
  d.write("etc/cron.d/a", "* * * * * root true\n");
  d.write("etc/systemd/system/multi-user.target.wants/x.service", "[Service]\n");
  d.write("home/bob/.ssh/authorized_keys", "ssh-ed25519 AAAA bob\n");
  d.write("home/bob/.bash_history", "ls\n");
  auto root = *Root::open(d.path());
  auto files = collect::evidence_files(root);
  std::vector<std::string> paths;
  for (const auto& f : files) paths.push_back(f.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"/etc/passwd", "/etc/shadow", "/etc/cron.d/a",
                                             "/etc/systemd/system/multi-user.target.wants/x.service",
                                             "/home/bob/.ssh/authorized_keys", "/home/bob/.bash_history"}));
  EXPECT_TRUE(files[1].password_hashes);
  EXPECT_FALSE(files[0].password_hashes);
}

TEST(Evidence, PasswordHashesAreRemovedAndLockMarksKept) {
  EXPECT_EQ(collect::redact_password_hashes("root:$6$s$h:19000:0:99999:7:::\nbob:!$y$a$b:1::::::\nsvc:*:1::::::\n"
                                            "nopw::1::::::\nlocked:!:1::::::\ngarbage\n"),
            "root:<removed>:19000:0:99999:7:::\nbob:!<removed>:1::::::\nsvc:*:1::::::\nnopw::1::::::\nlocked:!:1::::::\n"
            "garbage\n");
}
