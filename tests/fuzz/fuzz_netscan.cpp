// Fuzz target: vigil scan-ports' parsers — numeric targets (addresses, CIDR, ranges), port
// lists and the baseline file — and the banner text; no name lookups.
#include <string_view>

#include "fuzz.hpp"
#include "netscan/baseline.hpp"
#include "netscan/connect_scan.hpp"
#include "netscan/targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  auto first = s.substr(0, s.find('\n'));
  if (auto t = vigil::netscan::expand_numeric(first, 4096))
    if (t->size() > 4096) __builtin_trap();
  if (auto p = vigil::netscan::parse_ports(first))
    for (auto port : *p)
      if (port == 0) __builtin_trap();
  (void)vigil::netscan::parse_baseline(s, "fuzz");
  if (vigil::netscan::banner_text(s, 50).size() > 50 * 4 + 3) __builtin_trap();
  return 0;
}

std::vector<std::string> fuzz_seeds() {
  return {"192.0.2.0/28", "10.0.0.1-10.0.0.9", "2001:db8::/124", "fe80::1%lo", "22,80,8000-8010,top100",
          "# baseline\n192.0.2.10 22/tcp  # sshd\n::1 631/tcp\n192.0.2.53 53/udp\n", "SSH-2.0-OpenSSH\r\n\x01\x7f"};
}
