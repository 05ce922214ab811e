// Web server logs: Apache/Nginx access logs in the common and combined formats (also with
// a leading virtual host, and with each line wrapped in an extra pair of quotes as some
// exports do), Apache and Nginx error logs, and IIS/W3C extended logs whose `#Fields:`
// header names the columns (and may change mid-file).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "logs/event.hpp"

namespace vigil::logs {

bool parse_access_line(std::string_view line, Event& e);
bool parse_web_error_line(std::string_view line, Event& e);

// The state a W3C file carries from its last #Fields: directive.
class W3cParser {
 public:
  // A '#' directive line: remembers #Fields:. Returns false for any other line.
  bool directive(std::string_view line);
  bool has_fields() const { return !columns_.empty(); }
  // A data line under the current #Fields:.
  bool parse(std::string_view line, Event& e);
  const std::string& fields_line() const { return fields_line_; }

 private:
  std::vector<int> columns_;  // per column: Field index, -1 ignored, or a special code
  std::string fields_line_;
  std::string url_;           // stem?query, rebuilt per line
};

}  // namespace vigil::logs
