// Fuzz target: the suppression file parser and matcher.
#include <string_view>

#include "core/suppress.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  auto parsed = vigil::parse_suppressions(s);
  if (parsed) {
    vigil::Findings f(1);
    f[0].rule = "process.fileless";
    f[0].add("process.executable", "/memfd:x");
    vigil::apply_suppressions(*parsed, f);
  }
  return 0;
}

std::vector<std::string> fuzz_seeds() {
  return {"# comment\nprocess.fileless process.executable=/memfd:* -- sandbox helper\n",
          "network.* destination.port=80 -- web\n"};
}
