// Login records collector.
#include "collect/logins.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "collect/compressed_file.hpp"
#include "collect/login_history.hpp"
#include "collect/utmp_parse.hpp"

namespace vigil::collect {

namespace {

constexpr std::string_view kCollector = "logins";

bool read_records(const Root& root, std::string_view path, std::string_view file, IssueLog& log,
                  std::vector<LoginRecordRow>& out) {
  auto bytes = read_decompressed(root, path, kDefaultReadLimit);  // logrotate may have compressed it
  if (!bytes) {
    if (!bytes.error().vanished()) log.add(std::string(kCollector), bytes.error());
    return false;
  }
  auto parsed = parse_utmp(*bytes);
  for (const auto& e : parsed.errors)
    log.add(std::string(kCollector), root.display(path), e.message);
  for (auto& r : parsed.rows)
    out.push_back({std::string(file), r.index, std::string(utmp_type_name(r.type)), r.pid, r.user,
                   r.line, r.host, r.address, r.time, r.zeroed, std::string(path)});
  return true;
}

}  // namespace

Logins collect_logins(const Root& root, const std::vector<UserRow>& users, IssueLog& log) {
  Logins out;
  if (!read_records(root, "/run/utmp", "utmp", log, out.records))
    read_records(root, "/var/run/utmp", "utmp", log, out.records);
  // History oldest first: the rotated copies, then the current file.
  for (std::string_view kind : {"wtmp", "btmp"}) {
    for (const auto& rotated : rotated_login_files(root, kind, log)) read_records(root, rotated, kind, log, out.records);
    bool read = read_records(root, "/var/log/" + std::string(kind), kind, log, out.records);
    if (kind == "wtmp") out.wtmp_read = read;
  }
  if (read_wtmpdb(root, log, out.records)) out.wtmp_read = true;

  // lastlog is sparse and indexed by uid (a uid of 4294967294 sits 1.2 TB in): read
  // only the records of known users, never the whole file.
  auto fd = root.open_file("/var/log/lastlog");
  if (!fd) {
    if (!fd.error().vanished()) log.add(std::string(kCollector), fd.error());
    return out;
  }
  std::string buf(kLastlogRecordSize, '\0');
  for (const auto& u : users) {
    if (u.uid < 0) continue;
    auto off = static_cast<off_t>(u.uid) * static_cast<off_t>(kLastlogRecordSize);
    ssize_t n = ::pread(fd->get(), buf.data(), buf.size(), off);
    if (n < 0) {
      log.add(std::string(kCollector), IoError{root.display("/var/log/lastlog"), errno, {}});
      break;
    }
    if (static_cast<std::size_t>(n) < buf.size()) continue;
    if (auto r = parse_lastlog_record(buf))
      out.lastlog.push_back({u.uid, u.name, r->line, r->host, r->time});
  }
  return out;
}

}  // namespace vigil::collect
