// A sink's on-disk queue: findings appended as JSON lines, delivered from a persisted offset,
// bounded (the oldest undelivered are dropped and counted when it is full), and emptied once
// everything in it was delivered and the state saved - so a receiver that is down, or a
// restart, loses nothing that fits.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"
#include "core/unique_fd.hpp"

namespace vigil::watch {

class Spool {
 public:
  static expected<Spool, std::string> open(std::string path, std::uint64_t limit);

  // Appends lines (each without newline) and syncs; drops the oldest undelivered lines when
  // over the limit, returning how many.
  expected<std::uint64_t, std::string> append(const std::vector<std::string>& lines);
  // The next undelivered lines (at most `max`), with the offset after each.
  struct Item {
    std::string line;
    std::uint64_t end;  // offset after this line
  };
  std::vector<Item> peek(std::size_t max) const { return read_from(delivered_, max); }
  // Lines from `from` (an item's end, or delivered()) to the end, at most `max`.
  std::vector<Item> read_from(std::uint64_t from, std::size_t max) const;
  void mark_delivered(std::size_t lines, std::uint64_t end);
  std::uint64_t delivered() const { return delivered_; }
  // Where delivery stopped, as the state keeps it: the file's inode and the offset (a rewritten
  // file has another inode, an emptied one is shorter: both then count from the start).
  struct Mark {
    std::uint64_t ino = 0, delivered = 0;
  };
  Mark mark() const { return {ino_, delivered_}; }
  void restore(Mark m);
  std::uint64_t pending_bytes() const { return size_ - delivered_; }
  std::uint64_t pending_lines() const { return pending_lines_; }
  // Empties the file when all of it was delivered; rewrites it without the delivered part
  // when that part is large. True when the mark changed (the state is saved again).
  bool compact();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  UniqueFd fd_;
  std::uint64_t limit_ = 0, ino_ = 0, size_ = 0, delivered_ = 0, pending_lines_ = 0;
};

}  // namespace vigil::watch
