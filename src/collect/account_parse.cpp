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

namespace {

// Joins backslash-continued lines; keeps the first line number of each logical line.
std::vector<std::pair<std::size_t, std::string>> logical_lines(std::string_view text) {
  std::vector<std::pair<std::size_t, std::string>> out;
  std::string cur;
  std::size_t start = 0;
  for_each_line(text, [&](std::string_view line, std::size_t n) {
    if (cur.empty()) start = n;
    if (line.ends_with('\\')) {
      cur.append(line.substr(0, line.size() - 1)).push_back(' ');
      return;
    }
    cur.append(line);
    out.emplace_back(start, std::move(cur));
    cur.clear();
  });
  if (!cur.empty()) out.emplace_back(start, std::move(cur));
  return out;
}

bool is_include(std::string_view t, std::string_view word, std::string_view& arg) {
  for (std::string_view prefix : {"@", "#"}) {
    std::string directive = std::string(prefix) + std::string(word);
    if (t.starts_with(directive) && t.size() > directive.size() &&
        (t[directive.size()] == ' ' || t[directive.size()] == '\t')) {
      arg = trim(t.substr(directive.size()));
      return true;
    }
  }
  return false;
}

}  // namespace

SudoersFile parse_sudoers(std::string_view text) {
  SudoersFile out;
  std::map<std::string, std::vector<std::string>, std::less<>> user_aliases;
  for (auto& [n, raw] : logical_lines(text)) {
    std::string_view t = trim(raw);
    std::string_view arg;
    if (is_include(t, "includedir", arg)) {
      out.include_dirs.emplace_back(arg);
      continue;
    }
    if (is_include(t, "include", arg)) {
      out.include_files.emplace_back(arg);
      continue;
    }
    if (auto hash = t.find('#'); hash != std::string_view::npos) t = trim(t.substr(0, hash));
    if (t.empty() || t.starts_with("Defaults")) continue;
    if (t.starts_with("User_Alias")) {
      auto eq = t.find('=');
      if (eq == std::string_view::npos) {
        out.errors.push_back({n, "User_Alias without '='"});
        continue;
      }
      auto& members = user_aliases[std::string(trim(t.substr(10, eq - 10)))];
      for (auto m : split(t.substr(eq + 1), ',')) members.emplace_back(trim(m));
      continue;
    }
    if (t.starts_with("Host_Alias") || t.starts_with("Runas_Alias") ||
        t.starts_with("Cmnd_Alias") || t.starts_with("Cmd_Alias"))
      continue;
    auto eq = t.find('=');
    if (eq == std::string_view::npos) {
      out.errors.push_back({n, "expected 'users hosts = commands'"});
      continue;
    }
    // Left side: a user list, then a host list; user lists may hold ", " between items.
    std::string_view left = trim(t.substr(0, eq));
    auto last_ws = left.find_last_of(" \t");
    if (last_ws == std::string_view::npos) {
      out.errors.push_back({n, "no host list before '='"});
      continue;
    }
    std::string hosts(trim(left.substr(last_ws + 1)));
    std::string_view users = trim(left.substr(0, last_ws));
    SudoRule base;
    base.line = n;
    base.hosts = hosts;
    // Right side: [ (runas) ] [ TAG: ]… command, … ; tags carry over to later commands.
    bool nopasswd = false;
    std::vector<std::string> commands;
    for (auto item : split(t.substr(eq + 1), ',')) {
      item = trim(item);
      if (item.starts_with('(')) {
        auto close = item.find(')');
        if (close == std::string_view::npos) break;
        base.runas = std::string(item.substr(1, close - 1));
        item = trim(item.substr(close + 1));
      }
      for (;;) {
        auto colon = item.find(':');
        if (colon == std::string_view::npos) break;
        auto tag = item.substr(0, colon);
        if (tag.empty() ||
            tag.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ_") != std::string_view::npos)
          break;
        if (tag == "NOPASSWD") nopasswd = true;
        if (tag == "PASSWD") nopasswd = false;
        item = trim(item.substr(colon + 1));
      }
      if (item.empty()) continue;
      commands.emplace_back(item);
      if (nopasswd) base.nopasswd = true;
      if (nopasswd && item == "ALL") base.nopasswd_all = true;
    }
    for (std::size_t i = 0; i < commands.size(); ++i)
      base.commands += (i ? ", " : "") + commands[i];
    for (auto u : split(users, ',')) {
      u = trim(u);
      if (u.empty()) continue;
      auto alias = user_aliases.find(u);
      if (alias == user_aliases.end()) {
        out.rules.push_back(base);
        out.rules.back().principal = std::string(u);
        continue;
      }
      for (const auto& m : alias->second) {
        out.rules.push_back(base);
        out.rules.back().principal = m;
      }
    }
  }
  return out;
}

}  // namespace vigil::collect
