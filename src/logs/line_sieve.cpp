// The text/binary sieve.
#include "logs/line_sieve.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "core/text.hpp"

namespace vigil::logs {

namespace {

constexpr std::size_t kMaxPiece = 64 * 1024;  // a "line" judged before its newline arrives

// No byte a text log would not hold: printable ASCII, tab and newline. Eight bytes at a time
// (the reader thread shares two cores with the matchers, so this pass must be cheap): a word
// with a byte of 0x80 or more, or DEL, is not plain; one with a byte under 0x20 is looked at
// byte by byte, since every line's newline is one.
bool plain(const char* p, std::size_t n) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  auto has_below = [&](std::uint64_t w, std::uint64_t v) { return ((w - kOnes * v) & ~w & kHighs) != 0; };
  auto bytewise = [](const char* q, std::size_t m) {
    for (std::size_t k = 0; k < m; ++k) {
      auto c = static_cast<unsigned char>(q[k]);
      if ((c < 0x20 && c != '\n' && c != '\t') || c >= 0x7f) return false;
    }
    return true;
  };
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    if ((w & kHighs) || has_below(w ^ (kOnes * 0x7f), 1)) return false;  // >= 0x80, or DEL
    if (has_below(w, 0x20) && !bytewise(p + i, 8)) return false;
  }
  return bytewise(p + i, n - i);
}

}  // namespace

void LineSieve::feed(const char* p, std::size_t n) {
  if (pending_.empty() && plain(p, n)) {
    cutter_.feed(p, n);
    counts_.text_bytes += n;
    offset_ += n;
    in_binary_ = false;
    return;
  }
  while (n > 0) {
    const void* nl = std::memchr(p, '\n', n);
    std::size_t k = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - p) + 1 : n;
    pending_.append(p, k);
    p += k;
    n -= k;
    if (nl || pending_.size() >= kMaxPiece) judge_pending();
  }
}

void LineSieve::finish() {
  if (!pending_.empty()) judge_pending();
}

// A line that starts like text (its first 24 bytes, NUL aside, all text) is text, whatever
// follows: a log line carrying an exploit's raw bytes ("SEARCH /\x90\x02\xb1…") is evidence.
// Otherwise, of the bytes that are not NUL, more than a tenth that no text log holds — control
// characters (the C0 set but tab, CR, LF, FF, VT, ESC; DEL) and bytes outside valid UTF-8 —
// is binary; ANSI colours, the odd stray byte and a Latin-1 name or two are text. Inside binary
// data a line must look solidly like text to end it (16 bytes or more, at most 2 % odd): random
// bytes hold short runs that would pass on their own.
bool binary_line(std::string_view s) {
  std::size_t odd = 0;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 1;
    if (c == 0) return true;
    if (c < 0x80) {
      odd += (c < 0x20 && c != '\t' && c != '\r' && c != '\f' && c != '\v' && c != 0x1b) || c == 0x7f;
    } else {
      len = utf8_len(s, i);
      odd += len == 0;
      len = std::max<std::size_t>(len, 1);
    }
    i += len;
  }
  return odd * 50 > s.size();
}

bool LineSieve::binary(std::string_view s) const {
  constexpr std::size_t kPrefix = 24;
  std::size_t odd = 0, nul = 0, seen = 0, prefix_odd = 0;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    bool bad;
    std::size_t len = 1;
    if (c < 0x80) {
      nul += c == 0;
      bad = (c != 0 && c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1b) ||
            c == 0x7f;
    } else {
      len = utf8_len(s, i);
      bad = len == 0;
      len = std::max<std::size_t>(len, 1);
    }
    odd += bad;
    if (c != 0 && seen < kPrefix) {
      ++seen;
      prefix_odd += bad;
    }
    i += len;
  }
  std::size_t text = s.size() - nul;
  if (seen == kPrefix && prefix_odd == 0 && s[s.size() - 1] == '\n') return false;
  if (in_binary_) return text < 16 || odd * 50 > text;
  return odd * 10 > text;
}

void LineSieve::judge_pending() {
  if (binary(pending_)) {
    if (!counts_.binary_bytes) counts_.first_binary = offset_;
    if (!in_binary_) ++counts_.regions;
    in_binary_ = true;
    counts_.binary_bytes += pending_.size();
    cutter_.skip_lines(static_cast<std::uint64_t>(std::count(pending_.begin(), pending_.end(), '\n')));
  } else {
    in_binary_ = false;
    feed_text(pending_);
  }
  offset_ += pending_.size();
  pending_.clear();
}

void LineSieve::feed_text(std::string_view s) {
  while (!s.empty()) {
    auto k = std::min(s.find('\0'), s.size());
    cutter_.feed(s.data(), k);
    counts_.text_bytes += k;
    s.remove_prefix(k);
    while (!s.empty() && s.front() == '\0') {
      ++counts_.nul_bytes;
      s.remove_prefix(1);
    }
  }
}

}  // namespace vigil::logs
