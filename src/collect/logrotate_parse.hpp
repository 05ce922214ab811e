// logrotate's configuration: which log files it rotates, so that a missing one can be told
// from one that never existed.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::collect {

struct LogrotateEntry {
  std::size_t line = 0;            // of the stanza's opening
  std::vector<std::string> paths;  // as written: absolute paths, possibly with wildcards
  bool copytruncate = false;       // truncated in place, never recreated
};

// Stanzas ("PATH… {" … "}") of a logrotate.conf or logrotate.d file; script blocks
// (postrotate … endscript) and comments are skipped.
std::vector<LogrotateEntry> parse_logrotate(std::string_view text);

}  // namespace vigil::collect
