// Fuzz target: utmp/wtmp/btmp and lastlog record parsers.
#include <string_view>

#include "collect/utmp_parse.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  (void)vigil::collect::parse_utmp(s);
  (void)vigil::collect::parse_lastlog_record(s);
  return 0;
}

std::vector<std::string> fuzz_seeds() {
  std::string rec(384, '\0');
  rec[0] = 7;
  rec.replace(8, 5, "pts/0");
  rec.replace(44, 5, "alice");
  rec.replace(76, 11, "192.0.2.10");
  rec[340] = 0x10;
  rec[348] = static_cast<char>(192);
  std::string last(292, '\0');
  last[0] = 1;
  last.replace(4, 4, "tty1");
  return {rec + rec, rec + std::string(100, 'x'), last};
}
