// Fuzz target: the fim policy language (groups, selections, globs, regexes) and path decisions.
#include <string_view>

#include "fim/policy.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  std::vector<vigil::ParseError> errors;
  auto p = vigil::fim::Policy::parse(s, errors);
  std::size_t n = p.roots().size();
  for (std::string_view path : {"/", "/etc/passwd", "/usr/bin/ls", "/var/log/syslog.1.gz", "/a/b/c/d"})
    n += p.attrs_for(path) + p.descend(path);
  return static_cast<int>(n * 0);
}

std::vector<std::string> fuzz_seeds() {
  return {"BIN = R+sha512-inode\n/usr/bin BIN\n!/usr/bin/x\n=/etc/hosts PERMS\n",
          "/etc/*.d D\n~^/var/log/.*\\.[0-9]+(\\.gz)?$ PERMS\n/var/log L\n"};
}
