// Fuzz target: a record from vigil's BPF ring buffer (struct vigil_event, exec records with
// the file run and NUL-separated arguments). Whatever the bytes, an event or an error - never a
// read past them, never an address text from an unknown family.
#include <cstring>
#include <string_view>

#include "fuzz.hpp"
#include "process_events.h"
#include "watch/bpf_events.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto e = vigil::watch::parse_bpf_event(std::string_view(reinterpret_cast<const char*>(data), size));
  if (e && e->path.size() >= VIGIL_PATH_LEN) __builtin_trap();
  if (e && (e->kind == vigil::watch::KernelEvent::Kind::connect) && e->ip.empty()) __builtin_trap();
  return 0;
}

namespace {

std::string record(vigil_event e, bool full) {
  return std::string(reinterpret_cast<const char*>(&e), full ? sizeof e : offsetof(vigil_event, args_len));
}

}  // namespace

std::vector<std::string> fuzz_seeds() {
  vigil_event exec{};
  exec.kind = VIGIL_EV_EXEC;
  exec.pid = exec.tid = 4242;
  exec.ppid = 1;
  std::strcpy(exec.comm, "sleep");
  std::strcpy(exec.path, "/tmp/x");
  std::memcpy(exec.args, "/tmp/x\0-c\0id", 12);
  exec.args_len = 12;
  vigil_event connect{};
  connect.kind = VIGIL_EV_CONNECT;
  connect.family = 2;
  connect.port = 4444;
  connect.addr[0] = 127;
  connect.addr[3] = 1;
  vigil_event exit{};
  exit.kind = VIGIL_EV_EXIT;
  return {record(exec, true), record(connect, false), record(exit, false), record(exec, false)};
}
