// Cuts a stream of bytes into blocks of whole lines for the parsers, numbering lines and
// cutting those over the length limit. A trailing partial line is held for the next read
// (a tail sees a line half written); only finish(), at the end of a file, completes it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "logs/syslog_parse.hpp"

namespace vigil::logs {

struct Block {
  std::string data;            // whole lines, each ending in '\n'
  std::uint64_t first_line = 1;
  std::size_t input = 0;
  YearReference year;          // of the input, for year-less dates
};

struct ReadLimits {
  std::size_t block_size = 1 << 20;
  std::size_t max_line = 1 << 20;  // longer lines are cut here and reported
};

class LineCutter {
 public:
  using Emit = std::function<void(Block&&)>;
  using Note = std::function<void(std::string)>;

  // Blocks are emitted as they reach limits.block_size; `note` hears of cut lines.
  LineCutter(std::size_t input, const ReadLimits& limits, Emit emit, Note note = {});

  void feed(const char* p, std::size_t n);
  void feed(std::string_view s) { feed(s.data(), s.size()); }
  // Emits the whole lines gathered so far; a partial last line stays for the next feed.
  void flush();
  // The end of the input: a last line without a newline counts as a line; then flush().
  void finish();
  // `lines` lines of the input were left out (binary data): numbering jumps past them. A line
  // begun before them ends there.
  void skip_lines(std::uint64_t lines);

  // Bytes of a partial line held back (a reader's safe resume offset is its offset minus this).
  std::size_t pending() const { return cur_.data.size() - line_start_; }
  std::uint64_t next_line() const { return line_no_; }
  void set_year(YearReference y) { year_ = y; }
  // Where numbering continues after a restart.
  void set_next_line(std::uint64_t n);

 private:
  void end_line();
  void emit(std::size_t upto);

  std::size_t input_;
  ReadLimits limits_;
  Emit emit_;
  Note note_;
  YearReference year_;
  Block cur_;
  std::size_t line_start_ = 0;  // where the partial line starts in cur_.data
  std::uint64_t line_no_ = 1;   // of the partial line
  std::uint64_t block_first_ = 1;
  bool skipping_ = false;       // inside the rest of an over-long line
};

}  // namespace vigil::logs
