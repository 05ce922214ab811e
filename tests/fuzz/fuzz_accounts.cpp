// Fuzz target: passwd, group, shadow, login.defs and sudoers parsers, and the cost read off a hash.
#include <string_view>

#include "audit/passwords.hpp"
#include "collect/account_parse.hpp"
#include "collect/sudoers_parse.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  (void)vigil::collect::parse_passwd(s);
  (void)vigil::collect::parse_group(s);
  (void)vigil::collect::parse_shadow(s);
  (void)vigil::collect::parse_login_defs(s);
  (void)vigil::collect::parse_sudoers(s);
  for (const auto& e : vigil::collect::parse_shadow(s).rows) (void)vigil::audit::hash_cost(e.hash);
  (void)vigil::audit::hash_cost(s);
  return 0;
}

std::vector<std::string> fuzz_seeds() {
  return {
      "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n+@nis\n",
      "sudo:x:27:alice,bob\nadm:x:4:\n",
      "root:$y$j9T$abc$def:19000:0:99999:7:::\nbin:*:19000::::::\n",
      "a:$6$rounds=999999999$s$h:1::::::\nb:$2b$31$x:1::::::\nc:$gy$jzz$s$h:1::::::\n",
      "UID_MIN 1000\nUID_MAX 60000\n",
      "Defaults env_reset\nUser_Alias OPS = alice, bob\nOPS ALL=(ALL:ALL) NOPASSWD: ALL\n"
      "%sudo ALL=(ALL) ALL\ncarol host1 = (root) NOPASSWD: /usr/bin/systemctl restart nginx, \\\n  "
      "/bin/ls\n"
      "@includedir /etc/sudoers.d\n#include /etc/sudoers.local\n"};
}
