// One SCA rule ("not f:/etc/ssh/sshd_config -> !r:^# && r:PermitRootLogin\s+yes") parsed
// into its type, target and content pattern, with every regex compiled at load time.
//
//   rule     = ["not "] type ":" target [" -> " [file " -> "] pattern]
//   type     = "f" file | "d" directory | "p" process | "c" command | "r" registry
//              | "s" file status (vigil: "mode=0640 uid=0 gid=42 user=root group=shadow type=file")
//   pattern  = minterm {" && " minterm}      every minterm must hold on the same line
//   minterm  = ["!"] ("r:" regex | "n:" regex " compare " op number | literal)
//   target   = comma-separated paths (f, d, s); "$name" variables are replaced in it
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/regex.hpp"
#include "core/expected.hpp"

namespace vigil::audit {

enum class RuleType { file, directory, process, command, registry, status };

struct Minterm {
  enum class Kind { regex, numeric, literal };
  Kind kind = Kind::literal;
  bool negated = false;
  std::string text;                  // the literal, or the regex source
  std::optional<Regex> regex;        // regex and numeric
  std::string op;                    // numeric: == != < <= > >=
  long long number = 0;              // numeric: the right-hand side
};

struct ContentPattern {
  std::string source;
  std::vector<Minterm> minterms;
};

struct Rule {
  std::string source;  // as written in the policy
  bool negated = false;
  RuleType type = RuleType::file;
  std::string target;                      // variables already replaced
  std::optional<ContentPattern> file_name;  // d: which entries (r:regex or an OSMatch-like literal)
  std::optional<ContentPattern> content;    // what a line (or command output line) must match;
                                            // p: the process name pattern (its target)
};

using Variables = std::map<std::string, std::string, std::less<>>;

// The error says what is wrong ("unknown rule type 'x'", "invalid regex …").
expected<Rule, std::string> parse_rule(std::string_view text, const Variables& vars);
expected<ContentPattern, std::string> parse_pattern(std::string_view text);

// How a line fares against a pattern: every minterm (negated where marked) must hold; a
// numeric minterm whose regex captures no number does not hold.
bool pattern_matches(const ContentPattern& p, std::string_view line);

// The line a failing pattern came closest to: every regex minterm holds and each numeric
// minterm's regex matches, but a comparison fails (PASS_MAX_DAYS 99999 against <= 365).
bool pattern_nearly_matches(const ContentPattern& p, std::string_view line);

// OSMatch-style entry name matching for d: rules: '|' alternatives, '^' and '$' anchors,
// case-insensitive literal otherwise; "r:" selects a regex.
bool name_matches(const ContentPattern& p, std::string_view name);

std::string_view rule_type_name(RuleType t);

}  // namespace vigil::audit
