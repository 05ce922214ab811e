// Fuzz target: datagrams from the audit netlink socket - netlink headers around audit record
// texts - through the record splitter and libauparse's assembly into exec events. Whatever the
// bytes: records or an error, events with a pid and an absolute program, never a crash.
#include <linux/netlink.h>

#include <cstring>
#include <string_view>

#include "fuzz.hpp"
#include "watch/audit_events.hpp"
#include "watch/audit_records.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  static vigil::watch::AuditAssembler assembler;  // state across inputs, as in the daemon
  std::vector<vigil::watch::KernelEvent> out;
  if (auto records = vigil::watch::parse_audit_datagram(bytes))
    for (const auto& r : *records) assembler.feed(r.type, r.text, out);
  assembler.age(out);
  for (const auto& e : out)
    if (e.pid <= 0 || e.path.empty() || e.path.front() != '/') __builtin_trap();
  return 0;
}

namespace {

std::string datagram(int type, std::string_view text) {
  nlmsghdr h{};
  h.nlmsg_len = static_cast<std::uint32_t>(NLMSG_LENGTH(text.size()));
  h.nlmsg_type = static_cast<std::uint16_t>(type);
  std::string rec(NLMSG_ALIGN(h.nlmsg_len), '\0');
  std::memcpy(rec.data(), &h, sizeof h);
  std::memcpy(rec.data() + NLMSG_HDRLEN, text.data(), text.size());
  return rec;
}

}  // namespace

std::vector<std::string> fuzz_seeds() {
  return {datagram(1300, "audit(1796656075.040:66670): arch=c000003e syscall=59 success=yes exit=0 ppid=30992 "
                         "pid=31042 uid=0 comm=\"upd\" exe=\"/tmp/x/a/upd\" key=\"vigil-dev\"") +
              datagram(1309, "audit(1796656075.040:66670): argc=3 a0=\"/tmp/x/a/upd\" a1=74776F20776F726473 a2=\"x\""),
          datagram(1307, "audit(1796656075.040:66670): cwd=\"/work/main\"") +
              datagram(1320, "audit(1796656075.040:66670): "),
          datagram(1309, "audit(1.0:1): argc=2 a0=\"a\" a1[0]=41 a1_len=2")};
}
