// Fuzz target: /proc/net/{tcp,tcp6,udp,packet} parsers.
#include <string_view>

#include "collect/net_parse.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  (void)vigil::collect::parse_proc_net_inet(s, false);
  (void)vigil::collect::parse_proc_net_inet(s, true);
  (void)vigil::collect::parse_proc_net_packet(s);
  return 0;
}

std::vector<std::string> fuzz_seeds() {
  return {
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "
      "inode\n"
      "   0: 0100007F:0D15 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 "
      "12345 1 0 100 0 0 10 0\n",
      "  sl  local_address                         remote_address                        st "
      "tx_queue rx_queue tr "
      "tm->when retrnsmt   uid  timeout inode\n   0: 00000000000000000000000001000000:1F90 "
      "00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000       "
      " 0 777 1\n",
      "sk               RefCnt Type Proto  Iface R Rmem   User   Inode\nffff8881 3      3    0003  "
      " 2     1 0      0      "
      "4242\n"};
}
