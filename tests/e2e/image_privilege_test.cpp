// End-to-end: privilege that does not look like setuid or uid 0 - file capabilities and
// group memberships - planted in a fixture root and found with --since 0.
#include <sys/capability.h>

#include <filesystem>
#include <map>

#include <gtest/gtest.h>

#include "e2e/fixture_root.hpp"

using namespace vigil::testing;
namespace fs = std::filesystem;

namespace {

// Copies /bin/true to `rel` and gives it `caps` (cap_from_text syntax); false when the file
// system under /tmp keeps no security.* attributes.
bool planted_with_caps(const TempDir& d, const std::string& rel, const char* caps) {
  fs::create_directories(fs::path(d / rel).parent_path());
  fs::copy_file("/bin/true", d / rel, fs::copy_options::overwrite_existing);
  cap_t c = cap_from_text(caps);
  int rc = c ? cap_set_file((d / rel).c_str(), c) : -1;
  if (c) cap_free(c);
  return rc == 0;
}

}  // namespace

TEST(ImagePrivilege, FileCapabilitiesAreJudgedByWhatAndWhere) {
  if (!fs::exists("/bin/true")) GTEST_SKIP() << "needs /bin/true";
  if (::geteuid() != 0) GTEST_SKIP() << "setting file capabilities needs root";
  TempDir d;
  base_root(d);
  if (!planted_with_caps(d, "usr/bin/python3.11", "cap_setuid+ep"))
    GTEST_SKIP() << "the file system under /tmp keeps no file capabilities";
  planted_with_caps(d, "usr/local/bin/nethelper", "cap_net_raw+ep");
  planted_with_caps(d, "usr/bin/ping", "cap_net_raw+ep");
  planted_with_caps(d, "usr/bin/mount-helper", "cap_sys_admin+ep");
  d.write("var/lib/dpkg/info/iputils-ping.list", "/usr/bin/ping\n");
  d.write("var/lib/dpkg/info/python3.11-minimal.list", "/usr/bin/python3.11\n");
  d.write("var/lib/dpkg/info/util-linux.list", "/usr/bin/mount-helper\n");
  age_files(d, 400);
  std::map<std::string, std::string> severity;  // path -> severity
  for (const auto& f : findings_of(triage(d, {"--since", "0"}), "files.capability"))
    severity[f["file"]["path"]] = f["vigil"]["severity"];
  EXPECT_EQ(severity["/usr/bin/python3.11"], "critical") << "an interpreter with cap_setuid, packaged or not";
  EXPECT_EQ(severity["/usr/local/bin/nethelper"], "medium");
  EXPECT_EQ(severity["/usr/bin/mount-helper"], "medium") << "packaged, but not set so by its package";
  EXPECT_FALSE(severity.contains("/usr/bin/ping")) << "ping's cap_net_raw is what iputils-ping sets";
}

TEST(ImagePrivilege, LoginAccountsInRootsOrAdminGroups) {
  TempDir d;
  base_root(d);
  d.write("etc/passwd",
          "root:x:0:0:root:/root:/bin/bash\nsvc:x:120:0:service:/var/lib/svc:/bin/bash\n"
          "backup:x:34:34:backup:/var/backups:/usr/sbin/nologin\nalice:x:1000:1000:Alice:/home/alice:/bin/bash\n"
          "bob:x:1001:1001:Bob:/home/bob:/bin/bash\nworker:x:130:130::/var/lib/worker:/bin/sh\n");
  d.write("etc/shadow", "root:$y$j9T$s$h:19000::::::\nsvc:$y$j9T$s$h:19000::::::\nbackup:*:19000::::::\n"
                        "alice:$y$j9T$s$h:19000::::::\nbob:$y$j9T$s$h:19000::::::\nworker:!:19000::::::\n");
  d.write("etc/group", "root:x:0:bob\nsudo:x:27:alice\ndocker:x:999:worker\nbackup:x:34:\nalice:x:1000:\n"
                       "bob:x:1001:\nworker:x:130:\n");
  age_files(d, 400);
  std::map<std::string, std::string> found;  // user/group -> severity
  for (const auto& f : findings_of(triage(d, {"--since", "0"}), "account.privileged-group"))
    found[std::string(f["user"]["name"]) + "/" + std::string(f["group"]["name"])] = f["vigil"]["severity"];
  EXPECT_EQ(found["svc/root"], "critical") << "a service account whose primary group is root's";
  EXPECT_EQ(found["bob/root"], "high") << "a person in root's group";
  EXPECT_EQ(found["worker/docker"], "high") << "a service account in a root-equivalent group";
  EXPECT_EQ(found["alice/sudo"], "info") << "an administrator";
  EXPECT_FALSE(found.contains("backup/backup")) << "no login shell";
  EXPECT_EQ(found.size(), 4u);
}
