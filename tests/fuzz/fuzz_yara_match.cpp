// Fuzz target: turning a YARA match's metadata (any keys, any values) into a finding.
#include <string_view>

#include "fuzz.hpp"
#include "scan/yara_match.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  vigil::scan::YaraMatch m;
  m.rule = "fuzz";
  // Lines of key=value become metadata; a line "$id offset" a matched string.
  std::size_t pos = 0;
  while (pos < s.size()) {
    auto nl = s.find('\n', pos);
    std::string_view line = s.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? s.size() : nl + 1;
    if (line.starts_with("$")) {
      m.strings.emplace_back(std::string(line.substr(0, line.find(' '))), line.size());
      ++m.string_matches;
      continue;
    }
    auto eq = line.find('=');
    m.meta.emplace_back(std::string(line.substr(0, eq)), eq == std::string_view::npos ? "" : std::string(line.substr(eq + 1)));
  }
  (void)vigil::scan::yara_finding(m);
  return 0;
}

std::vector<std::string> fuzz_seeds() {
  return {"severity=high\ndescription=x\nattack=T1059.004 T1071\nreference=https://e\n$a 1\n",
          "score=85\nmitre_att=T1505.003\nid=1\n$dev_tcp\n", "attack=T\nattack=T1\nattack=T12345.1\n"};
}
