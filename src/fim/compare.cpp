// Baseline comparison.
#include "fim/compare.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <array>

#include "core/rule_catalog.hpp"
#include "core/text.hpp"
#include "core/time_format.hpp"
#include "fim/attributes.hpp"

namespace vigil::fim {

namespace {

constexpr std::string_view kSource = "fim";

bool under(std::string_view path, std::string_view dir) {
  return path == dir || (path.starts_with(dir) && path.size() > dir.size() && path[dir.size()] == '/');
}

// 2026-11-23T20:27:17.123456789Z
std::string ns_time(std::int64_t ns) {
  return fmt::format("{}.{:09}Z", iso8601(ns / 1'000'000'000).substr(0, 19), ns % 1'000'000'000);
}

Severity lower(Severity s) { return s > Severity::low ? static_cast<Severity>(static_cast<int>(s) - 1) : s; }

Severity zone_severity(Zone z) {
  switch (z) {
    case Zone::system:
    case Zone::sensitive: return Severity::high;
    case Zone::config: return Severity::medium;
    default: return Severity::low;
  }
}

Finding finding(std::string_view rule, Severity s, const FimEntry& e) {
  auto f = make_finding(rule, s, kSource);
  f.add("file.path", e.path);
  f.add("file.type", e.type);
  return f;
}

}  // namespace

Zone zone_of(std::string_view path) {
  static constexpr std::array<std::string_view, 14> kSystem = {
      "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/boot", "/usr/bin", "/usr/sbin",
      "/usr/lib", "/usr/lib32", "/usr/lib64", "/usr/libexec", "/usr/local/bin"};
  static constexpr std::array<std::string_view, 19> kSensitive = {
      "/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow", "/etc/sudoers", "/etc/sudoers.d", "/etc/ssh",
      "/etc/pam.d", "/etc/security", "/etc/ld.so.preload", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/crontab",
      "/etc/cron.d", "/etc/systemd", "/etc/init.d", "/etc/rc.local", "/var/spool/cron", "/root/.ssh"};
  for (auto d : kSensitive)
    if (under(path, d)) return Zone::sensitive;
  for (auto d : kSystem)
    if (under(path, d)) return Zone::system;
  if (under(path, "/usr/local/sbin")) return Zone::system;
  if (path.starts_with("/etc/cron.")) return Zone::sensitive;
  if (under(path, "/etc") || under(path, "/root") || under(path, "/opt") || under(path, "/usr/local")) return Zone::config;
  return Zone::data;
}

namespace {

Finding added(const FimEntry& e) {
  bool setid = e.type == "file" && (e.mode & (S_ISUID | S_ISGID));
  Zone z = zone_of(e.path);
  Severity s = setid ? Severity::high : (z == Zone::system || z == Zone::sensitive) ? Severity::medium : Severity::low;
  auto f = finding("fim.added", s, e);
  f.add("file.mode", mode_text(e.mode));
  if (!e.sha256.empty()) f.add("file.hash.sha256", e.sha256);
  f.identity = {"file.path", "file.hash.sha256"};
  return f;
}

Finding removed(const FimEntry& e) {
  Zone z = zone_of(e.path);
  auto f = finding("fim.removed", (z == Zone::system || z == Zone::sensitive) ? Severity::medium : Severity::low, e);
  f.identity = {"file.path"};
  return f;
}

std::optional<Finding> changed(const FimEntry& a, const FimEntry& b) {
  auto attrs = static_cast<Attrs>(a.attrs);
  std::vector<std::string> changes;  // one vigil.changes value each: a list in JSON
  std::vector<std::string_view> names;
  bool strong = false;  // content, type or permissions; not just times or inode
  auto note = [&](std::string_view name, const std::string& was, const std::string& is, bool content) {
    changes.push_back(fmt::format("{}: {} → {}", name, was.empty() ? "\"\"" : was, is.empty() ? "\"\"" : is));
    names.push_back(name);
    strong = strong || content;
  };
  auto num = [&](Attr at, std::string_view name, std::int64_t x, std::int64_t y, bool content) {
    if ((attrs & at) && x != y) note(name, std::to_string(x), std::to_string(y), content);
  };
  auto str = [&](Attr at, std::string_view name, const std::string& x, const std::string& y, bool content) {
    if ((attrs & at) && x != y) note(name, x, y, content);
  };
  str(kType, "type", a.type, b.type, true);
  if ((attrs & kMode) && (a.mode & 07777) != (b.mode & 07777)) note("mode", mode_text(a.mode), mode_text(b.mode), true);
  num(kUid, "uid", a.uid, b.uid, true);
  num(kGid, "gid", a.gid, b.gid, true);
  num(kSize, "size", a.size, b.size, true);
  if ((attrs & kGrowing) && b.size < a.size) note("size (may only grow)", std::to_string(a.size), std::to_string(b.size), true);
  num(kInode, "inode", a.inode, b.inode, false);
  num(kLinks, "links", a.links, b.links, false);
  auto time = [&](Attr at, std::string_view name, std::int64_t x, std::int64_t y) {
    if ((attrs & at) && x != y) note(name, ns_time(x), ns_time(y), false);
  };
  time(kMtime, "mtime", a.mtime, b.mtime);
  time(kCtime, "ctime", a.ctime, b.ctime);
  str(kTarget, "target", a.target, b.target, true);
  str(kXattrs, "xattrs", a.xattrs, b.xattrs, true);
  str(kCaps, "caps", a.caps, b.caps, true);
  str(kAcl, "acl", a.acl, b.acl, true);
  // A hash is compared when both sides have one; losing one (now unreadable) is a change.
  for (auto [at, name, x, y] : {std::tuple{kSha256, "sha256", &a.sha256, &b.sha256},
                                std::tuple{kSha512, "sha512", &a.sha512, &b.sha512},
                                std::tuple{kBlake2b, "blake2b", &a.blake2b, &b.blake2b}})
    if ((attrs & at) && !x->empty() && !y->empty() && *x != *y) note(name, *x, *y, true);
  if (a.error != b.error) note("error", a.error, b.error, !b.error.empty());
  if (names.empty()) return std::nullopt;
  Zone z = zone_of(b.path);
  Severity s = zone_severity(z);
  if (!strong) s = lower(s);
  bool gained_setid = b.type == "file" && (b.mode & (S_ISUID | S_ISGID)) & ~a.mode;
  if (gained_setid || (a.caps.empty() && !b.caps.empty())) s = std::max(s, Severity::high);
  auto f = finding("fim.changed", s, b);
  std::string list;
  for (auto n : names) list += (list.empty() ? "" : ",") + std::string(n);
  f.add("vigil.attributes", list);
  for (auto& change : changes) f.add("vigil.changes", std::move(change));
  f.identity = {"file.path", "vigil.changes"};  // a later, different change is another finding
  return f;
}

}  // namespace

std::optional<Finding> judge(const FimEntry* was, const FimEntry* is) {
  if (was && is) return changed(*was, *is);
  if (is) return added(*is);
  if (was) return removed(*was);
  return std::nullopt;
}

Comparison::Comparison(const std::vector<FimEntry>& now) : now_(now) { result_.checked = static_cast<std::int64_t>(now.size()); }

void Comparison::judged(const FimEntry* was, const FimEntry* is) {
  auto f = judge(was, is);
  if (!f) return;
  ++(was && is ? result_.changed : is ? result_.added : result_.removed);
  result_.findings.push_back(std::move(*f));
}

void Comparison::baseline(const FimEntry& a) {
  while (next_ < now_.size() && now_[next_].path < a.path) judged(nullptr, &now_[next_++]);
  if (next_ == now_.size() || now_[next_].path != a.path) {
    judged(&a, nullptr);
    return;
  }
  judged(&a, &now_[next_++]);
}

CompareResult Comparison::finish() {
  while (next_ < now_.size()) judged(nullptr, &now_[next_++]);
  sort_findings(result_.findings);
  return std::move(result_);
}

CompareResult compare_entries(const std::vector<FimEntry>& baseline, const std::vector<FimEntry>& now) {
  Comparison c(now);
  for (const auto& e : baseline) c.baseline(e);
  return c.finish();
}

}  // namespace vigil::fim
