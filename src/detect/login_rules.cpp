// Login detectors: who is on now, failed logins, and tampered login records.
#include <algorithm>
#include <map>
#include <set>

#include "core/rule_catalog.hpp"
#include "detect/detectors.hpp"

namespace vigil::detect {

namespace {

constexpr std::string_view kSource = "detect/logins";

void active_sessions(const collect::Snapshot& s, Findings& out) {
  for (const auto& r : s.logins.records) {
    if (r.file != "utmp" || r.type != "USER_PROCESS" || r.user.empty()) continue;
    auto f = make_finding("login.active-session", Severity::info, kSource);
    f.add("user.name", r.user);
    f.add("process.tty.name", r.line);
    if (!r.host.empty()) f.add("source.domain", r.host);
    if (!r.address.empty()) f.add("source.ip", r.address);
    f.add("event.start", r.time);
    out.push_back(std::move(f));
  }
}

void failed_logins(const collect::Snapshot& s, const Context& ctx, Findings& out) {
  struct Source {
    std::int64_t count = 0, first = 0, last = 0;
    std::set<std::string> users;
  };
  std::map<std::string, Source> by_source;
  for (const auto& r : s.logins.records) {
    if (r.file != "btmp" || r.zeroed) continue;
    std::string src = !r.address.empty() ? r.address : !r.host.empty() ? r.host : "local:" + r.line;
    auto& b = by_source[src];
    if (b.count++ == 0) b.first = r.time;
    b.first = std::min(b.first, r.time);
    b.last = std::max(b.last, r.time);
    if (!r.user.empty() && b.users.size() < 20) b.users.insert(r.user);
  }
  for (const auto& [src, b] : by_source) {
    Severity sev = b.count >= ctx.failed_login_threshold ? Severity::low : Severity::info;
    auto f = make_finding("login.failed-logins", sev, kSource);
    f.add(src.starts_with("local:") ? "process.tty.name" : "source.address",
          src.starts_with("local:") ? src.substr(6) : src);
    f.add("vigil.count", b.count);
    f.add("event.start", b.first);
    f.add("event.end", b.last);
    std::string users;
    for (const auto& u : b.users) users += (users.empty() ? "" : ",") + u;
    f.add("user.name", users);
    out.push_back(std::move(f));
  }
}

void tampering(const collect::Snapshot& s, const Context& ctx, Findings& out) {
  for (std::string_view file : {"wtmp", "utmp"}) {
    std::vector<const collect::LoginRecordRow*> recs;
    for (const auto& r : s.logins.records)
      if (r.file == file) recs.push_back(&r);
    // Zeroed records: a wiper's hole; trailing ones (in the same file: a rotated copy ends
    // where the next begins) may be a crash during a write.
    for (std::size_t i = 0; i < recs.size(); ++i) {
      if (!recs[i]->zeroed) continue;
      const auto& path = recs[i]->path;
      bool followed = std::any_of(recs.begin() + static_cast<std::ptrdiff_t>(i) + 1, recs.end(),
                                  [&](const auto* r) { return !r->zeroed && r->path == path; });
      std::size_t run = i;
      while (run < recs.size() && recs[run]->zeroed && recs[run]->path == path) ++run;
      auto f = make_finding("login.record-zeroed", followed ? Severity::high : Severity::medium,
                            kSource);
      f.add("file.name", std::string(file));
      if (!path.empty()) f.add("file.path", path);
      f.add("vigil.record.index", recs[i]->index);
      f.add("vigil.count", static_cast<std::int64_t>(run - i));
      out.push_back(std::move(f));
      i = run;
    }
    if (file != "wtmp") continue;
    const collect::LoginRecordRow* prev = nullptr;
    for (const auto* r : recs) {
      if (r->zeroed || (r->type != "USER_PROCESS" && r->type != "DEAD_PROCESS")) continue;
      if (prev && r->time + ctx.out_of_order_slack < prev->time) {
        auto f = make_finding("login.records-out-of-order", Severity::medium, kSource);
        f.add("file.name", std::string(file));
        f.add("vigil.record.index", r->index);
        f.add("user.name", r->user);
        f.add("event.start", r->time);
        f.add("vigil.previous.time", prev->time);
        out.push_back(std::move(f));
      }
      prev = r;
    }
  }
  // chklastlog: a lastlog login that wtmp should hold but does not.
  if (!s.logins.wtmp_read) return;
  std::int64_t first = 0, last = 0;
  std::map<std::string, std::vector<std::int64_t>> logins;
  for (const auto& r : s.logins.records) {
    if ((r.file != "wtmp" && r.file != "wtmpdb") || r.zeroed) continue;
    if (first == 0 || (r.time > 0 && r.time < first)) first = r.time;
    last = std::max(last, r.time);
    if (r.type == "USER_PROCESS") logins[r.user].push_back(r.time);
  }
  if (first == 0) return;
  for (const auto& l : s.logins.lastlog) {
    if (l.time < first) continue;  // older than the history kept: rotation, not tampering
    const auto& times = logins[l.user];
    bool found = std::any_of(times.begin(), times.end(),
                             [&](auto t) { return t >= l.time - 5 && t <= l.time + 5; });
    bool newer = l.time > last + 5;
    if (found && !newer) continue;
    auto f = make_finding("login.lastlog-mismatch", Severity::medium, kSource,
                          newer ? "Its last login is newer than the last wtmp record." : "");
    f.add("user.name", l.user);
    f.add("event.start", l.time);
    if (!l.host.empty()) f.add("source.address", l.host);
    out.push_back(std::move(f));
  }
}

}  // namespace

Findings detect_logins(const collect::Snapshot& s, const Context& ctx) {
  Findings out;
  active_sessions(s, out);
  failed_logins(s, ctx, out);
  tampering(s, ctx, out);
  return out;
}

}  // namespace vigil::detect
