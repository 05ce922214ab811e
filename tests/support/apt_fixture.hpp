// A Debian 12 root with what a patch audit reads: dpkg's status, apt's lists (main, updates,
// security, backports) with their InRelease files, and os-release. Versions chosen so each
// rule of apt's candidate choice is exercised.
#pragma once

#include <zlib.h>

#include <string>
#include <string_view>

#include "support/temp_dir.hpp"

namespace vigil::testing {

inline constexpr std::string_view kAptFixtureStatus =
    "Package: openssl\nStatus: install ok installed\nArchitecture: amd64\nVersion: 3.0.11-1~deb12u1\n"
    "Description: tool\n multi-line\n\n"
    "Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl\nVersion: 3.0.11-1~deb12u1\n\n"
    "Package: libssl3\nStatus: install ok installed\nArchitecture: i386\nSource: openssl\nVersion: 3.0.11-1~deb12u1\n\n"
    "Package: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.2.15-2+b2\n\n"
    "Package: tzdata\nStatus: install ok installed\nArchitecture: all\nVersion: 2024a-0+deb12u1\n\n"
    "Package: curl\nStatus: install ok installed\nArchitecture: amd64\nVersion: 7.88.1-10+deb12u5\n\n"
    "Package: libcurl4\nStatus: install ok installed\nArchitecture: amd64\nSource: curl\nVersion: 7.88.1-10+deb12u5\n\n"
    "Package: zlib1g\nStatus: install ok installed\nArchitecture: amd64\nSource: zlib (1:1.2.13.dfsg-1)\n"
    "Version: 1:1.2.13.dfsg-1+b1\n\n"
    "Package: local-tool\nStatus: install ok installed\nArchitecture: amd64\nVersion: 9.0\n\n"
    "Package: removed\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 1.0\n\n";

inline std::string in_release(std::string_view fields) {
  return "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n" + std::string(fields) +
         "SHA256:\n 0123 10 main/binary-amd64/Packages\n-----BEGIN PGP SIGNATURE-----\n\nSuite: fake\n"
         "-----END PGP SIGNATURE-----\n";
}

inline void write_gzip(const std::string& path, std::string_view text) {
  gzFile g = gzopen(path.c_str(), "wb");
  gzwrite(g, text.data(), static_cast<unsigned>(text.size()));
  gzclose(g);
}

// `date`: the Release files' Date field.
inline void plant_apt_fixture(const TempDir& root, std::string_view date = "Sun, 06 Dec 2026 02:54:29 UTC") {
  root.write("etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n"
                               "VERSION_CODENAME=bookworm\n");
  root.write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
  root.write("var/lib/dpkg/status", kAptFixtureStatus);
  root.write("var/lib/dpkg/info/openssl.list", "/usr/bin/openssl\n");
  const std::string lists = "var/lib/apt/lists/";
  const std::string d = "Date: " + std::string(date) + "\n";
  root.write(lists + "deb.debian.org_debian_dists_bookworm_InRelease",
             in_release("Origin: Debian\nLabel: Debian\nSuite: oldstable\nCodename: bookworm\n" + d));
  // main: point-release versions; bash newer here only; a lower openssl (no downgrade)
  root.write(lists + "deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages",
             "Package: openssl\nVersion: 3.0.9-1\nArchitecture: amd64\n\n"
             "Package: bash\nVersion: 5.2.15-2+b7\nArchitecture: amd64\nDescription: shell\n long\n\n"
             "Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n\n"
             "Package: curl\nVersion: 7.88.1-10+deb12u8\nArchitecture: amd64\n\n"
             "Package: libcurl4\nSource: curl\nVersion: 7.88.1-10+deb12u8\nArchitecture: amd64\n\n"
             "Package: zlib1g\nSource: zlib (1:1.2.13.dfsg-1)\nVersion: 1:1.2.13.dfsg-1+b1\nArchitecture: amd64\n\n");
  root.write(lists + "deb.debian.org_debian_dists_bookworm-updates_InRelease",
             in_release("Origin: Debian\nLabel: Debian\nSuite: oldstable-updates\nCodename: bookworm-updates\n" + d));
  write_gzip(root / (lists + "deb.debian.org_debian_dists_bookworm-updates_main_binary-amd64_Packages.gz"),
             "Package: tzdata\nVersion: 2025b-0+deb12u1\nArchitecture: all\n\n");
  root.write(lists + "deb.debian.org_debian-security_dists_bookworm-security_InRelease",
             in_release("Origin: Debian\nLabel: Debian-Security\nSuite: oldstable-security\nCodename: bookworm-security\n" + d));
  // security: openssl for both architectures; curl's fix, which the main archive's newer
  // point release also contains
  root.write(lists + "deb.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages",
             "Package: openssl\nVersion: 3.0.15-1~deb12u1\nArchitecture: amd64\n\n"
             "Package: libssl3\nSource: openssl\nVersion: 3.0.15-1~deb12u1\nArchitecture: amd64\n\n"
             "Package: curl\nVersion: 7.88.1-10+deb12u7\nArchitecture: amd64\n\n"
             "Package: libcurl4\nSource: curl\nVersion: 7.88.1-10+deb12u7\nArchitecture: amd64\n\n");
  root.write(lists + "deb.debian.org_debian-security_dists_bookworm-security_main_binary-i386_Packages",
             "Package: libssl3\nSource: openssl\nVersion: 3.0.15-1~deb12u1\nArchitecture: i386\n\n");
  // backports: a newer bash, never a candidate for a package installed from bookworm
  root.write(lists + "deb.debian.org_debian_dists_bookworm-backports_InRelease",
             in_release("Origin: Debian Backports\nLabel: Debian Backports\nSuite: oldstable-backports\n"
                        "Codename: bookworm-backports\nNotAutomatic: yes\nButAutomaticUpgrades: yes\n" + d));
  root.write(lists + "deb.debian.org_debian_dists_bookworm-backports_main_binary-amd64_Packages",
             "Package: bash\nVersion: 5.2.37-1~bpo12+1\nArchitecture: amd64\n\n");
}

}  // namespace vigil::testing
