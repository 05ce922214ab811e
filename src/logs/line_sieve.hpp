// Between a reader and the line cutter: text goes on, binary is left out, a line at a time.
// A log with a block of NUL bytes (space a crash left behind) is read around it, random bytes
// are not read as lines, and a file that is binary throughout gives no text at all. Skipped
// lines still count, so line numbers stay those of the file. Buffers of plain text (nearly
// all of them) pass in one vectorised check.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "logs/line_cutter.hpp"

namespace vigil::logs {

struct SieveCounts {
  std::uint64_t text_bytes = 0;
  std::uint64_t binary_bytes = 0, regions = 0, first_binary = 0;  // left out, in how many runs, where first
  std::uint64_t nul_bytes = 0;                                    // NUL bytes dropped from text lines
};

// One line (no newline) that is not text: NUL bytes, or more than one byte in fifty a control
// character or invalid UTF-8. For a tail, which judges line by line.
bool binary_line(std::string_view line);

class LineSieve {
 public:
  explicit LineSieve(LineCutter& cutter) : cutter_(cutter) {}

  void feed(const char* p, std::size_t n);
  void feed(std::string_view s) { feed(s.data(), s.size()); }
  // Judges what is held for want of a newline (the end of the input).
  void finish();
  const SieveCounts& counts() const { return counts_; }

 private:
  bool binary(std::string_view s) const;
  void judge_pending();
  void feed_text(std::string_view s);

  LineCutter& cutter_;
  std::string pending_;  // a line (or a 64 KiB piece of one) being gathered on the careful path
  std::uint64_t offset_ = 0;
  bool in_binary_ = false;
  SieveCounts counts_;
};

}  // namespace vigil::logs
