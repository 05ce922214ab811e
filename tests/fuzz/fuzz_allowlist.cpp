// Fuzz target: an allowlist file as check and enforce read it (header, entries, escapes,
// signature line), and the path escaping both ways.
#include <string_view>

#include "allow/allowlist.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto parsed = vigil::allow::parse_allowlist(text)) {
    auto body = vigil::allow::allowlist_body(parsed->list);
    auto again = vigil::allow::parse_allowlist(body);
    if (!again || again->list.entries.size() != parsed->list.entries.size()) __builtin_trap();
    for (const auto& e : parsed->list.entries) (void)parsed->list.find(e.path);
  }
  auto back = vigil::allow::unescape_path(vigil::allow::escape_path(text));
  if (!back || *back != text) __builtin_trap();
  return 0;
}

std::vector<std::string> fuzz_seeds() {
  std::string sha(64, 'a');
  return {"vigil-allowlist 1\nhost web1\nroot /\ncreated 1765140000\nkey ed25519 3f2a\n" + sha +
              " 151344 coreutils /usr/bin/ls\n" + sha + " 9 added /tmp/a\\x20b\nsignature 00ff\n",
          "vigil-allowlist 1\n" + sha + " x y /z\n", "vigil-allowlist 1\nsignature zz\nmore\n"};
}
