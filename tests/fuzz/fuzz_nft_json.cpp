// Fuzz target: the JSON nftables prints for a set (vigil watch --blocked reads it): whatever
// the bytes, addresses or an error, never a crash.
#include <string>

#include "fuzz.hpp"
#include "watch/nft_block.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto r = vigil::watch::parse_blocked_json(std::string(reinterpret_cast<const char*>(data), size));
  if (r)
    for (const auto& b : *r)
      if (b.address.empty()) __builtin_trap();
  return 0;
}

std::vector<std::string> fuzz_seeds() {
  return {R"({"nftables": [{"metainfo": {"version": "1.0.6"}}, {"set": {"family": "inet", "name": "blocked4", )"
          R"("elem": [{"elem": {"val": "198.51.100.7", "timeout": 3600, "expires": 3421}}, "192.0.2.9"]}}]})",
          R"({"nftables": [{"set": {"name": "blocked6", "elem": ["2001:db8::1"]}}]})"};
}
