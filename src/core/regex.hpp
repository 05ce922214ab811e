// A compiled PCRE2 pattern (the regex dialect of Wazuh SCA 5.x policies, and of fim's ~ rules),
// JIT-compiled once and shared by every thread: each match allocates its own match data.
// Every pattern comes from a file someone else may have written, so both stages are bounded:
// the pattern's length and nesting at compile time, and each match by PCRE2's match, depth
// and heap limits (a pattern that would backtrack for ever fails the match, never the host).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/expected.hpp"

namespace vigil {

class Regex {
 public:
  // The error names the offset and PCRE2's reason.
  static expected<Regex, std::string> compile(std::string_view pattern);

  // True when the pattern matches somewhere in `subject`; a match that hits a limit is false.
  bool search(std::string_view subject) const;
  // The first capture group of the first match, when the pattern matches and has one.
  std::optional<std::string> first_capture(std::string_view subject, bool& matched) const;
  const std::string& pattern() const { return pattern_; }

 private:
  struct Code;
  std::shared_ptr<Code> code_;
  std::string pattern_;
};

}  // namespace vigil
