// Fuzz target: the proc connector datagram parser (netlink and connector headers, then a
// process event). Whatever the bytes, a list of events or an error - never a read past them.
#include <string_view>

#include <linux/connector.h>
#include <linux/netlink.h>

#include <cstring>

#include "fuzz.hpp"
#include "watch/proc_connector.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto events = vigil::watch::parse_proc_events(bytes);
  if (events && events->size() > size / sizeof(nlmsghdr) + 1) __builtin_trap();
  return 0;
}

namespace {

std::string datagram(std::uint32_t what, std::initializer_list<std::int32_t> fields) {
  std::string ev(16, '\0');
  std::memcpy(ev.data(), &what, 4);
  for (auto f : fields) ev.append(reinterpret_cast<const char*>(&f), 4);
  cn_msg cn{};
  cn.id.idx = CN_IDX_PROC;
  cn.id.val = CN_VAL_PROC;
  cn.len = static_cast<std::uint16_t>(ev.size());
  nlmsghdr nl{};
  nl.nlmsg_len = static_cast<std::uint32_t>(sizeof nl + sizeof cn + ev.size());
  nl.nlmsg_type = NLMSG_DONE;
  std::string out(reinterpret_cast<const char*>(&nl), sizeof nl);
  out.append(reinterpret_cast<const char*>(&cn), sizeof cn);
  return out + ev;
}

}  // namespace

std::vector<std::string> fuzz_seeds() {
  return {datagram(1, {100, 100, 4242, 4242}), datagram(2, {4242, 4242}), datagram(0x80000000u, {4242, 4242, 0, 17}),
          datagram(2, {4242, 4242}) + datagram(1, {1, 1, 2, 2})};
}
