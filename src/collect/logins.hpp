// login_records and lastlog tables: utmp (now), wtmp (history), btmp (failures), lastlog.
#pragma once

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "collect/accounts.hpp"
#include "core/collect_issue.hpp"
#include "core/root.hpp"
#include "core/table.hpp"

namespace vigil::collect {

struct LoginRecordRow {
  std::string file;  // utmp, wtmp, btmp or wtmpdb: which history (a rotated wtmp.1 is wtmp)
  std::int64_t index = 0;
  std::string type;
  std::int64_t pid = 0;
  std::string user, line, host, address;
  std::int64_t time = 0;
  bool zeroed = false;
  std::string path;  // the file read: /var/log/btmp.1.gz

  static constexpr std::string_view kTable = "login_records";
  static constexpr std::array<Column, 11> kColumns{{
      {"file", "utmp (sessions now), wtmp (history, with its rotated copies), btmp (failed logins, rotated "
               "copies too) or wtmpdb (the SQLite login database)"},
      {"index", "record number in the file"},
      {"type", "USER_PROCESS, DEAD_PROCESS, BOOT_TIME, …"},
      {"pid", "process id of the session"},
      {"user", "user name"},
      {"line", "terminal"},
      {"host", "remote host"},
      {"address", "remote address"},
      {"time", "seconds since the epoch"},
      {"zeroed", "every byte of the record is zero"},
      {"path", "the file read: /var/log/wtmp, /var/log/btmp.1.gz, /var/lib/wtmpdb/wtmp.db"},
  }};
  auto fields() const {
    return std::tie(file, index, type, pid, user, line, host, address, time, zeroed, path);
  }
};
static_assert(columns_match<LoginRecordRow>());

struct LastlogRow {
  std::int64_t uid = 0;
  std::string user, line, host;
  std::int64_t time = 0;

  static constexpr std::string_view kTable = "lastlog";
  static constexpr std::array<Column, 5> kColumns{
      {{"uid", "user id"},
       {"user", "user name"},
       {"line", "terminal of the last login"},
       {"host", "host of the last login"},
       {"time", "time of the last login, epoch seconds"}}};
  auto fields() const { return std::tie(uid, user, line, host, time); }
};
static_assert(columns_match<LastlogRow>());

struct Logins {
  std::vector<LoginRecordRow> records;
  std::vector<LastlogRow> lastlog;
  bool wtmp_read = false;  // wtmp (or wtmpdb) existed and was read (lastlog checks need it)
};

Logins collect_logins(const Root& root, const std::vector<UserRow>& users, IssueLog& log);

}  // namespace vigil::collect
