// Fuzz target: /proc/PID/maps lines, as a memory scan reads them.
#include <string_view>

#include "fuzz.hpp"
#include "scan/proc_maps.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::size_t bad = 0;
  auto regions = vigil::scan::parse_maps(std::string_view(reinterpret_cast<const char*>(data), size), &bad);
  for (const auto& r : regions) (void)(r.file_backed() && r.deleted() && r.end >= r.start);
  return 0;
}

std::vector<std::string> fuzz_seeds() {
  return {"55e3d6122000-55e3d61cd000 rw-p 00000000 00:00 0 [heap]\n"
          "7f2a1c000000-7f2a1c021000 r--p 00000000 08:01 1835012 /usr/lib/x86_64-linux-gnu/libc.so.6\n",
          "7f2a1c400000-7f2a1c401000 rwxs 00001000 00:05 77 /memfd:x (deleted)\n"};
}
