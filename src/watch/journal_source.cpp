#include "watch/journal_source.hpp"

#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>

#include <cstring>

#include "logs/journal_entry.hpp"

namespace vigil::watch {

bool journald_running() {
  struct stat st{};
  return sd_booted() > 0 || (::stat("/run/systemd/journal/socket", &st) == 0 && S_ISSOCK(st.st_mode));
}

JournalTail::~JournalTail() {
  if (j_) sd_journal_close(j_);
}

bool JournalTail::open(const std::string& cursor, bool from_start, std::string& error) {
  int r = sd_journal_open(&j_, SD_JOURNAL_LOCAL_ONLY);
  if (r < 0) {
    j_ = nullptr;
    error = std::string("cannot open the systemd journal: ") + std::strerror(-r);
    return false;
  }
  cursor_ = cursor;
  if (!cursor.empty() && sd_journal_seek_cursor(j_, cursor.c_str()) >= 0) {
    // Seeking lands on the entry of the cursor (or the nearest one when it was vacuumed): step
    // onto it, and past it when it is the one already read.
    if (sd_journal_next(j_) > 0 && sd_journal_test_cursor(j_, cursor.c_str()) <= 0) sd_journal_previous(j_);
  } else if (from_start) {
    sd_journal_seek_head(j_);
  } else {
    sd_journal_seek_tail(j_);
    sd_journal_previous(j_);  // onto the last entry, so the next one read is new
  }
  fd_ = sd_journal_get_fd(j_);
  if (fd_ < 0) {
    error = std::string("cannot wait on the systemd journal: ") + std::strerror(-fd_);
    fd_ = -1;
  }
  return true;
}

void JournalTail::acknowledge() {
  if (j_) sd_journal_process(j_);
}

std::size_t JournalTail::poll(const LineFn& line, std::size_t limit) {
  if (!j_) return 0;
  if (fd_ >= 0) sd_journal_process(j_);
  std::size_t n = 0;
  while (n < limit && sd_journal_next(j_) > 0) {
    auto text = logs::journal_entry_line(j_);
    if (!text.empty() && text.back() == '\n') text.pop_back();
    line(text);
    ++n;
    char* c = nullptr;
    if (sd_journal_get_cursor(j_, &c) >= 0) {
      cursor_ = c;
      std::free(c);
    }
  }
  return n;
}

}  // namespace vigil::watch
