// Fuzz target: the known-artefact list and /proc/modules parsers.
#include <string_view>

#include "collect/rootkit_compare.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  (void)vigil::collect::parse_known_artifacts(s);
  (void)vigil::collect::parse_proc_modules(s);
  return 0;
}

std::vector<std::string> fuzz_seeds() {
  return {"# c\nfile\t/dev/.x\tX\tsrc\nmodule\tdiamorphine\tD\tsrc\n", "ext4 1015808 1 - Live 0x0\n"};
}
