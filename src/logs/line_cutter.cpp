// Line cutting.
#include "logs/line_cutter.hpp"

#include <fmt/format.h>

#include <cstring>

namespace vigil::logs {

LineCutter::LineCutter(std::size_t input, const ReadLimits& limits, Emit emit, Note note)
    : input_(input), limits_(limits), emit_(std::move(emit)), note_(std::move(note)) {
  cur_.data.reserve(limits_.block_size + 4096);
}

void LineCutter::set_next_line(std::uint64_t n) {
  line_no_ = n;
  if (line_start_ == 0) block_first_ = n;
}

void LineCutter::feed(const char* p, std::size_t n) {
  while (n > 0) {
    if (skipping_) {  // the rest of an over-long line
      const void* nl = std::memchr(p, '\n', n);
      if (!nl) return;
      std::size_t k = static_cast<std::size_t>(static_cast<const char*>(nl) - p) + 1;
      p += k;
      n -= k;
      skipping_ = false;
      continue;
    }
    const void* nl = std::memchr(p, '\n', n);
    std::size_t take = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - p) + 1 : n;
    std::size_t line_len = cur_.data.size() - line_start_;
    if (line_len + take > limits_.max_line + (nl ? 1 : 0)) {
      std::size_t room = limits_.max_line - line_len;
      cur_.data.append(p, room);
      cur_.data += '\n';
      if (note_)
        note_(fmt::format("line {}: longer than {} bytes; only its first {} bytes were read", line_no_,
                          limits_.max_line, limits_.max_line));
      end_line();
      skipping_ = !nl;
      p += take;
      n -= take;
      continue;
    }
    cur_.data.append(p, take);
    p += take;
    n -= take;
    if (nl) end_line();
  }
}

void LineCutter::end_line() {
  line_start_ = cur_.data.size();
  ++line_no_;
  if (cur_.data.size() >= limits_.block_size) emit(line_start_);
}

void LineCutter::flush() { emit(line_start_); }

void LineCutter::finish() {
  if (pending() > 0) {  // a last line without a newline
    cur_.data += '\n';
    end_line();
  }
  flush();
}

void LineCutter::skip_lines(std::uint64_t lines) {
  if (lines == 0) return;
  if (pending() > 0) {  // its end was in the binary run
    cur_.data += '\n';
    end_line();
    --lines;
  }
  emit(line_start_);  // lines of a block are numbered in a row: the block ends here
  line_no_ += lines;
  block_first_ = line_no_;
}

void LineCutter::emit(std::size_t upto) {
  if (upto == 0) return;
  Block b;
  b.first_line = block_first_;
  b.input = input_;
  b.year = year_;
  if (upto == cur_.data.size()) {
    b.data = std::move(cur_.data);
    cur_.data = std::string();
    cur_.data.reserve(limits_.block_size + 4096);
  } else {  // keep the partial line
    b.data = cur_.data.substr(0, upto);
    cur_.data.erase(0, upto);
  }
  line_start_ = 0;
  block_first_ = line_no_;
  emit_(std::move(b));
}

}  // namespace vigil::logs
