#include "collect/login_history.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <cerrno>

#include "core/text.hpp"

namespace vigil::collect {

namespace {

constexpr std::string_view kCollector = "logins";

// "wtmp.3.gz" -> 3, "wtmp-20261201" -> 20261201; the key that orders rotations (bigger number
// older for numbered ones; smaller date older for dated ones).
struct Rotation {
  std::string name;
  bool dated = false;
  long long key = 0;
};

std::optional<Rotation> rotation_of(std::string_view name, std::string_view base) {
  if (!name.starts_with(base) || name.size() <= base.size()) return std::nullopt;
  auto rest = name.substr(base.size());
  if (rest.ends_with(".gz")) rest.remove_suffix(3);
  if (rest.size() < 2 || (rest[0] != '.' && rest[0] != '-')) return std::nullopt;
  auto number = to_number<long long>(rest.substr(1));
  if (!number) return std::nullopt;
  return Rotation{std::string(name), rest[0] == '-', *number};
}

}  // namespace

std::vector<std::string> rotated_login_files(const Root& root, std::string_view base, IssueLog& log) {
  auto entries = root.list("/var/log");
  if (!entries) {
    if (!entries.error().vanished()) log.add(std::string(kCollector), entries.error());
    return {};
  }
  std::vector<Rotation> found;
  for (const auto& e : *entries)
    if (auto r = rotation_of(e.name, base)) found.push_back(*r);
  std::sort(found.begin(), found.end(), [](const Rotation& a, const Rotation& b) {
    if (a.dated != b.dated) return !a.dated;  // numbered rotations are the older scheme's
    return a.dated ? a.key < b.key : a.key > b.key;
  });
  std::vector<std::string> out;
  for (const auto& r : found) out.push_back("/var/log/" + r.name);
  return out;
}

bool read_wtmpdb(const Root& root, IssueLog& log, std::vector<LoginRecordRow>& out) {
  auto fd = root.open_file(kWtmpdbPath);
  if (!fd) {
    if (!fd.error().vanished()) log.add(std::string(kCollector), fd.error());
    return false;
  }
  // Through the descriptor the root opened (never a path that could lead out of an image),
  // immutable: no lock taken, no journal written, nothing changed on the inspected system.
  std::string uri = fmt::format("file:/proc/self/fd/{}?immutable=1", fd->get());
  sqlite3* db = nullptr;
  std::string shown = root.display(kWtmpdbPath);
  if (sqlite3_open_v2(uri.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr) != SQLITE_OK) {
    log.add(std::string(kCollector), shown, db ? sqlite3_errmsg(db) : "cannot open");
    sqlite3_close(db);
    return false;
  }
  sqlite3_stmt* st = nullptr;
  const char* sql = "SELECT ID, Type, User, Login, Logout, TTY, RemoteHost FROM wtmp ORDER BY ID";
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) {
    log.add(std::string(kCollector), shown, std::string("not a wtmpdb database: ") + sqlite3_errmsg(db));
    sqlite3_close(db);
    return false;
  }
  auto text = [&](int col) {
    const auto* p = sqlite3_column_text(st, col);
    return p ? printable(reinterpret_cast<const char*>(p)) : std::string();
  };
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    LoginRecordRow r;
    r.file = "wtmpdb";
    r.path = std::string(kWtmpdbPath);
    r.index = sqlite3_column_int64(st, 0);
    const auto type = sqlite3_column_int64(st, 1);
    r.user = text(2);
    r.time = sqlite3_column_int64(st, 3) / 1000000;  // microseconds
    r.line = text(5);
    r.host = text(6);
    if (is_ip_address(r.host)) r.address = r.host;
    r.type = type == 1 ? "BOOT_TIME" : type == 3 ? "USER_PROCESS" : type == 2 ? "RUN_LVL" : "EMPTY";
    bool logged_out = sqlite3_column_type(st, 4) != SQLITE_NULL;
    std::int64_t logout = sqlite3_column_int64(st, 4) / 1000000;
    out.push_back(r);
    if (logged_out && type == 3) {
      r.type = "DEAD_PROCESS";
      r.time = logout;
      out.push_back(std::move(r));
    }
  }
  if (rc != SQLITE_DONE)
    log.add(std::string(kCollector), shown, std::string("read stopped: ") + sqlite3_errmsg(db) + " (the rows before it are kept)");
  sqlite3_finalize(st);
  sqlite3_close(db);
  return true;
}

}  // namespace vigil::collect
