// File change events for live file integrity: fanotify filesystem marks with
// FAN_REPORT_DFID_NAME (create, modify, close-write, attrib, move, delete; the directory of each
// event named by a file handle that open_by_handle_at turns back into a path), or, where
// fanotify is refused, inotify watches on every directory of the watched trees (new
// directories added as they appear). Either way the reader gets the paths that changed and
// whether the kernel lost events (its queue overflowed), so the caller can check everything.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/expected.hpp"
#include "core/unique_fd.hpp"
#include "fim/policy.hpp"

namespace vigil::watch {

// One fanotify event buffer: each event's directory handle and entry name, the event's pid,
// and whether it reports a queue overflow. An error names what is malformed; events before it
// are kept.
struct FanotifyRecord {
  std::uint64_t fsid = 0;  // the file system (statfs f_fsid, both words)
  std::string handle;  // struct file_handle (handle_bytes, handle_type, f_handle)
  std::string name;    // the entry in that directory; "." for the directory itself
  std::int32_t pid = 0;
  std::uint64_t mask = 0;
  bool overflow = false;
};
expected<void, std::string> parse_fanotify(std::string_view buffer, std::vector<FanotifyRecord>& out);

class FileEvents {
 public:
  // mode "auto" (fanotify, else inotify - per tree: a file system that refuses the fanotify
  // mark, or the mark limit, puts only its trees on inotify), "fanotify" or "inotify".
  // `fallback` says which trees inotify watches instead of fanotify and why; `problems` lists
  // directories that could not be watched (inotify's watch limit).
  expected<void, std::string> open(const std::vector<fim::WatchDir>& dirs, const std::string& mode,
                                   std::string& fallback, std::vector<std::string>& problems);
  // One descriptor for the daemon's loop, readable when either source has events.
  int fd() const { return ep_.get(); }
  // "fanotify", "inotify", or "fanotify+inotify" when the trees are split between them.
  std::string kind() const;
  // Reads what waits: the paths that changed (may repeat), and whether events were lost.
  void read(std::vector<std::string>& paths, bool& overflow);
  // Directories made since open() that could not be watched (inotify's limit), once each.
  std::vector<std::string> take_problems() { return std::exchange(later_problems_, {}); }

 private:
  // inotify: watches `dir` and, when recursive, every directory below it not excluded;
  // paths found there are appended (entries made before the watch existed).
  void add_tree(const std::string& dir, bool recursive, const std::vector<std::string>& excluded,
                std::vector<std::string>* found, std::vector<std::string>& problems);
  void read_fanotify(std::vector<std::string>& paths, bool& overflow);
  void read_inotify(std::vector<std::string>& paths, bool& overflow);
  std::string resolve(const FanotifyRecord& r) const;
  bool covered(const std::string& path) const;

  UniqueFd ep_, fan_, ino_;
  std::vector<fim::WatchDir> dirs_;           // every tree (what events are kept for)
  std::vector<fim::WatchDir> inotify_dirs_;   // the trees inotify watches
  std::map<std::uint64_t, UniqueFd> marks_;  // fanotify: fsid → a descriptor on that file system
  std::map<int, std::string> wd_;             // inotify: watch → directory
  std::vector<std::string> later_problems_;   // directories made later that could not be watched
  std::int32_t self_ = 0;
};

}  // namespace vigil::watch
