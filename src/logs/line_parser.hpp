// Turns the lines of one log file into events: detects the file's format from its first
// lines, then parses each line with that format (falling back to the others, so a mixed
// file still parses), keeping the per-file state a format needs (the W3C #Fields: header,
// the year of year-less syslog dates).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "logs/event.hpp"
#include "logs/syslog_parse.hpp"
#include "logs/web_parse.hpp"

namespace vigil::logs {

enum class ParseResult { event, directive, blank, unparsed };

class LineParser {
 public:
  explicit LineParser(YearReference ref = {}, LogFormat hint = LogFormat::unknown) : ref_(ref), format_(hint) {}

  // Parses one line (no newline; a trailing CR is ignored). `e` is reset first.
  ParseResult parse(std::string_view line, Event& e);
  LogFormat format() const { return format_; }
  // The W3C header in force, so a parallel reader can start a block in the right state.
  void set_w3c_fields(std::string_view fields_line) { w3c_.directive(fields_line); }

 private:
  bool parse_as(LogFormat f, std::string_view line, Event& e);
  bool parse_json(std::string_view line, Event& e);

  YearReference ref_;
  LogFormat format_;
  W3cParser w3c_;
  std::vector<std::string> scratch_;  // JSON values the event points into
};

// The format of a file, guessed from a sample of its first lines.
LogFormat detect_format(std::string_view sample);

}  // namespace vigil::logs
