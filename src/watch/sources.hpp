// The logs vigil watch follows: files through rotation, every current log of a directory
// (new ones as they appear), and the systemd journal. Each gives whole lines with the cursor
// the log engine reads them with; what goes wrong with a source becomes a finding, and the
// others carry on.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "logs/line_matcher.hpp"
#include "watch/journal_source.hpp"
#include "watch/state.hpp"
#include "watch/tail.hpp"

namespace vigil::watch {

struct SourceStatus {
  std::string path;        // a file, or "journal"
  std::uint64_t lines = 0;  // read since the daemon started
  std::uint64_t lag = 0;    // bytes written and not read yet
  std::uint64_t line = 0;   // number of the next line
  std::string problem;      // the last problem, if it is still one
};

class Sources {
 public:
  // `logs`: files, directories and "journal", as configured; positions from `state`.
  Sources(const std::vector<std::string>& logs, bool from_start, const WatchState& state);
  ~Sources();

  using LineFn = std::function<void(logs::SourceCursor& cursor, std::string_view line, const std::string& path)>;
  using ProblemFn = std::function<void(Finding f)>;
  using NoteFn = std::function<void(const std::string& what)>;
  // Reads what every source has new (about `budget` bytes each at most); returns lines read.
  std::uint64_t poll(const LineFn& line, const ProblemFn& problem, const NoteFn& note,
                     std::uint64_t budget = UINT64_MAX);
  // Directories to watch with inotify (of the files, and the configured directories).
  std::vector<std::string> directories() const;
  // The journal's fd to wait on; -1 without the journal. When it wakes the loop:
  // journal_woke().
  int journal_fd() const;
  void journal_woke();
  // Positions (and the journal cursor) into the state.
  void save(WatchState& s) const;
  std::vector<SourceStatus> status() const;

 private:
  struct File;
  void add_file(const std::string& path, bool from_start, const WatchState& state);
  void scan_directories(bool from_start, const WatchState& state);

  std::vector<std::unique_ptr<File>> files_;
  std::vector<std::string> directories_;  // configured directory sources
  std::unique_ptr<JournalTail> journal_;
  logs::SourceCursor journal_cursor_;
  std::uint64_t journal_lines_ = 0;
  std::string journal_problem_;
  bool journal_problem_reported_ = false;
  std::int64_t next_rescan_ = 0;
};

// A directory entry that is a rotated copy (auth.log.1, syslog.2.gz, secure-20261201, x.old),
// not a log being written.
bool rotated_name(std::string_view name);

}  // namespace vigil::watch
