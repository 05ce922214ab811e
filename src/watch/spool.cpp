#include "watch/spool.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "watch/sink.hpp"

namespace vigil::watch {

expected<Spool, std::string> Spool::open(std::string path, std::uint64_t limit) {
  Spool s;
  s.path_ = std::move(path);
  s.limit_ = limit;
  s.fd_ = UniqueFd(::open(s.path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  struct stat st{};
  if (s.fd_.get() < 0 || ::fstat(s.fd_.get(), &st) != 0) return make_unexpected(s.path_ + ": " + std::strerror(errno));
  s.size_ = static_cast<std::uint64_t>(st.st_size);
  s.ino_ = static_cast<std::uint64_t>(st.st_ino);
  s.restore({s.ino_, 0});
  return s;
}

std::vector<Spool::Item> Spool::read_from(std::uint64_t from, std::size_t max) const {
  std::vector<Item> out;
  std::string buf(64 * 1024, '\0'), carry;
  std::uint64_t at = from;
  while (at < size_ && out.size() < max) {
    ssize_t n = ::pread(fd_.get(), buf.data(), buf.size(), static_cast<off_t>(at));
    if (n <= 0) break;
    std::string_view chunk(buf.data(), static_cast<std::size_t>(n));
    std::size_t start = 0;
    for (std::size_t nl; out.size() < max && (nl = chunk.find('\n', start)) != std::string_view::npos; start = nl + 1) {
      carry.append(chunk.substr(start, nl - start));
      out.push_back({std::move(carry), at + nl + 1});
      carry.clear();
    }
    if (out.size() >= max) break;
    carry.append(chunk.substr(start));
    at += static_cast<std::uint64_t>(n);
  }
  return out;  // a last line without newline (a write cut by a crash) is not an item
}

void Spool::restore(Mark m) {
  delivered_ = m.ino == ino_ && m.delivered <= size_ ? m.delivered : 0;
  pending_lines_ = read_from(delivered_, SIZE_MAX).size();
}

expected<std::uint64_t, std::string> Spool::append(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out.append(l).push_back('\n');
  // A line cut by a crash mid-write is ended first, so it does not swallow the next one.
  if (size_ > 0) {
    char last = '\n';
    if (::pread(fd_.get(), &last, 1, static_cast<off_t>(size_ - 1)) == 1 && last != '\n') out = "\n" + out;
  }
  if (::lseek(fd_.get(), 0, SEEK_END) < 0 || !write_all(fd_.get(), out) || ::fdatasync(fd_.get()) != 0)
    return make_unexpected(path_ + ": " + std::strerror(errno));
  size_ += out.size();
  pending_lines_ += lines.size();
  std::uint64_t dropped = 0;
  if (pending_bytes() > limit_) {
    for (const auto& item : read_from(delivered_, SIZE_MAX)) {
      if (size_ - delivered_ <= limit_) break;
      delivered_ = item.end;
      ++dropped;
    }
    pending_lines_ -= std::min(pending_lines_, dropped);
  }
  return dropped;
}

void Spool::mark_delivered(std::size_t lines, std::uint64_t end) {
  delivered_ = end;
  pending_lines_ -= std::min<std::uint64_t>(pending_lines_, lines);
}

bool Spool::compact() {
  if (delivered_ == 0) return false;
  if (delivered_ >= size_) {
    if (::ftruncate(fd_.get(), 0) != 0) return false;
    size_ = delivered_ = pending_lines_ = 0;
    return true;
  }
  if (delivered_ < (std::uint64_t{1} << 20) || delivered_ < size_ / 2) return false;
  // Copy the undelivered part to a new file and put it in place.
  std::string tmp = path_ + ".tmp";
  UniqueFd out(::open(tmp.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (out.get() < 0) return false;
  std::string buf(64 * 1024, '\0');
  for (std::uint64_t at = delivered_; at < size_;) {
    ssize_t n = ::pread(fd_.get(), buf.data(), buf.size(), static_cast<off_t>(at));
    if (n <= 0 || !write_all(out.get(), std::string_view(buf.data(), static_cast<std::size_t>(n)))) {
      ::unlink(tmp.c_str());
      return false;
    }
    at += static_cast<std::uint64_t>(n);
  }
  struct stat st{};
  if (::fdatasync(out.get()) != 0 || ::fstat(out.get(), &st) != 0 || ::rename(tmp.c_str(), path_.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return false;
  }
  size_ -= delivered_;
  delivered_ = 0;
  ino_ = static_cast<std::uint64_t>(st.st_ino);
  fd_ = std::move(out);
  return true;
}

}  // namespace vigil::watch
