// Where login history lives beside the current wtmp and btmp: the files logrotate left
// (wtmp.1, btmp.2.gz, wtmp-20261201.gz), and the wtmpdb SQLite database newer systems write
// (util-linux >= 2.40, /var/lib/wtmpdb/wtmp.db).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "collect/logins.hpp"
#include "core/collect_issue.hpp"
#include "core/root.hpp"

namespace vigil::collect {

inline constexpr std::string_view kWtmpdbPath = "/var/lib/wtmpdb/wtmp.db";

// The rotated copies of /var/log/<base> (base: wtmp or btmp), oldest first: numbered ones from
// the highest number down, date-suffixed ones by date; compressed ones (.gz) included.
std::vector<std::string> rotated_login_files(const Root& root, std::string_view base, IssueLog& log);

// The wtmpdb rows as login records (file "wtmpdb"): a USER_PROCESS at each login and a
// DEAD_PROCESS at its logout, BOOT_TIME for boots. False when there is no database.
bool read_wtmpdb(const Root& root, IssueLog& log, std::vector<LoginRecordRow>& out);

}  // namespace vigil::collect
