#include "logs/inputs.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <systemd/sd-journal.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <map>

#include "core/unique_fd.hpp"
#include "logs/journal_entry.hpp"
#include "logs/line_sieve.hpp"
#include "logs/timestamp.hpp"

namespace vigil::logs {

namespace fs = std::filesystem;

RotationKey rotation_key(const std::string& path) {
  std::string p = path;
  if (p.size() > 3 && p.compare(p.size() - 3, 3, ".gz") == 0) p.resize(p.size() - 3);
  auto dot = p.rfind('.');
  auto slash = p.rfind('/');
  bool after_slash = dot != std::string::npos && (slash == std::string::npos || dot > slash);
  if (after_slash && dot + 1 < p.size() &&
      std::all_of(p.begin() + static_cast<long>(dot) + 1, p.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
      p.size() - dot - 1 <= 4)
    return {p.substr(0, dot), std::atoll(p.c_str() + dot + 1) + 1};  // .0 is older than the live file
  auto dash = p.rfind('-');
  if (dash != std::string::npos && p.size() - dash - 1 == 8 && (slash == std::string::npos || dash > slash) &&
      std::all_of(p.begin() + static_cast<long>(dash) + 1, p.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return {p.substr(0, dash), 100000000 - std::atoll(p.c_str() + dash + 1) + 10000};  // newer date: younger
  return {p, 0};
}

YearReference year_reference(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  return {tm.tm_year + 1900, tm.tm_mon + 1, static_cast<std::int64_t>(t)};
}

std::vector<Input> expand_inputs(const std::vector<std::string>& paths, std::vector<std::string>& errors) {
  std::vector<Input> out;
  std::vector<std::string> files;
  for (const auto& path : paths) {
    if (path == "-") {
      out.push_back({"-", false});
      continue;
    }
    std::error_code ec;
    auto st = fs::status(path, ec);
    if (ec) {
      errors.push_back(fmt::format("{}: {}", path, ec.message()));
      continue;
    }
    if (fs::is_directory(st)) {
      for (fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end;
           !ec && it != end; it.increment(ec))
        if (it->is_regular_file(ec)) files.push_back(it->path().string());
      if (ec) errors.push_back(fmt::format("{}: {}", path, ec.message()));
    } else {
      files.push_back(path);
    }
  }
  // Rotated sets oldest first, so windows and "first seen" follow time.
  std::map<std::string, std::vector<std::pair<long long, std::string>>> sets;
  std::vector<std::string> order;
  for (const auto& f : files) {
    auto key = rotation_key(f);
    if (!sets.count(key.base)) order.push_back(key.base);
    sets[key.base].push_back({key.rank, f});
  }
  std::sort(order.begin(), order.end());
  for (const auto& base : order) {
    auto& v = sets[base];
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (const auto& [rank, f] : v) out.push_back({f, false});
  }
  return out;
}

namespace {

void read_journal(ReadNotes& notes, LineCutter& cutter) {
  sd_journal* j = nullptr;
  int r = sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY);
  if (r < 0) {
    notes.failed = true;
    notes.messages.push_back(fmt::format("cannot open the systemd journal: {}", std::strerror(-r)));
    return;
  }
  SD_JOURNAL_FOREACH(j) {
    auto line = journal_entry_line(j);
    cutter.feed(line.data(), line.size());
  }
  sd_journal_close(j);
}

}  // namespace

ReadNotes read_input(const Input& in, std::size_t index, const ReadLimits& limits,
                     const std::function<void(Block&&)>& emit) {
  ReadNotes notes;
  LineCutter cutter(index, limits, emit, [&](std::string m) { notes.messages.push_back(std::move(m)); });
  if (in.journal) {
    notes.year = year_reference(std::time(nullptr));
    cutter.set_year(notes.year);
    read_journal(notes, cutter);
    cutter.finish();
    return notes;
  }
  int raw = in.path == "-" ? ::dup(0) : ::open(in.path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (raw < 0) {
    notes.failed = true;
    notes.messages.push_back(std::strerror(errno));
    return notes;
  }
  UniqueFd fd(raw);
  struct stat st{};
  if (::fstat(fd.get(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      notes.failed = true;
      notes.messages.push_back("is a directory");
      return notes;
    }
    notes.year = year_reference(in.path == "-" || !S_ISREG(st.st_mode) ? std::time(nullptr) : st.st_mtime);
    cutter.set_year(notes.year);
  }
  int flags = ::fcntl(fd.get(), F_GETFL);
  if (flags >= 0) ::fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK);
  unsigned char magic[2] = {};
  bool gz = in.path != "-" && ::pread(fd.get(), magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
  notes.compressed = gz;
  std::vector<char> buf(1 << 20);
  LineSieve sieve(cutter);
  if (gz || in.path == "-") {
    gzFile z = ::gzdopen(fd.release(), "rb");  // also reads plain data from stdin
    if (!z) {
      notes.failed = true;
      notes.messages.push_back("cannot open");
      return notes;
    }
    ::gzbuffer(z, 256 * 1024);
    while (true) {
      int n = ::gzread(z, buf.data(), static_cast<unsigned>(buf.size()));
      int err = Z_OK;
      const char* msg = ::gzerror(z, &err);
      if (n > 0) sieve.feed(buf.data(), static_cast<std::size_t>(n));
      if (n < 0 || (err != Z_OK && err != Z_STREAM_END && err != Z_BUF_ERROR)) {
        notes.messages.push_back(fmt::format("corrupt compressed data: {}; the lines before it were read", msg));
        break;
      }
      if (n == 0) break;
    }
    // zlib tells of a stream cut short only when it is closed.
    if (::gzclose(z) == Z_BUF_ERROR)
      notes.messages.push_back("the compressed data ends early (truncated); the lines before the break were read");
  } else {
    while (true) {
      ssize_t n = ::read(fd.get(), buf.data(), buf.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        notes.messages.push_back(fmt::format("read error: {}; the lines before it were read", std::strerror(errno)));
        break;
      }
      if (n == 0) break;
      sieve.feed(buf.data(), static_cast<std::size_t>(n));
    }
  }
  sieve.finish();
  const auto& left = sieve.counts();
  if (!left.text_bytes && (left.binary_bytes || left.nul_bytes)) {
    notes.binary = true;
    notes.messages.push_back("binary data, not a text log: skipped");
    return notes;
  }
  if (left.binary_bytes)
    notes.messages.push_back(fmt::format("{} bytes of binary data in {} region(s) left out (the first at byte {}); the "
                                         "text around them was read",
                                         left.binary_bytes, left.regions, left.first_binary));
  if (left.nul_bytes) notes.messages.push_back(fmt::format("{} NUL bytes inside text left out", left.nul_bytes));
  cutter.finish();
  return notes;
}

}  // namespace vigil::logs
