// One file system entry measured as a fim baseline records it: its stat, symlink target,
// extended attributes, ACL, capabilities and content digests, read through one descriptor
// opened without following links. The parallel walk (scan.hpp) and a watcher judging one
// file event measure through the same code.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/expected.hpp"
#include "core/io_error.hpp"
#include "core/root.hpp"
#include "fim/attributes.hpp"
#include "fim/entry.hpp"

namespace vigil::fim {

// What one thread owns to hash files: digest contexts and a 1 MiB read buffer, made once.
class Hasher {
 public:
  Hasher();
  ~Hasher();
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;
  // Reads fd to its end once, feeding every digest `attrs` asks for into `e`. Returns errno or 0.
  int run(int fd, Attrs attrs, FimEntry& e, std::int64_t& bytes);

 private:
  struct State;
  std::unique_ptr<State> s_;
};

struct MeasureOptions {
  std::int64_t max_hash_size = 0;  // larger files are recorded, not hashed; 0 for no limit
};

// What measuring cost, for the walk's statistics.
struct MeasureCost {
  bool hashed = false, unreadable = false;
  std::int64_t bytes = 0;
};

// Whether measuring this entry reads its content (a throttle applies before it does).
bool reads_content(const struct stat& st, Attrs attrs, const MeasureOptions& o);

// An entry already lstat'ed as `name` in the open directory `dirfd`; `path` is how the
// baseline names it. Nothing when it vanished between the stat and the open.
std::optional<FimEntry> measure_at(int dirfd, const std::string& name, const std::string& path, const struct stat& st,
                                   Attrs attrs, Hasher& hasher, const MeasureOptions& o, MeasureCost& cost);

// One path inside the root. Nothing when it does not exist; an error when its directory
// cannot be opened.
expected<std::optional<FimEntry>, IoError> measure(const Root& root, const std::string& path, Attrs attrs,
                                                   Hasher& hasher, const MeasureOptions& o = {});

// "file", "dir", … for a st_mode.
std::string_view type_name(unsigned mode);

}  // namespace vigil::fim
