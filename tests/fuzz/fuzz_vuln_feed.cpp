// Fuzz target: the OSV record loader and the Debian security tracker's streaming reader, and
// the matching of what they keep against installed packages.
#include <string_view>

#include "collect/dpkg.hpp"
#include "fuzz.hpp"
#include "patch/vuln_feed.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  vigil::patch::FeedScope scope{"Debian:12", "bookworm", {}};
  vigil::patch::VulnFeed feed;
  vigil::patch::add_osv_record(s, "fuzz.json", scope, feed);
  vigil::patch::add_debian_tracker(s, "fuzz.json", scope, feed);
  auto installed = vigil::collect::parse_dpkg_status(
      "Package: openssl\nStatus: install ok installed\nArchitecture: amd64\nVersion: 3.0.11-1~deb12u1\n\n"
      "Package: zlib1g\nStatus: install ok installed\nSource: zlib (1:1.2.13.dfsg-1)\nVersion: 1:1.2.13.dfsg-1+b1\n\n");
  for (const auto& v : vigil::patch::match_feed(feed, installed, true))
    if (!v.advisory) __builtin_trap();
  return 0;
}

std::vector<std::string> fuzz_seeds() {
  return {R"({"id": "DSA-5600-1", "related": ["CVE-2024-0001"], "affected": [{"package": {"ecosystem": "Debian:12",
"name": "openssl"}, "ecosystem_specific": {"urgency": "high"}, "versions": ["3.0.11-1~deb12u1"], "ranges": [{"type":
"ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.13-1~deb12u1"}, {"introduced": "3.1"},
{"last_affected": "3.2"}]}]}]})",
          R"({"zlib": {"CVE-2024-0003": {"description": "d", "releases": {"bookworm": {"status": "resolved",
"repositories": {"bookworm": "1"}, "fixed_version": "1:1.2.13.dfsg-1+deb12u1", "urgency": "high**"}}}},
"openssl": {"CVE-2024-0004": {"releases": {"bookworm": {"status": "open", "urgency": "low"}}}}})"};
}
