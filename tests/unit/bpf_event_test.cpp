// The BPF ring buffer record reader: exec records give the file and the arguments, socket
// records the address in text form; short or unknown records are errors, not guesses.
#include <cstring>

#include <gtest/gtest.h>

#include "process_events.h"
#include "watch/bpf_events.hpp"

using vigil::watch::KernelEvent;
using vigil::watch::parse_bpf_event;

namespace {

std::string bytes(const vigil_event& e, std::size_t n = sizeof(vigil_event)) {
  return std::string(reinterpret_cast<const char*>(&e), n);
}

}  // namespace

TEST(BpfEvent, ExecGivesTheFileAndItsArguments) {
  vigil_event e{};
  e.kind = VIGIL_EV_EXEC;
  e.pid = 10;
  e.tid = 10;
  e.ppid = 1;
  e.uid = 33;
  std::strcpy(e.comm, "sh");
  std::strcpy(e.path, "/bin/sh");
  std::memcpy(e.args, "sh\0-c\0id\0", 9);
  e.args_len = 9;
  auto k = parse_bpf_event(bytes(e));
  ASSERT_TRUE(k) << k.error();
  EXPECT_EQ(k->kind, KernelEvent::Kind::exec);
  EXPECT_EQ(k->path, "/bin/sh");
  EXPECT_EQ(k->argv, (std::vector<std::string>{"sh", "-c", "id"}));
  EXPECT_EQ(k->uid, 33);
  EXPECT_EQ(k->comm, "sh");
  // Cut short: an exec record must carry its path and arguments.
  EXPECT_FALSE(parse_bpf_event(bytes(e, offsetof(vigil_event, args_len))));
}

TEST(BpfEvent, SocketEventsGiveTheAddressAsText) {
  vigil_event e{};
  e.kind = VIGIL_EV_CONNECT;
  e.family = 2;
  e.port = 4444;
  e.sock_type = 1;
  unsigned char v4[4] = {10, 0, 0, 7};
  std::memcpy(e.addr, v4, 4);
  auto k = parse_bpf_event(bytes(e, offsetof(vigil_event, args_len)));
  ASSERT_TRUE(k) << k.error();
  EXPECT_EQ(k->ip, "10.0.0.7");
  EXPECT_EQ(k->port, 4444);
  e.family = 10;
  std::memset(e.addr, 0, 16);
  e.addr[15] = 1;
  EXPECT_EQ(parse_bpf_event(bytes(e, offsetof(vigil_event, args_len)))->ip, "::1");
  e.family = 1;  // AF_UNIX is filtered in the kernel; here it is an error
  EXPECT_FALSE(parse_bpf_event(bytes(e, offsetof(vigil_event, args_len))));
}

TEST(BpfEvent, ShortOrUnknownRecordsAreErrors) {
  vigil_event e{};
  e.kind = 99;
  EXPECT_FALSE(parse_bpf_event(bytes(e)));
  EXPECT_FALSE(parse_bpf_event(std::string(10, '\0')));
}
