// Fuzz target: sshd_config lines (keyword and value, Match and Include) and the expansion of
// AuthorizedKeysFile patterns into paths.
#include <string_view>

#include "collect/sshd_config.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  using namespace vigil::collect;
  std::vector<SshdSettingRow> rows;
  for (auto& l : parse_sshd_config(s)) {
    if (l.keyword.empty()) __builtin_trap();  // every line names a keyword
    rows.push_back({"/etc/ssh/sshd_config", static_cast<std::int64_t>(l.line), l.keyword, l.value, ""});
  }
  for (const auto& p : authorized_keys_paths(rows, "alice", 1000, "/home/alice"))
    if (!p.starts_with('/')) __builtin_trap();  // every path is absolute
  return 0;
}

std::vector<std::string> fuzz_seeds() {
  return {"Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin=no\nMatch User backup\n  ForceCommand /x\n",
          "AuthorizedKeysFile .ssh/authorized_keys /etc/ssh/keys/%u %h/.k %U%%\n# c\n\t=\n",
          "AuthorizedKeysFile %\nAuthorizedKeysFile none\n"};
}
