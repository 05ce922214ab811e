// Suppression file parser and matcher.
#include "core/suppress.hpp"


#include <algorithm>

#include "core/glob.hpp"
#include "core/text.hpp"

namespace vigil {

bool Suppression::matches(const Finding& f) const {
  if (!glob_match(rule, f.rule)) return false;
  for (const auto& [key, glob] : fields) {
    bool any = false;
    for (const auto& e : f.evidence)
      if (e.key == key && glob_match(glob, evidence_text(e.value)))
        any = true;
    if (!any) return false;
  }
  return true;
}

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
    auto words = split_ws(line.substr(0, sep));
    if (words.empty()) {
      result = make_unexpected(ParseError{n, "missing rule id"});
      return;
    }
    s.rule = std::string(words[0]);
    for (std::size_t i = 1; i < words.size(); ++i) {
      auto eq = words[i].find('=');
      if (eq == std::string_view::npos || eq == 0) {
        result = make_unexpected(
            ParseError{n, "expected FIELD=GLOB, found '" + std::string(words[i]) + "'"});
        return;
      }
      s.fields.emplace_back(std::string(words[i].substr(0, eq)),
                            std::string(words[i].substr(eq + 1)));
    }
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
