// Fuzz target: the known-artefact list, /proc/modules and mountinfo parsers.
#include <string_view>

#include "collect/rootkit_compare.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  (void)vigil::collect::parse_known_artifacts(s);
  (void)vigil::collect::parse_proc_modules(s);
  for (const auto& m : vigil::collect::parse_proc_pid_mounts(s))
    if (m.pid < 0 || !m.mount_point.starts_with("/proc/")) __builtin_trap();
  return 0;
}

std::vector<std::string> fuzz_seeds() {
  return {"# c\nfile\t/dev/.x\tX\tsrc\nmodule\tdiamorphine\tD\tsrc\n", "ext4 1015808 1 - Live 0x0\n",
          "80 22 0:45 / /proc/4242 rw,relatime shared:30 - tmpfs no\\040ne rw\n22 1 0:21 / /proc rw - proc proc rw\n"};
}
