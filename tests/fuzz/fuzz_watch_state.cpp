// Fuzz target: the vigil watch state file decoder (a state file may be cut short by a crash
// or written by another version), and its round trip.
#include <string_view>

#include "fuzz.hpp"
#include "watch/state.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view blob(reinterpret_cast<const char*>(data), size);
  auto s = vigil::watch::decode_state(blob);
  if (!s) return 0;
  auto again = vigil::watch::decode_state(vigil::watch::encode_state(*s));
  if (!again || again->tails.size() != s->tails.size() || again->engine != s->engine ||
      again->emitted != s->emitted)
    __builtin_trap();  // what decodes must survive its own encoding
  return 0;
}

std::vector<std::string> fuzz_seeds() {
  vigil::watch::WatchState s;
  s.tails.push_back({"/var/log/auth.log", 2049, 131, 4096, 77, "256:00112233445566ff"});
  s.engine = std::string("\x01\x02\x00\x03", 4);
  s.emitted = {"abc|2026-12-07T04:14:39Z", "def|"};
  return {vigil::watch::encode_state(s), vigil::watch::encode_state({})};
}
