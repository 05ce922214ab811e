#include "watch/sources.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <set>

#include "core/rule_catalog.hpp"
#include "core/time_format.hpp"
#include "logs/inputs.hpp"
#include "logs/line_sieve.hpp"
#include "watch/spooled_sink.hpp"

namespace vigil::watch {

namespace {

constexpr std::string_view kSource = "watch";

std::string dir_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

bool is_directory(const std::string& p) {
  struct stat st{};
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// `reason`: binary, deleted or unreadable.
Finding source_problem(Severity s, const std::string& path, std::string_view reason, const std::string& detail) {
  auto f = make_finding("watch.source-problem", s, kSource, detail);
  f.add("file.path", path);
  f.add("event.reason", std::string(reason));
  f.add("event.start", iso8601(std::time(nullptr)));  // each episode is its own finding
  f.identity = {"file.path", "event.reason", "event.start"};
  return f;
}

}  // namespace

struct Sources::File {
  explicit File(FileTail t) : tail(std::move(t)) {}
  FileTail tail;
  logs::SourceCursor cursor;
  std::uint64_t generation = 0;  // of the tail the cursor was set up for
  std::uint64_t lines = 0;
  std::uint64_t binary = 0;      // binary lines in this generation
  std::uint64_t opened = 0;      // the tail generation a problem was last cleared for
  bool deleted_reported = false, problem_reported = false;
  std::string problem;
};

bool rotated_name(std::string_view name) {
  for (std::string_view suffix : {".gz", ".bz2", ".xz", ".zst", ".old", ".bak", "-old", ".swp", "~"})
    if (name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix) return true;
  // .N and -YYYYMMDD[HH]
  std::size_t i = name.size();
  while (i > 0 && std::isdigit(static_cast<unsigned char>(name[i - 1]))) --i;
  if (i == name.size() || i == 0) return false;
  return name[i - 1] == '.' || (name[i - 1] == '-' && name.size() - i >= 8);
}

Sources::Sources(const std::vector<std::string>& logs, bool from_start, const WatchState& state) {
  for (const auto& path : logs) {
    if (path == "journal") {
      if (journal_) continue;
      journal_ = std::make_unique<JournalTail>();
      if (!journal_->open(state.journal_cursor, from_start, journal_problem_)) journal_.reset();
      else if (!journald_running())
        journal_problem_ = "journald does not run here (no /run/systemd/journal/socket): only what is already in "
                           "the journal files is read, nothing new will come";
      journal_cursor_.detect("");
      continue;
    }
    if (is_directory(path)) {
      directories_.push_back(path);
      continue;
    }
    add_file(path, from_start, state);
  }
  // A directory's logs present now start like configured files; ones that appear later are
  // read from their first line.
  scan_directories(from_start, state);
}

Sources::~Sources() = default;

void Sources::add_file(const std::string& path, bool from_start, const WatchState& state) {
  for (const auto& f : files_)
    if (f->tail.path() == path) return;
  auto f = std::make_unique<File>(FileTail(path, from_start));
  for (const auto& t : state.tails)
    if (t.path == path) f->tail.resume(t);
  files_.push_back(std::move(f));
}

void Sources::scan_directories(bool from_start, const WatchState& state) {
  for (const auto& d : directories_) {
    DIR* dir = ::opendir(d.c_str());
    if (!dir) continue;
    while (auto* e = ::readdir(dir)) {
      std::string name = e->d_name, full = d + "/" + name;
      struct stat st{};
      if (name[0] == '.' || rotated_name(name) || ::stat(full.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
      add_file(full, from_start, state);
    }
    ::closedir(dir);
  }
}

std::uint64_t Sources::poll(const LineFn& line, const ProblemFn& problem, const NoteFn& note, std::uint64_t budget) {
  if (!directories_.empty() && monotonic_ms() >= next_rescan_) {
    next_rescan_ = monotonic_ms() + 1000;
    scan_directories(true, WatchState{});
  }
  std::uint64_t total = 0;
  for (auto& f : files_) {
    f->tail.poll(
        [&](std::string_view text, std::uint64_t number) {
          if (f->tail.generation() != f->generation) {
            f->generation = f->tail.generation();
            f->cursor = {};
            f->cursor.detect(f->tail.sample());
            f->cursor.year = logs::year_reference(std::time(nullptr));
            f->binary = 0;
            f->deleted_reported = false;
          }
          ++f->lines;
          ++total;
          if (logs::binary_line(text)) {
            // Not a log line: not judged. The first in a file is a finding (a log overwritten).
            if (f->binary++ == 0)
              problem(source_problem(Severity::medium, f->tail.path(), "binary",
                                     "It holds binary data from line " + std::to_string(number) +
                                         " on; binary lines are skipped."));
            return;
          }
          f->cursor.next_line = number;
          line(f->cursor, text, f->tail.path());
        },
        [&](bool is_problem, const std::string& what) {
          note(what);
          if (!is_problem) return;
          f->problem = what;
          if (!f->problem_reported) problem(source_problem(Severity::info, f->tail.path(), "unreadable", what));
          f->problem_reported = true;
        },
        budget);
    if (f->tail.generation() != f->opened) {  // (re)opened: a problem it had is over
      f->opened = f->tail.generation();
      f->problem_reported = false;
      f->problem.clear();
    }
    if (!f->deleted_reported && f->tail.deleted()) {
      f->deleted_reported = true;
      auto p = source_problem(Severity::low, f->tail.path(), "deleted",
                              "It was deleted (and read to its end); no file has taken its place yet.");
      p.attack = {"T1070.002"};
      problem(std::move(p));
    }
  }
  if (journal_) {
    total += journal_->poll(
        [&](std::string_view text) {
          ++journal_lines_;
          line(journal_cursor_, text, "journal");
        },
        budget == UINT64_MAX ? 100'000 : std::max<std::uint64_t>(budget / 200, 100));
  }
  if (!journal_problem_.empty() && !journal_problem_reported_) {
    journal_problem_reported_ = true;
    problem(source_problem(Severity::info, "journal", "unreadable", journal_problem_));
  }
  return total;
}

std::vector<std::string> Sources::directories() const {
  std::set<std::string> dirs(directories_.begin(), directories_.end());
  for (const auto& f : files_) dirs.insert(dir_of(f->tail.path()));
  return {dirs.begin(), dirs.end()};
}

int Sources::journal_fd() const { return journal_ ? journal_->fd() : -1; }

void Sources::journal_woke() {
  if (journal_) journal_->acknowledge();
}

void Sources::save(WatchState& s) const {
  for (const auto& f : files_) s.tails.push_back(f->tail.position());
  if (journal_) s.journal_cursor = journal_->cursor();
}

std::vector<SourceStatus> Sources::status() const {
  std::vector<SourceStatus> out;
  for (const auto& f : files_) {
    auto p = f->tail.position();
    out.push_back({f->tail.path(), f->lines, f->tail.lag(), p.line, f->problem});
  }
  if (journal_ || !journal_problem_.empty()) out.push_back({"journal", journal_lines_, 0, 0, journal_problem_});
  return out;
}

}  // namespace vigil::watch
