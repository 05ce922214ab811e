// Sigma rules as vigil holds them after loading: detection selections made of value tests,
// a condition tree over the selections, the logsource they apply to, and correlation
// rules (event_count, value_count, temporal, temporal_ordered) over other rules.
// The YAML is read by yaml-cpp; string values become Hyperscan expressions, so every rule
// is matched in one multi-pattern pass with no backtracking (see sigma_ruleset.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/cidr.hpp"
#include "core/finding.hpp"
#include "core/severity.hpp"
#include "logs/event.hpp"

namespace vigil::logs::sigma {

enum class Op : std::uint8_t { pattern, exists, missing, lt, lte, gt, gte, cidr, fieldref };

struct Matcher {
  Op op = Op::pattern;
  std::optional<Field> field;  // nullopt: a keyword, searched in the whole event
  std::string regex;           // Op::pattern: a Hyperscan expression
  unsigned hs_flags = 0;
  double number = 0;           // lt/lte/gt/gte
  Cidr net;                    // cidr
  std::optional<Field> other;  // fieldref: the field whose value this one must equal
};

// field|modifiers: values — any of the values (all of them with |all).
struct FieldTest {
  std::vector<int> matchers;  // indices into Rule::matchers
  bool all = false;
};
using Conjunction = std::vector<FieldTest>;  // a map: every field must match
struct Selection {
  std::vector<Conjunction> any;  // a list of maps or keywords: one must match
};

struct Node {
  enum class Kind : std::uint8_t { selection, all, any, negate } kind = Kind::selection;
  int selection = -1;
  std::vector<Node> children;
};

struct LogSource {
  LogFamily family = LogFamily::linux_system;
  std::vector<std::string> programs;  // process.name values; empty: any program
};

struct RuleMeta {
  std::string id, name, title, author, description, status, file;
  std::string level = "medium";
  Severity severity = Severity::medium;
  std::vector<std::string> attack;  // T1110, T1190.001 …
  std::vector<std::string> references;
  std::vector<std::string> falsepositives;
  std::string remedy;  // vigil's own rules: what to do (a custom attribute, ignored by other engines)
  std::string finding_id;  // the rule id its findings carry, unique among the rules loaded
  // vigil's own correlation attributes (ignored by other engines):
  // absorbed_by - names or ids of correlations that, firing for the same group on the same
  // event, say the same thing more strongly (a login after a fast brute force is also one
  // after a slow one): this one is then not reported.
  std::vector<std::string> absorbed_by;
  // severity_by_failures - level: count; the finding is raised to the level once the
  // source has failed that many logins in the logs read (a persistent guesser that got in).
  std::vector<std::pair<std::uint64_t, Severity>> severity_by_failures;
};

// The rule id a Sigma rule's findings carry: logs.<name> (vigil's own rules drop their vigil_
// prefix: vigil_web_xss is logs.web-xss), logs.<uuid> for a rule without a name, and a slug of
// the title for a rule with neither. Made unique when the rules are loaded (finding_id).
std::string finding_rule_id(const RuleMeta& m);
// What every finding of a Sigma rule says of the rule: its id, level, title and ATT&CK tags,
// and rule.uuid, rule.author, rule.reference and rule.ruleset where known.
void describe_rule(Finding& f, const RuleMeta& m);

struct Rule {
  RuleMeta meta;
  LogSource source;
  std::vector<std::string> selection_names;
  std::vector<Selection> selections;
  Node condition;
  std::vector<Matcher> matchers;
};

enum class CorrelationType : std::uint8_t { event_count, value_count, temporal, temporal_ordered };

struct Threshold {
  enum class Cmp : std::uint8_t { gte, gt, lte, lt, eq } cmp = Cmp::gte;
  double value = 1;
  bool met(double n) const;
};

struct Correlation {
  RuleMeta meta;
  CorrelationType type = CorrelationType::event_count;
  std::vector<std::string> rules;  // names or ids of the rules (or correlations) it counts
  std::vector<Field> group_by;
  std::int64_t timespan = 0;       // seconds
  Threshold condition;
  std::optional<Field> field;      // value_count: the field whose distinct values count
  bool generate = false;           // whether the referenced rules also report on their own
};

struct LoadProblem {
  std::string file;
  std::string rule;    // title or id, when known
  std::string reason;
};

struct RuleFiles {
  std::vector<Rule> rules;
  std::vector<Correlation> correlations;
  std::vector<LoadProblem> problems;
  std::size_t files = 0;
};

// Parses one YAML file (one or more documents). Rules that cannot be used go to
// out.problems with the reason; the others are appended.
void parse_rule_file(std::string_view text, const std::string& file, RuleFiles& out);

// Every *.yml / *.yaml under each path (a file or a directory, recursively).
RuleFiles load_rule_paths(const std::vector<std::string>& paths);

// The condition grammar: and, or, not, parentheses, "1 of x*", "all of x*", "1 of them",
// "all of them". Throws std::runtime_error with the reason on a bad condition.
Node parse_condition(std::string_view text, const std::vector<std::string>& selection_names);

// Sigma's string value (with * and ? wildcards and \ escapes) as a regex body.
std::string wildcard_regex(std::string_view value);
std::string base64(std::string_view bytes);

}  // namespace vigil::logs::sigma
