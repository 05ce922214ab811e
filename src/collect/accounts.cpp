// Account collector: reads the databases through the root and hands bytes to the parsers.
#include "collect/accounts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "collect/account_parse.hpp"
#include "collect/sudoers_parse.hpp"
#include "core/text.hpp"

namespace vigil::collect {

namespace {

constexpr std::string_view kCollector = "users";
constexpr int kMaxSudoersDepth = 8;

template <class T>
void log_parse_errors(IssueLog& log, const Root& root, std::string_view path,
                      const std::vector<ParseError>& errors) {
  for (const auto& e : errors)
    log.add(std::string(kCollector), fmt::format("{}:{}", root.display(path), e.line), e.message);
}

bool is_login_shell(std::string_view shell) {
  if (shell.empty()) return true;  // login(1) falls back to /bin/sh
  auto base = basename_of(shell);
  return base != "nologin" && base != "false" && base != "sync" && base != "shutdown" &&
         base != "halt";
}

// Reads a sudoers file and what it includes, in sudo's order, with the aliases defined so far.
struct SudoersReader {
  const Root& root;
  IssueLog& log;
  std::set<std::string> seen;
  SudoAliases aliases;
  Accounts& out;

  void read(const std::string& path, int depth) {
    if (depth > kMaxSudoersDepth || !seen.insert(path).second) return;
    auto text = root.read(path);
    if (!text) {
      // No sudoers file means sudo is not installed: nothing to report.
      if (!text.error().vanished()) log.add(std::string(kCollector), text.error());
      return;
    }
    auto parsed = parse_sudoers(*text, aliases);
    log_parse_errors<SudoRule>(log, root, path, parsed.errors);
    for (auto& r : parsed.rules)
      out.sudo_rules.push_back({path, static_cast<std::int64_t>(r.line), r.principal, r.hosts, r.runas, r.commands,
                                r.nopasswd, r.nopasswd_all});
    for (auto& d : parsed.defaults)
      out.sudo_defaults.push_back({path, static_cast<std::int64_t>(d.line), d.scope, d.setting, d.weakens});
    auto resolve = [&](const std::string& p) { return p.starts_with('/') ? p : dirname_of(path) + "/" + p; };
    for (const auto& f : parsed.include_files) read(resolve(f), depth + 1);
    for (const auto& d : parsed.include_dirs) {
      auto dir = resolve(d);
      auto entries = root.list(dir);
      if (!entries) {
        if (!entries.error().vanished()) log.add(std::string(kCollector), entries.error());
        continue;
      }
      std::vector<std::string> names;
      // sudo skips names that end in '~' or contain '.', so editor backups stay inert.
      for (const auto& e : *entries)
        if (!e.name.ends_with('~') && e.name.find('.') == std::string::npos) names.push_back(e.name);
      std::sort(names.begin(), names.end());
      for (const auto& n : names) read(dir + "/" + n, depth + 1);
    }
  }

  // Defaults !authenticate (for everyone, or Defaults:user for one user) takes the password
  // off that user's rules: a rule granting ALL becomes NOPASSWD: ALL.
  void apply_defaults() {
    for (const auto& d : out.sudo_defaults) {
      if (d.setting != "!authenticate" || (!d.scope.empty() && !d.scope.starts_with(':'))) continue;
      std::set<std::string, std::less<>> users;
      for (auto u : split(std::string_view(d.scope).substr(d.scope.empty() ? 0 : 1), ',')) users.emplace(trim(u));
      for (auto& r : out.sudo_rules) {
        if (!d.scope.empty() && !users.contains(r.principal)) continue;
        r.nopasswd = true;
        for (auto c : split(r.commands, ','))
          if (trim(c) == "ALL") r.nopasswd_all = true;
      }
    }
  }
};

}  // namespace

Accounts collect_accounts(const Root& root, IssueLog& log) {
  Accounts out;
  auto passwd = root.read("/etc/passwd");
  if (!passwd) {
    log.add(std::string(kCollector), passwd.error());
    return out;
  }
  if (auto defs = root.read("/etc/login.defs")) {
    auto kv = parse_login_defs(*defs);
    if (auto it = kv.find("UID_MIN"); it != kv.end())
      out.uid_min = to_number<std::int64_t>(it->second).value_or(1000);
  }
  std::map<std::string, ShadowEntry, std::less<>> shadow;
  bool shadow_ok = false;
  if (auto text = root.read("/etc/shadow")) {
    shadow_ok = true;
    auto parsed = parse_shadow(*text);
    log_parse_errors<ShadowEntry>(log, root, "/etc/shadow", parsed.errors);
    for (auto& s : parsed.rows) shadow.emplace(s.name, std::move(s));
  } else if (!text.error().vanished()) {
    log.add(std::string(kCollector), text.error());
  }
  auto parsed = parse_passwd(*passwd);
  log_parse_errors<PasswdEntry>(log, root, "/etc/passwd", parsed.errors);
  for (auto& p : parsed.rows) {
    UserRow u{p.name,
              p.uid,
              p.gid,
              p.gecos,
              p.home,
              p.shell,
              "unknown",
              "",
              is_login_shell(p.shell),
              p.uid != 0 && p.uid < out.uid_min};
    // "x" defers to shadow: no shadow line there means no password can work (locked),
    // unless shadow itself was unreadable (unknown).
    if (p.password != "x") {
      u.password = password_state(p.password);
      if (u.password == "set") u.hash_scheme = hash_scheme(p.password);
    } else if (auto it = shadow.find(p.name); it != shadow.end()) {
      u.password = password_state(it->second.hash);
      if (u.password == "set") u.hash_scheme = hash_scheme(it->second.hash);
    } else {
      u.password = shadow_ok ? "locked" : "unknown";
    }
    out.users.push_back(std::move(u));
  }
  if (auto text = root.read("/etc/group")) {
    auto groups = parse_group(*text);
    log_parse_errors<GroupEntry>(log, root, "/etc/group", groups.errors);
    for (auto& g : groups.rows) {
      std::string members;
      for (std::size_t i = 0; i < g.members.size(); ++i) members += (i ? "," : "") + g.members[i];
      out.groups.push_back({g.name, g.gid, members});
    }
  } else {
    log.add(std::string(kCollector), text.error());
  }
  SudoersReader sudoers{root, log, {}, {}, out};
  sudoers.read("/etc/sudoers", 0);
  sudoers.apply_defaults();
  return out;
}

}  // namespace vigil::collect
