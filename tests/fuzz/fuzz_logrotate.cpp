// Fuzz target: logrotate configuration stanzas.
#include <string_view>

#include "collect/logrotate_parse.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  for (const auto& e : vigil::collect::parse_logrotate(s))
    for (const auto& p : e.paths)
      if (!p.starts_with('/')) __builtin_trap();  // only absolute paths are log files
  return 0;
}

std::vector<std::string> fuzz_seeds() {
  return {"weekly\ninclude /etc/logrotate.d\n/var/log/wtmp {\n  missingok\n  monthly\n}\n",
          "/var/log/syslog\n/var/log/auth.log \"/var/log/a b\" {\n  postrotate\n    /usr/lib/x { }\n  endscript\n"
          "  copytruncate\n}\n/var/log/x { rotate 1 }\n"};
}
