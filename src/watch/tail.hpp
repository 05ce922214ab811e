// Following one log file as it grows, across rotation: rename-and-create (the old file is read
// to its end, then the new one from its start), copytruncate (the file shrinks: read again
// from 0), deletion and re-creation, and a file that appears later. The position is kept as
// device, inode, offset and a hash of the first bytes, so a restart resumes where it stopped
// and a reused inode is not taken for the old file.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/unique_fd.hpp"

namespace vigil::watch {

struct TailPosition {
  std::string path;
  std::uint64_t dev = 0, ino = 0, offset = 0;
  std::uint64_t line = 1;  // number of the next line
  std::string head;        // hex SHA-256 of the file's first kHeadBytes (fewer while shorter)
};

inline constexpr std::size_t kHeadBytes = 256;
inline constexpr std::size_t kMaxLine = 1 << 20;  // a longer line is cut here

class FileTail {
 public:
  // `from_start`: on the very first start (no saved position) read what the file already
  // holds; otherwise that is history and following starts at its end.
  explicit FileTail(std::string path, bool from_start = false) : path_(std::move(path)), from_start_(from_start) {}
  // Before the first poll: where a previous run stopped.
  void resume(TailPosition p) { saved_ = std::move(p); }
  // Reads everything appended since the last poll and calls `line` for each whole line (no
  // newline), in order, with its number; `note` hears about rotation (problem false) and
  // errors (problem true). At most about `budget` bytes are read; the rest waits for the next
  // poll (a daemon over its CPU limit reads less, never skips).
  using LineFn = std::function<void(std::string_view line, std::uint64_t number)>;
  using NoteFn = std::function<void(bool problem, const std::string& what)>;
  void poll(const LineFn& line, const NoteFn& note, std::uint64_t budget = UINT64_MAX);
  // The file being followed was deleted (no name left) and none has taken its place yet.
  bool deleted() const;
  // Bytes between the position and the end of the file followed (0 when none is open).
  std::uint64_t lag() const;
  TailPosition position() const;
  const std::string& path() const { return path_; }
  // The first bytes of the file being followed (for format detection); "" before it opens.
  const std::string& sample() const { return sample_; }
  // Counts the files followed so far (first open, rotations, a rotated file finished after a
  // restart): a new value means the lines come from another file, whose format is judged anew.
  std::uint64_t generation() const { return generation_; }

 private:
  bool open_now(const NoteFn& note);
  void catch_up_rotated(const LineFn& line, const NoteFn& note);
  // Reads the rest of the file `was` describes from its rotated name; false when none is it.
  bool finish_from_copy(const TailPosition& was, const LineFn& line, const NoteFn& note);
  // Rotated twice: the end of PATH.2 (or PATH.2.gz), then PATH.1 whole.
  bool finish_twice_rotated(const TailPosition& was, const LineFn& line, const NoteFn& note);
  // False when the budget ran out before the end.
  bool read_to_end(const LineFn& line, const NoteFn& note, std::uint64_t budget = UINT64_MAX);
  void emit_lines(std::string_view bytes, const LineFn& line);
  // The file read ends here: its unfinished last line is given as a line.
  void end_of_file(const LineFn& line);
  // The first bytes of the open file, for format detection.
  void take_sample();

  std::string path_;
  TailPosition saved_;
  UniqueFd fd_;
  std::uint64_t dev_ = 0, ino_ = 0, offset_ = 0, line_ = 1;
  std::string head_, sample_, partial_;
  bool from_start_ = false, first_open_ = true;
  bool reported_missing_ = false;
  std::uint64_t generation_ = 0;
};

}  // namespace vigil::watch
