#include <gtest/gtest.h>

#include <map>

#include "collect/dpkg.hpp"
#include "collect/file_capabilities.hpp"
#include "collect/file_checks.hpp"
#include "detect/detectors.hpp"
#include "support/snapshot_builder.hpp"

using namespace vigil;
using namespace vigil::collect;
using namespace vigil::testing;

TEST(FileChecks, SuspiciousNames) {
  EXPECT_NE(suspicious_name_reason("..."), "");
  EXPECT_NE(suspicious_name_reason(" "), "");
  EXPECT_NE(suspicious_name_reason(".. "), "");
  EXPECT_NE(suspicious_name_reason("x\x1b[0m"), "");
  EXPECT_NE(suspicious_name_reason("notes "), "");
  for (std::string ok : {".", "..", ".bashrc", "file.txt", "My Documents", "..data"})
    EXPECT_EQ(suspicious_name_reason(ok), "") << ok;
}

TEST(FileChecks, DataExtensionsAndTrojanTargets) {
  EXPECT_TRUE(data_extension("logo.JPG"));
  EXPECT_TRUE(data_extension("x.txt"));
  EXPECT_FALSE(data_extension("run.sh"));
  EXPECT_FALSE(data_extension("libc.so.6"));
  EXPECT_FALSE(data_extension(".jpg"));
  EXPECT_TRUE(commonly_trojaned("/usr/bin/ls"));
  EXPECT_TRUE(commonly_trojaned("/usr/sbin/sshd"));
  EXPECT_FALSE(commonly_trojaned("/usr/bin/vim"));
  EXPECT_FALSE(commonly_trojaned("/home/a/ls"));
  EXPECT_EQ(parse_verify_scope("programs"), VerifyScope::programs);
  EXPECT_FALSE(parse_verify_scope("everything"));
}

TEST(DpkgStatus, ConffilesOfInstalledPackagesOnly) {
  auto c = parse_dpkg_conffiles(
      "Package: openssh-server\nStatus: install ok installed\nConffiles:\n"
      " /etc/ssh/moduli 0123456789abcdef0123456789abcdef\n"
      " /etc/old.conf 0123456789abcdef0123456789abcdef obsolete\n"
      "Description: x\n\n"
      "Package: gone\nStatus: deinstall ok config-files\nConffiles:\n"
      " /etc/gone.conf 0123456789abcdef0123456789abcdef\n");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].path, "/etc/ssh/moduli");
  EXPECT_EQ(c[0].package, "openssh-server");
  EXPECT_TRUE(c[0].conffile);
}

TEST(DpkgStatus, InstalledPackages) {
  auto p = parse_dpkg_status(
      "Package: openssh-server\nStatus: install ok installed\nInstalled-Size: 1800\nArchitecture: amd64\n"
      "Source: openssh (1:9.2p1-2)\nVersion: 1:9.2p1-2+deb12u3\nDescription: secure shell\n multi-line text\n"
      " Package: not-a-field\n\n"
      "Package: gone\nStatus: deinstall ok config-files\nVersion: 1\n\n"
      "Package: never\nStatus: purge ok not-installed\n\n"
      "Package: broken\nVersion: 2\n\n"
      "garbage line without colon\nPackage: last\nStatus: install ok half-installed\nInstalled-Size: lots\n");
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].name, "openssh-server");
  EXPECT_EQ(p[0].version, "1:9.2p1-2+deb12u3");
  EXPECT_EQ(p[0].source, "openssh");
  EXPECT_EQ(p[0].arch, "amd64");
  EXPECT_EQ(p[0].installed_size, 1800);
  EXPECT_EQ(p[0].status, "installed");
  EXPECT_EQ(p[1].status, "config-files");
  EXPECT_EQ(p[2].name, "last");
  EXPECT_EQ(p[2].installed_size, 0);  // not a number: left unknown
}

TEST(DpkgStatus, Diversions) {
  auto d = parse_dpkg_diversions("/usr/bin/perf\n/usr/bin/perf.wrapper\nlinux-perf\n/bin/sh\n/bin/sh.distrib\ndash\nodd\n");
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[1].to, "/bin/sh.distrib");
  EXPECT_EQ(d[1].package, "dash");
}

TEST(FileRules, SeverityFollowsWhereAndWhat) {
  auto s = empty_snapshot();
  FileCheckRow suid;
  suid.check = "setuid";
  suid.path = "/var/tmp/.../sh";
  suid.copy_of = "/bin/bash";
  FileCheckRow packaged_suid = suid;
  packaged_suid.path = "/usr/bin/passwd";
  packaged_suid.copy_of = "";
  packaged_suid.package = "passwd";
  FileCheckRow recent_owned;
  recent_owned.check = "recent-system-file";
  recent_owned.path = "/usr/bin/vim";
  recent_owned.package = "vim";
  recent_owned.elf = true;
  FileCheckRow cfg;
  cfg.check = "conffile-modified";
  cfg.path = "/etc/pam.d/common-auth";
  s.file_checks = {suid, packaged_suid, recent_owned, cfg};
  auto f = detect::run_triage(s, {});
  ASSERT_EQ(count_rule(f, "files.setuid-unowned"), 1u);
  EXPECT_EQ(first_with_rule(f, "files.setuid-unowned").severity, Severity::critical);
  EXPECT_EQ(count_rule(f, "files.recent-unowned-program"), 0u);
  EXPECT_EQ(first_with_rule(f, "files.conffile-modified").severity, Severity::low);
}

TEST(FileRules, ModifiedPackageFilesBySeverityAndMassUpdatesAsOne) {
  auto s = empty_snapshot();
  auto modified = [&](std::string path, std::string package, std::int64_t mode = 0100644, bool elf = false) {
    FileCheckRow r;
    r.check = "package-modified";
    r.path = std::move(path);
    r.package = std::move(package);
    r.mode = mode;
    r.elf = elf;
    s.file_checks.push_back(r);
  };
  modified("/usr/lib/x86_64-linux-gnu/libfoo.so.1", "libfoo1", 0100644, true);
  modified("/usr/lib/python3/dist-packages/foo/__init__.py", "python3-foo");
  modified("/usr/share/foo/data.json", "foo-data");
  for (int i = 0; i < 11; ++i) modified("/usr/lib/node_modules/npm/lib/f" + std::to_string(i) + ".js", "nodejs");
  auto f = detect::detect_files(s, {});
  auto all = with_rule(f, "files.package-modified");
  ASSERT_EQ(all.size(), 4u);
  std::map<std::string, Severity> by_package;
  for (const auto* x : all) by_package[x->get("package.name")] = x->severity;
  EXPECT_EQ(by_package["libfoo1"], Severity::high);
  EXPECT_EQ(by_package["python3-foo"], Severity::medium);
  EXPECT_EQ(by_package["foo-data"], Severity::low);
  EXPECT_EQ(by_package["nodejs"], Severity::medium);
  for (const auto* x : all)
    if (x->get("package.name") == "nodejs") EXPECT_EQ(x->get("vigil.count"), "11");
}

TEST(DpkgStatus, PathFiltersLastMatchWins) {
  auto f = parse_dpkg_path_filters(
      "# comment\nforce-unsafe-io\npath-exclude=/usr/share/doc/*\npath-include /usr/share/doc/*/copyright\n"
      "path-exclude relative/ignored\n  path-exclude = /usr/share/man/*  \n");
  ASSERT_EQ(f.size(), 3u);
  EXPECT_TRUE(path_filtered_out(f, "/usr/share/doc/bash/README"));
  EXPECT_FALSE(path_filtered_out(f, "/usr/share/doc/bash/copyright"));
  EXPECT_TRUE(path_filtered_out(f, "/usr/share/man/man1/ls.1.gz"));
  EXPECT_FALSE(path_filtered_out(f, "/usr/bin/ls"));
  EXPECT_FALSE(path_filtered_out({}, "/usr/bin/ls"));
}

TEST(FileCapabilities, RootEquivalentSetsAreTold) {
  using vigil::collect::has_root_equivalent_capability;
  EXPECT_TRUE(has_root_equivalent_capability("cap_setuid=ep"));
  EXPECT_TRUE(has_root_equivalent_capability("cap_net_raw,cap_sys_admin+ep"));
  EXPECT_TRUE(has_root_equivalent_capability("=ep"));  // every capability
  EXPECT_FALSE(has_root_equivalent_capability("cap_net_raw=ep"));
  EXPECT_FALSE(has_root_equivalent_capability("cap_net_bind_service,cap_net_admin=ep"));
  EXPECT_FALSE(has_root_equivalent_capability(""));
}
