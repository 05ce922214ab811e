// Parsing and Sigma matching of whole lines, with no state of its own: what a line means
// depends only on the source's cursor (format, W3C header, year, line number), so blocks of
// one file can be matched on every core and consumed in order, and a tail can match one line
// at a time with the same result.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "logs/line_parser.hpp"
#include "logs/rules.hpp"

namespace vigil::logs {

// Where a reader stands in one log source.
struct SourceCursor {
  LogFormat format = LogFormat::unknown;
  bool detected = false;       // the format was judged (from the first lines read)
  std::string w3c_fields;      // the "#Fields:" header in force
  YearReference year;          // for year-less syslog dates (the file's mtime)
  std::uint64_t next_line = 1;

  // Judges the format from a sample of the source's first lines, once.
  void detect(std::string_view sample);
  // The state after whole `lines` (each ending in '\n') were read: the last W3C header, the count.
  void advance(std::string_view lines);
  // The W3C header part of advance(), for a reader that numbers lines itself (the batch scan).
  void follow_headers(std::string_view lines);
};

// A line kept for the ordered pass: it matched a rule, or it is an auth event (the attacker
// table and the built-ins need every login, matched or not).
struct Hit {
  std::uint64_t line = 0;
  std::int64_t time = 0;
  std::vector<int> rules;
  std::vector<std::string> values;  // the captured fields, aligned with LineMatcher::captured()
  std::vector<ProfileAnomaly> anomalies;  // against the learned web profile, when one is loaded
  std::string raw;                  // only for rule matches and anomalies; cut to kRawKeep
};
inline constexpr std::size_t kRawKeep = 512;

struct MatchedBlock {
  std::uint64_t lines = 0, events = 0, unparsed = 0, directives = 0, blank = 0;
  std::vector<std::pair<std::uint64_t, std::string>> unparsed_samples;  // the first 3: number, excerpt
  std::vector<Hit> hits;
};

class LineMatcher {
 public:
  explicit LineMatcher(const LogRules& rules);

  // Parses and matches whole lines (each ending in '\n') read from the cursor's state;
  // the cursor is not moved (advance it with the same lines).
  MatchedBlock match(std::string_view lines, const SourceCursor& at, sigma::RuleSet::Scratch& scratch) const;

  const std::vector<Field>& captured() const { return capture_; }
  std::size_t capture_index(Field f) const;

 private:
  const LogRules& rules_;
  std::vector<Field> capture_;
};

// A line as a person can read it in a message: control characters as '?', cut to n bytes.
std::string excerpt(std::string_view s, std::size_t n = 120);

}  // namespace vigil::logs
