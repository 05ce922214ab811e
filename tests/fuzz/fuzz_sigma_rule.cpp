// Fuzz target: Sigma rule files (YAML documents, modifiers, conditions, correlations).
#include <string_view>

#include "fuzz.hpp"
#include "logs/sigma_rule.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  vigil::logs::sigma::RuleFiles out;
  vigil::logs::sigma::parse_rule_file(s, "fuzz.yml", out);
  return static_cast<int>((out.rules.size() + out.correlations.size() + out.problems.size()) * 0);
}

std::vector<std::string> fuzz_seeds() {
  return {"title: t\nid: 1\nlogsource: {category: webserver}\ndetection:\n  sel:\n    cs-uri-query|contains|all:\n"
          "      - a\n      - b\n    sc-status: 200\n  kw:\n    - '|re|i': 'x+y'\n  filter:\n    c-ip|cidr: 10.0.0.0/8\n"
          "  condition: (sel or 1 of kw*) and not filter\nlevel: high\n",
          "title: k\nlogsource: {product: linux, service: sshd}\ndetection:\n  keywords:\n    - 'Failed * for'\n"
          "  b:\n    message|base64offset|contains: secret\n  condition: all of them\n---\ntitle: c\nname: c\n"
          "correlation:\n  type: event_count\n  rules: [k]\n  group-by: [source.ip]\n  timespan: 10m\n"
          "  condition: {gte: 5}\nlevel: medium\n"};
}
