// Shell wildcards (* ? [...] with ranges, negation, [:classes:] and \ escapes) matched in time
// proportional to pattern times text, never more. glibc's fnmatch backtracks: a pattern such
// as *a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b from a suppression or policy file took it 10 s against
// 120 characters. Every wildcard pattern that comes from a file goes through here.
#pragma once

#include <string_view>

namespace vigil {

enum GlobFlags : unsigned {
  kGlobPlain = 0,
  kGlobPathname = 1,  // wildcards do not match '/' (FNM_PATHNAME)
  kGlobPeriod = 2,    // a leading '.' (of each path component with kGlobPathname) must be matched literally
};

bool glob_match(std::string_view pattern, std::string_view text, unsigned flags = kGlobPlain);

}  // namespace vigil
