// File tail: pread from the last offset, whole lines out, rotation judged after each read.
#include "watch/tail.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <zlib.h>

namespace vigil::watch {

namespace {

constexpr std::size_t kChunk = 1 << 16;

int open_log(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOATIME);
  if (fd < 0 && errno == EPERM) fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);  // O_NOATIME needs ownership
  return fd;
}

// "LEN:HASH" of the first bytes (FNV-1a): names the file's beginning, not a secret.
std::string head_of_bytes(std::string_view b) {
  b = b.substr(0, std::min(b.size(), kHeadBytes));
  std::uint64_t h = 14695981039346656037ull;
  for (char c : b) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  char out[48];
  std::snprintf(out, sizeof out, "%zu:%016llx", b.size(), static_cast<unsigned long long>(h));
  return out;
}

std::string head_of(int fd, std::size_t limit = kHeadBytes) {
  char buf[kHeadBytes];
  ssize_t n = ::pread(fd, buf, std::min(limit, kHeadBytes), 0);
  return head_of_bytes(std::string_view(buf, n > 0 ? static_cast<std::size_t>(n) : 0));
}

std::size_t head_length(const std::string& head) { return static_cast<std::size_t>(std::strtoull(head.c_str(), nullptr, 10)); }

}  // namespace

void FileTail::emit_lines(std::string_view bytes, const LineFn& line) {
  while (!bytes.empty()) {
    auto nl = bytes.find('\n');
    if (nl == std::string_view::npos) {
      partial_.append(bytes);
      if (partial_.size() >= kMaxLine) {  // a line without end: cut, and go on
        line(std::string_view(partial_).substr(0, kMaxLine), line_++);
        partial_.clear();
      }
      return;
    }
    if (partial_.empty()) {
      line(bytes.substr(0, nl), line_++);
    } else {
      partial_.append(bytes.substr(0, nl));
      line(std::string_view(partial_).substr(0, kMaxLine), line_++);
      partial_.clear();
    }
    bytes.remove_prefix(nl + 1);
  }
}

void FileTail::end_of_file(const LineFn& line) {
  if (partial_.empty()) return;
  std::string last = std::move(partial_);  // an unfinished last line is a line too
  partial_.clear();
  line(last, line_++);
}

void FileTail::take_sample() {
  sample_.assign(4096, '\0');
  ssize_t n = ::pread(fd_.get(), sample_.data(), sample_.size(), 0);
  sample_.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
}

bool FileTail::read_to_end(const LineFn& line, const NoteFn& note, std::uint64_t budget) {
  std::string buf(kChunk, '\0');
  for (std::uint64_t read = 0;;) {
    if (read >= budget) return false;
    ssize_t n = ::pread(fd_.get(), buf.data(), kChunk, static_cast<off_t>(offset_));
    if (n < 0) {
      if (errno == EINTR) continue;
      note(true, path_ + ": read: " + std::strerror(errno));
      return true;
    }
    if (n == 0) return true;
    offset_ += static_cast<std::uint64_t>(n);
    read += static_cast<std::uint64_t>(n);
    emit_lines(std::string_view(buf.data(), static_cast<std::size_t>(n)), line);
  }
}

bool FileTail::open_now(const NoteFn& note) {
  UniqueFd fd(open_log(path_));
  if (fd.get() < 0) {
    if (errno != ENOENT && !reported_missing_) note(true, path_ + ": " + std::strerror(errno));
    reported_missing_ = true;
    return false;
  }
  struct stat st{};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    if (!reported_missing_) note(true, path_ + ": not a regular file");
    reported_missing_ = true;
    return false;
  }
  reported_missing_ = false;
  fd_ = std::move(fd);
  dev_ = st.st_dev;
  ino_ = st.st_ino;
  offset_ = 0;
  line_ = 1;
  partial_.clear();
  head_ = head_of(fd_.get());
  take_sample();
  ++generation_;
  if (!saved_.path.empty()) {
    // The file a previous run followed, unchanged at its beginning: carry on where it stopped.
    bool same = saved_.dev == dev_ && saved_.ino == ino_ &&
                head_of(fd_.get(), head_length(saved_.head)) == saved_.head &&
                saved_.offset <= static_cast<std::uint64_t>(st.st_size);
    if (same) {
      offset_ = saved_.offset;
      line_ = saved_.line;
    } else {
      note(false, path_ + ": a different file than when last followed (rotated while vigil was stopped); read from "
                   "its start");
    }
    saved_ = {};
  } else if (first_open_ && !from_start_) {
    // First start: what is already there is history (vigil logs scan reads it), not news.
    offset_ = static_cast<std::uint64_t>(st.st_size);
    std::string buf(kChunk, '\0');
    for (std::uint64_t at = 0; at < offset_;) {
      ssize_t r = ::pread(fd_.get(), buf.data(), std::min<std::uint64_t>(kChunk, offset_ - at), static_cast<off_t>(at));
      if (r <= 0) break;
      for (ssize_t i = 0; i < r; ++i) line_ += buf[static_cast<std::size_t>(i)] == '\n';
      at += static_cast<std::uint64_t>(r);
    }
  }
  first_open_ = false;
  return true;
}

bool FileTail::finish_from_copy(const TailPosition& was, const LineFn& line, const NoteFn& note) {
  // Where logrotate puts the file it rotated: renamed (the same inode), or copied before the
  // truncation (copytruncate: another inode with the same first bytes, at least as long).
  for (std::string_view suffix : {".1", ".0", "-old"}) {
    std::string rotated = path_ + std::string(suffix);
    UniqueFd fd(open_log(rotated));
    struct stat rs{};
    if (fd.get() < 0 || ::fstat(fd.get(), &rs) != 0 || static_cast<std::uint64_t>(rs.st_size) < was.offset ||
        head_of(fd.get(), head_length(was.head)) != was.head)
      continue;
    bool renamed = static_cast<std::uint64_t>(rs.st_ino) == was.ino && static_cast<std::uint64_t>(rs.st_dev) == was.dev;
    if (!renamed && head_length(was.head) == 0 && was.offset == 0) continue;  // an empty file names nothing
    fd_ = std::move(fd);
    offset_ = was.offset;
    line_ = was.line;
    take_sample();
    read_to_end(line, note);
    end_of_file(line);
    fd_ = UniqueFd();
    note(false, path_ + ": its end was read from " + rotated + (renamed ? " (renamed)" : " (copied, then truncated)"));
    return true;
  }
  return false;
}

void FileTail::catch_up_rotated(const LineFn& line, const NoteFn& note) {
  if (saved_.path.empty()) return;
  // The file followed before the stop, still there and only grown: nothing to catch up.
  UniqueFd now(open_log(path_));
  struct stat st{};
  if (now.get() >= 0 && ::fstat(now.get(), &st) == 0 && static_cast<std::uint64_t>(st.st_ino) == saved_.ino &&
      static_cast<std::uint64_t>(st.st_dev) == saved_.dev && static_cast<std::uint64_t>(st.st_size) >= saved_.offset &&
      head_of(now.get(), head_length(saved_.head)) == saved_.head)
    return;
  // Rotated while vigil was stopped: finish it where logrotate put it, then the new file is news
  // from its first line.
  ++generation_;
  if (!finish_from_copy(saved_, line, note) && !finish_twice_rotated(saved_, line, note)) {
    --generation_;
    return;
  }
  saved_ = {};
  first_open_ = false;
}

bool FileTail::finish_twice_rotated(const TailPosition& was, const LineFn& line, const NoteFn& note) {
  const std::size_t want = head_length(was.head);
  if (want == 0) return false;  // an empty file's beginning names nothing
  std::string two = path_ + ".2";
  bool done = false;
  line_ = was.line;
  partial_.clear();
  if (UniqueFd fd(open_log(two)); fd.get() >= 0) {
    struct stat rs{};
    if (::fstat(fd.get(), &rs) == 0 && static_cast<std::uint64_t>(rs.st_size) >= was.offset &&
        head_of(fd.get(), want) == was.head) {
      fd_ = std::move(fd);
      offset_ = was.offset;
      read_to_end(line, note);
      fd_ = UniqueFd();
      done = true;
    }
  }
  if (!done) {
    // Compressed at the second rotation: the beginning is checked on the decompressed bytes
    // before anything past the old position is read.
    if (gzFile gz = ::gzopen((two + ".gz").c_str(), "rb")) {
      std::string buf(kChunk, '\0'), head;
      std::uint64_t at = 0;
      bool checked = false;
      for (int n; (n = ::gzread(gz, buf.data(), static_cast<unsigned>(buf.size()))) > 0;) {
        std::string_view chunk(buf.data(), static_cast<std::size_t>(n));
        if (!checked) {
          head.append(chunk.substr(0, std::min(chunk.size(), want - head.size())));
          if (head.size() < want) {
            at += chunk.size();
            continue;
          }
          checked = true;
          if (head_of_bytes(head) != was.head) break;
        }
        if (at + chunk.size() > was.offset) emit_lines(chunk.substr(was.offset > at ? was.offset - at : 0), line);
        at += chunk.size();
      }
      ::gzclose(gz);
      done = checked && head_of_bytes(head) == was.head && at >= was.offset;
      if (done) two += ".gz";
    }
  }
  if (!done) return false;
  end_of_file(line);
  note(false, path_ + ": rotated twice while vigil was stopped; the end of " + two + " was read, then " + path_ +
                  ".1 whole");
  // The file in between is news from its first line.
  if (UniqueFd one(open_log(path_ + ".1")); one.get() >= 0) {
    fd_ = std::move(one);
    offset_ = 0;
    line_ = 1;
    take_sample();
    ++generation_;
    read_to_end(line, note);
    end_of_file(line);
    fd_ = UniqueFd();
  }
  return true;
}

void FileTail::poll(const LineFn& line, const NoteFn& note, std::uint64_t budget) {
  if (!fd_) catch_up_rotated(line, note);
  if (!fd_ && !open_now(note)) return;
  // Truncated in place (copytruncate) - shorter than where we are, or rewritten from its start
  // by the time we look (it may have grown past our offset again): everything in it is new.
  struct stat now{};
  if (::fstat(fd_.get(), &now) == 0 &&
      (static_cast<std::uint64_t>(now.st_size) < offset_ || head_of(fd_.get(), head_length(head_)) != head_)) {
    // What was written after our last read and before the truncation is in the copy.
    TailPosition was = position();
    was.offset = offset_;  // partial_ is kept: the copy continues it
    UniqueFd current = std::move(fd_);
    finish_from_copy(was, line, note);
    fd_ = std::move(current);
    offset_ = 0;
    line_ = 1;
    partial_.clear();
    head_ = head_of(fd_.get());
  }
  bool finished = read_to_end(line, note, budget);
  if (head_length(head_) < kHeadBytes) head_ = head_of(fd_.get());  // the beginning grew: name it with more bytes
  if (!finished) return;  // a rotation is looked for once this file is read to its end
  struct stat st{};
  if (::stat(path_.c_str(), &st) != 0) return;  // renamed away or deleted: the new one comes later
  if (static_cast<std::uint64_t>(st.st_ino) != ino_ || static_cast<std::uint64_t>(st.st_dev) != dev_) {
    // Rotated by rename: the old file was read to its end above; its unfinished last line
    // is a line too. Then the new file, from its start.
    end_of_file(line);
    fd_ = UniqueFd();
    if (open_now(note)) read_to_end(line, note, budget);
  }
}

bool FileTail::deleted() const {
  struct stat st{}, by_name{};
  return fd_ && ::fstat(fd_.get(), &st) == 0 && st.st_nlink == 0 && ::stat(path_.c_str(), &by_name) != 0;
}

std::uint64_t FileTail::lag() const {
  struct stat st{};
  if (!fd_ || ::fstat(fd_.get(), &st) != 0) return 0;
  auto size = static_cast<std::uint64_t>(st.st_size);
  return size > offset_ ? size - offset_ : 0;
}

TailPosition FileTail::position() const {
  TailPosition p;
  p.path = path_;
  p.dev = dev_;
  p.ino = ino_;
  p.offset = offset_ - partial_.size();  // an unfinished line is read again after a restart
  p.line = line_;
  p.head = head_;
  if (!fd_ && !saved_.path.empty()) return saved_;
  return p;
}

}  // namespace vigil::watch
