// Fuzz target: dpkg .list and .md5sums scanners, and the status file parsers.
#include <string_view>

#include "collect/dpkg.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  std::size_t n = 0;
  vigil::collect::scan_dpkg_list(s, [&](std::string_view) { ++n; });
  vigil::collect::scan_dpkg_md5sums(s, [&](std::string_view, std::string_view) { ++n; });
  (void)vigil::collect::usrmerge_alias(s);
  n += vigil::collect::parse_dpkg_status(s).size();
  n += vigil::collect::parse_dpkg_conffiles(s).size();
  auto filters = vigil::collect::parse_dpkg_path_filters(s);
  n += vigil::collect::path_filtered_out(filters, "/usr/share/doc/x/README");
  return static_cast<int>(n * 0);
}

std::vector<std::string> fuzz_seeds() {
  return {"/.\n/bin\n/bin/nc.traditional\n/usr/share/doc/netcat-traditional\n",
          "0123456789abcdef0123456789abcdef  bin/nc.traditional\n",
          "Package: a\nStatus: install ok installed\nVersion: 1\nConffiles:\n /etc/a 0123456789abcdef0123456789abcdef\n\n"};
}
