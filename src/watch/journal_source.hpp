// Following the systemd journal: new entries as syslog lines, resumed after a restart from the
// cursor of the last entry read (sd_journal_seek_cursor), woken through the journal's fd.
#pragma once

#include <functional>
#include <string>
#include <string_view>

struct sd_journal;

namespace vigil::watch {

// journald runs here: the system booted with systemd (sd_booted) or journald's socket exists.
// These machines may not run systemd as PID 1; never assume it.
bool journald_running();

class JournalTail {
 public:
  JournalTail() = default;
  JournalTail(const JournalTail&) = delete;
  JournalTail& operator=(const JournalTail&) = delete;
  ~JournalTail();

  // Opens the local journal and positions after `cursor` (empty: at the end, or at the start
  // with `from_start`). An error names why; the daemon reports it and keeps watching the rest.
  bool open(const std::string& cursor, bool from_start, std::string& error);
  // The fd to wait on (sd_journal_get_fd), -1 when not open.
  int fd() const { return fd_; }
  // The fd woke the loop: let the journal take in what changed (sd_journal_process), so the
  // fd stops being readable even when no entry is read now (a daemon over its limits).
  void acknowledge();
  using LineFn = std::function<void(std::string_view line)>;
  // Reads every entry added since the last poll (at most `limit`; the rest next time).
  std::size_t poll(const LineFn& line, std::size_t limit = 100'000);
  const std::string& cursor() const { return cursor_; }

 private:
  sd_journal* j_ = nullptr;
  int fd_ = -1;
  std::string cursor_;
};

}  // namespace vigil::watch
