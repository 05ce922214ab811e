// Fuzz target: SCA policy files (YAML, rules, content patterns) and line matching with the
// patterns they compile to.
#include <string_view>

#include "audit/policy.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  vigil::audit::PolicySet set;
  vigil::audit::parse_policy(s, "fuzz.yml", set);
  std::size_t hits = 0;
  for (const auto& p : set.policies)
    for (const auto& c : p.checks)
      for (const auto& r : c.rules)
        if (r.content)
          for (std::string_view line : {std::string_view("PermitRootLogin no"), s.substr(0, 256)})
            hits += vigil::audit::pattern_matches(*r.content, line) + vigil::audit::pattern_nearly_matches(*r.content, line);
  // Rule strings alone, as a policy's list would hold them.
  if (size < 4096) hits += vigil::audit::parse_rule(s, {{"$x", "/etc/x"}}).has_value();
  return static_cast<int>(hits * 0);
}

std::vector<std::string> fuzz_seeds() {
  return {"policy: {id: p, file: p.yml, name: p, description: p}\nrequirements: {title: r, condition: any, rules: "
          "['f:/etc/debian_version']}\nvariables:\n  $sshd: /etc/ssh/sshd_config\nchecks:\n  - id: 1\n    title: t\n"
          "    condition: all\n    rules:\n      - 'not f:$sshd -> !r:^# && r:PermitRootLogin\\s+yes'\n"
          "      - 'f:/etc/login.defs -> n:^PASS_MAX_DAYS\\s+(\\d+) compare <= 365'\n      - 'd:/etc -> r:\\.conf$ -> r:x'\n"
          "      - 'c:sh -c \"echo hi\" -> r:^hi$'\n      - 's:/etc/shadow -> r:^mode=0640'\n  - id: 2\n"
          "    title: u\n    condition: none\n    rules: ['p:telnetd', 'f:/proc/sys/net/ipv4/ip_forward -> 1']\n",
          "f:/etc/passwd -> !r:^root: && r:^[^:]+:[^:]*:0:"};
}
