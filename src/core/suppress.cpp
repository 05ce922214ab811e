// Suppression file parser and matcher.
#include "core/suppress.hpp"


#include <algorithm>

#include "core/text.hpp"

namespace vigil {

expected<std::vector<Suppression>, ParseError> parse_suppressions(std::string_view text) {
  std::vector<Suppression> out;
  expected<std::vector<Suppression>, ParseError> result = out;
  for_each_line(text, [&](std::string_view raw, std::size_t n) {
    if (!result) return;
    auto line = trim(raw);
    if (line.empty() || line.front() == '#') return;
    auto sep = line.find(" -- ");
    if (sep == std::string_view::npos || trim(line.substr(sep + 4)).empty()) {
      result = make_unexpected(
          ParseError{n, "every suppression needs a reason: RULE [FIELD=GLOB …] -- REASON"});
      return;
    }
    Suppression s;
    s.line = n;
    s.reason = std::string(trim(line.substr(sep + 4)));
    auto match = parse_finding_match(split_ws(line.substr(0, sep)));
    if (!match) {
      result = make_unexpected(ParseError{n, match.error()});
      return;
    }
    s.match = std::move(*match);
    result->push_back(std::move(s));
  });
  return result;
}

std::size_t apply_suppressions(const std::vector<Suppression>& rules, Findings& findings) {
  auto before = findings.size();
  std::erase_if(findings, [&](const Finding& f) {
    return std::any_of(rules.begin(), rules.end(), [&](const auto& r) { return r.matches(f); });
  });
  return before - findings.size();
}

}  // namespace vigil
