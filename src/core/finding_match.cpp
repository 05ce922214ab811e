#include "core/finding_match.hpp"

#include <algorithm>

#include "core/glob.hpp"
#include "core/text.hpp"

namespace vigil {

bool FieldCondition::holds(const Finding& f) const {
  bool any = false;
  for (const auto& e : f.evidence) {
    if (e.key != key) continue;
    auto value = evidence_text(e.value);
    const bool hit = networks.empty() ? glob_match(glob, value)
                                      : std::any_of(networks.begin(), networks.end(),
                                                    [&](const Cidr& n) { return n.contains(value); });
    if (hit) {
      any = true;
      break;
    }
  }
  return negate ? !any : any;
}

bool FindingMatch::matches(const Finding& f) const {
  if (!glob_match(rule, f.rule)) return false;
  return std::all_of(conditions.begin(), conditions.end(), [&](const FieldCondition& c) { return c.holds(f); });
}

expected<FindingMatch, std::string> parse_finding_match(const std::vector<std::string_view>& words) {
  if (words.empty()) return make_unexpected(std::string("missing rule id"));
  FindingMatch m;
  m.rule = std::string(words[0]);
  if (m.rule.find('=') != std::string::npos)
    return make_unexpected("expected a rule id (or glob) first, found '" + m.rule + "'");
  for (std::size_t i = 1; i < words.size(); ++i) {
    auto w = words[i];
    auto eq = w.find('=');
    if (eq == std::string_view::npos || eq == 0 || (eq == 1 && w[0] == '!'))
      return make_unexpected("expected FIELD=GLOB or FIELD!=GLOB, found '" + std::string(w) + "'");
    FieldCondition c;
    c.negate = w[eq - 1] == '!';
    c.key = std::string(w.substr(0, c.negate ? eq - 1 : eq));
    auto value = w.substr(eq + 1);
    if (value.starts_with("cidr:")) {
      value.remove_prefix(5);
      for (auto net : split(value, ',')) {
        auto parsed = Cidr::parse(trim(net));
        if (!parsed) return make_unexpected("'" + std::string(net) + "' is not a network (192.0.2.0/24, 2001:db8::/32)");
        c.networks.push_back(*parsed);
      }
      if (c.networks.empty()) return make_unexpected("cidr: with no network in '" + std::string(w) + "'");
    } else {
      c.glob = std::string(value);
    }
    m.conditions.push_back(std::move(c));
  }
  return m;
}

}  // namespace vigil
