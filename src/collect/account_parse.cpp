// Account database parsers.
#include "collect/account_parse.hpp"

#include <fmt/format.h>

#include "core/text.hpp"

namespace vigil::collect {

namespace {

bool skip_line(std::string_view line) {
  auto t = trim(line);
  return t.empty() || t.front() == '#';
}

// NIS compat lines (+user, -user, +@netgroup) carry no local account.
bool nis_line(std::string_view line) { return line.front() == '+' || line.front() == '-'; }

}  // namespace

Parsed<PasswdEntry> parse_passwd(std::string_view text) {
  Parsed<PasswdEntry> out;
  for_each_line(text, [&](std::string_view line, std::size_t n) {
    if (skip_line(line) || nis_line(line)) return;
    auto f = split(line, ':');
    if (f.size() != 7) {
      out.errors.push_back({n, fmt::format("expected 7 fields, found {}", f.size())});
      return;
    }
    auto uid = to_number<std::int64_t>(f[2]);
    auto gid = to_number<std::int64_t>(f[3]);
    if (f[0].empty() || !uid || !gid) {
      out.errors.push_back({n, "empty name or non-numeric uid/gid"});
      return;
    }
    out.rows.push_back({std::string(f[0]), std::string(f[1]), std::string(f[4]), std::string(f[5]),
                        std::string(f[6]), *uid, *gid, n});
  });
  return out;
}

Parsed<GroupEntry> parse_group(std::string_view text) {
  Parsed<GroupEntry> out;
  for_each_line(text, [&](std::string_view line, std::size_t n) {
    if (skip_line(line) || nis_line(line)) return;
    auto f = split(line, ':');
    auto gid = f.size() == 4 ? to_number<std::int64_t>(f[2]) : std::nullopt;
    if (!gid || f[0].empty()) {
      out.errors.push_back({n, "expected name:password:gid:members"});
      return;
    }
    GroupEntry g{std::string(f[0]), *gid, {}};
    if (!f[3].empty())
      for (auto m : split(f[3], ',')) g.members.emplace_back(trim(m));
    out.rows.push_back(std::move(g));
  });
  return out;
}

Parsed<ShadowEntry> parse_shadow(std::string_view text) {
  Parsed<ShadowEntry> out;
  for_each_line(text, [&](std::string_view line, std::size_t n) {
    if (skip_line(line) || nis_line(line)) return;
    auto f = split(line, ':');
    if (f.size() < 2 || f[0].empty()) {
      out.errors.push_back({n, "expected name:hash:…"});
      return;
    }
    ShadowEntry s{std::string(f[0]), std::string(f[1]), -1, -1};
    if (f.size() > 2 && !f[2].empty()) s.last_change = to_number<std::int64_t>(f[2]).value_or(-1);
    if (f.size() > 4 && !f[4].empty()) s.max_days = to_number<std::int64_t>(f[4]).value_or(-1);
    out.rows.push_back(std::move(s));
  });
  return out;
}

std::map<std::string, std::string, std::less<>> parse_login_defs(std::string_view text) {
  std::map<std::string, std::string, std::less<>> out;
  for_each_line(text, [&](std::string_view line, std::size_t) {
    if (skip_line(line)) return;
    auto f = split_ws(line);
    if (f.size() >= 2) out[std::string(f[0])] = std::string(f[1]);
  });
  return out;
}

std::string password_state(std::string_view hash) {
  if (hash.empty()) return "empty";
  if (hash.front() == '!' || hash.front() == '*') return "locked";
  return "set";
}

std::string hash_scheme(std::string_view h) {
  if (h.starts_with("$y$")) return "yescrypt";
  if (h.starts_with("$gy$")) return "gost-yescrypt";
  if (h.starts_with("$6$")) return "sha512";
  if (h.starts_with("$5$")) return "sha256";
  if (h.starts_with("$1$")) return "md5";
  if (h.starts_with("$2")) return "bcrypt";
  if (h.size() == 13) return "des";
  return "";
}

}  // namespace vigil::collect
