// Fuzz target: apt's Packages index scanner, Release files and their dates; every entry the
// scanner yields lies inside the input.
#include <string_view>

#include "fuzz.hpp"
#include "patch/apt_index.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  auto inside = [&](std::string_view v) {
    if (!v.empty() && (v.data() < s.data() || v.data() + v.size() > s.data() + s.size())) __builtin_trap();
  };
  auto scan = vigil::patch::scan_packages_index(s, [&](const vigil::patch::IndexEntry& e) {
    inside(e.package), inside(e.version), inside(e.arch), inside(e.source);
    if (e.package.empty() || e.version.empty()) __builtin_trap();
  });
  if (scan.bad_lines && !scan.first_bad_line) __builtin_trap();
  auto r = vigil::patch::parse_release(s);
  (void)r.priority(), (void)r.security();
  (void)vigil::patch::parse_release_date(s.substr(0, 64));
  return 0;
}

std::vector<std::string> fuzz_seeds() {
  return {"Package: openssl\nVersion: 3.0.15-1~deb12u1\nArchitecture: amd64\nSource: openssl (3.0.15)\n"
          "Description: x\n y\n\nPackage: b\n",
          "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nOrigin: Debian\nLabel: Debian-Security\n"
          "Suite: oldstable-security\nDate: Sun, 06 Dec 2026 02:54:29 UTC\nNotAutomatic: yes\n"
          "-----BEGIN PGP SIGNATURE-----\n\nabc\n",
          "Sat, 10 Jun 2023 10:57:34 +0200"};
}
