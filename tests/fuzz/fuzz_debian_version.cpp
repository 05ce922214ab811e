// Fuzz target: Debian version comparison on any two strings (split at the first newline):
// antisymmetric, and every version equals itself.
#include <string_view>

#include "collect/debian_version.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto nl = text.find('\n');
  auto a = text.substr(0, nl), b = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
  using vigil::collect::compare_debian_versions;
  if (compare_debian_versions(a, b) != -compare_debian_versions(b, a)) __builtin_trap();
  if (compare_debian_versions(a, a) != 0) __builtin_trap();
  return 0;
}

std::vector<std::string> fuzz_seeds() {
  return {"1:2.36-9+deb12u4\n2.36-9+deb12u14", "1.0~rc1\n1.0", "0:1.0-0\n1.0", "a~b-c\n:1"};
}
