// Fuzz target: removing the password hashes from a shadow file for an incident bundle; the
// result keeps every line and never keeps a field that held a hash.
#include <algorithm>
#include <string_view>

#include "collect/evidence.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto out = vigil::collect::redact_password_hashes(text);
  auto lines = [](std::string_view s) { return std::count(s.begin(), s.end(), '\n'); };
  auto expected = lines(text) + (!text.empty() && text.back() != '\n' ? 1 : 0);
  if (lines(out) != expected) __builtin_trap();
  // Every line with a colon keeps only lock marks, and <removed>, in its second field.
  std::string_view rest = out;
  while (!rest.empty()) {
    auto line = rest.substr(0, rest.find('\n'));
    rest.remove_prefix(std::min(rest.size(), line.size() + 1));
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    auto field = line.substr(colon + 1, line.find(':', colon + 1) - colon - 1);
    auto marks = field.substr(0, field.find_first_not_of("!*"));
    auto after = field.substr(marks.size());
    if (!after.empty() && after != "<removed>") __builtin_trap();
  }
  return 0;
}

std::vector<std::string> fuzz_seeds() {
  return {"root:$6$secret$h:19000:0:99999:7:::\nbob:!$y$a$b:1::::::\n", "svc:*:1::::::\nnopw::1::::::\nx\n", ""};
}
