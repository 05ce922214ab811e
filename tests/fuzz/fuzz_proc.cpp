// Fuzz target: /proc/PID/{stat,status,cmdline,exe} parsers.
#include <string_view>

#include "collect/proc_parse.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  (void)vigil::collect::parse_proc_stat(s);
  (void)vigil::collect::parse_status_uid(s);
  (void)vigil::collect::parse_cmdline(s);
  (void)vigil::collect::parse_exe_link(s);
  (void)vigil::collect::parse_ns_link(s);
  return 0;
}

std::vector<std::string> fuzz_seeds() {
  return {
      "1234 (my (odd) name) S 1 1234 1234 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 12345 1000 200 "
      "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n",
      "Name:\tbash\nUid:\t1000\t1000\t1000\t1000\nGid:\t1000\n",
      std::string("bash\0-c\0echo hi\0", 16),
      "/tmp/x (deleted)",
      "/memfd:evil (deleted)",
      "net:[4026531840]"};
}
