// The fim policy: which paths to watch and which attributes to record for each, in a small
// AIDE-like language (documented in docs/FIM.md and rules/fim/default.policy).
//
//   NAME = EXPR        define an attribute group (EXPR: names and groups joined by + and -)
//   /path EXPR         the path and everything below it
//   =/path EXPR        the path only
//   !/path             leave the path and everything below it out
//   /etc/*.conf EXPR   glob (* ? [...] do not cross /); with ! or = too
//   ~^/var/lib/.*\.db$ EXPR    a regular expression over the whole path (PCRE2, bounded;
//                              POSIX extended syntax works unchanged)
//
// The last line that matches a path decides.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/parse_error.hpp"
#include "core/regex.hpp"
#include "fim/attributes.hpp"

namespace vigil::fim {

struct PolicyRule {
  enum class Kind { tree, exact, exclude };
  Kind kind = Kind::tree;
  enum class Match { literal, glob, regex };
  Match match = Match::literal;
  std::string pattern;
  Attrs attrs = 0;
  std::size_t line = 0;
  std::optional<Regex> re;  // Match::regex
};

struct WalkRoot {
  std::string path;
  bool recursive = true;  // false: record the path itself only (an = rule)
};

// What a file watcher must cover: a directory, with or without what lies below it, and the
// literal subtrees the policy excludes there (no need to watch them). Glob and regex rules
// are decided per event with attrs_for().
struct WatchDir {
  std::string path;
  bool recursive = true;
  std::vector<std::string> excluded;
};

class Policy {
 public:
  // Parses the policy text; lines that fail are listed and left out, the rest apply.
  static Policy parse(std::string_view text, std::vector<ParseError>& errors);

  // The attributes to record for `path`; 0 when no rule selects it or one excludes it.
  Attrs attrs_for(std::string_view path) const;
  // False when the last matching rule excludes the directory: its entries are not walked.
  bool descend(std::string_view dir) const;
  // Where walks start: each rule's literal leading directory, nested roots dropped.
  std::vector<WalkRoot> roots() const;
  // The directories a watcher covers: each recursive root, and the parent directory of each
  // single path (an editor or an attacker replaces a file by renaming over it, which a watch
  // on the file itself would not see), with the excluded subtrees below each.
  std::vector<WatchDir> watch_dirs() const;
  const std::vector<PolicyRule>& rules() const { return rules_; }

 private:
  // The last rule matching `path`, or null.
  const PolicyRule* decide(std::string_view path) const;
  std::vector<PolicyRule> rules_;
};

}  // namespace vigil::fim
