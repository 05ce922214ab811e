// Undoing the encodings attackers use to slip past string matching, before rules match:
// %-encoding (repeated, for double encoding; %uXXXX), '+' for space, overlong UTF-8
// (%c0%af is '/'), HTML entities (&lt; &#60; &#x3c;), and Log4j lookups that spell a
// word one letter at a time (${lower:j}, ${::-n}, ${env:X:-d}).
#pragma once

#include <string>
#include <string_view>

namespace vigil::logs {

// Decodes `in` into `out`. Returns false (and leaves `out` alone) when nothing in `in`
// could be encoded, the common case, which costs one pass over the bytes. `plus_is_space`
// for URLs, where a '+' in the query is an encoded space.
bool decode_web(std::string_view in, std::string& out, bool plus_is_space = true);

}  // namespace vigil::logs
