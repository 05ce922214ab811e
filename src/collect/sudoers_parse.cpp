#include "collect/sudoers_parse.hpp"

#include <set>

#include "core/text.hpp"

namespace vigil::collect {

namespace {

constexpr int kMaxAliasDepth = 16;  // sudo refuses cycles; this stops them

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

// Splits at `sep` outside double quotes and not escaped with a backslash.
std::vector<std::string_view> split_unquoted(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
      continue;
    }
    if (s[i] == '"') quoted = !quoted;
    else if (s[i] == sep && !quoted) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  out.push_back(s.substr(start));
  return out;
}

struct Member {
  std::string name;
  bool negated = false;
};

// One list item with the aliases of `table` expanded, negations folded ("!A" where A holds
// "!b" gives b).
void expand(const std::map<std::string, std::vector<std::string>, std::less<>>& table, std::string_view item,
            bool negated, int depth, std::vector<Member>& out) {
  item = trim(item);
  while (item.starts_with('!')) {
    negated = !negated;
    item = trim(item.substr(1));
  }
  if (item.empty()) return;
  if (auto alias = table.find(item); alias != table.end() && depth < kMaxAliasDepth) {
    for (const auto& m : alias->second) expand(table, m, negated, depth + 1, out);
    return;
  }
  out.push_back({std::string(item), negated});
}

std::vector<Member> expand_list(const std::map<std::string, std::vector<std::string>, std::less<>>& table,
                                std::string_view list) {
  std::vector<Member> out;
  for (auto item : split_unquoted(list, ',')) expand(table, item, false, 0, out);
  return out;
}

std::string join(const std::vector<Member>& members) {
  std::string out;
  for (const auto& m : members) out += (out.empty() ? "" : ", ") + std::string(m.negated ? "!" : "") + m.name;
  return out;
}

// "User_Alias A = x, y : B = z" into the table; false with `error` when malformed.
bool define_aliases(std::string_view body, std::map<std::string, std::vector<std::string>, std::less<>>& table,
                    std::string& error) {
  for (auto def : split_unquoted(body, ':')) {
    auto eq = def.find('=');
    if (eq == std::string_view::npos) {
      error = "alias without '='";
      return false;
    }
    auto name = trim(def.substr(0, eq));
    if (name.empty() || name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != std::string_view::npos) {
      error = "alias name '" + printable(name) + "' is not upper case letters, digits and _";
      return false;
    }
    auto& members = table[std::string(name)];
    members.clear();  // a later definition replaces (sudo warns about duplicates)
    for (auto m : split_unquoted(def.substr(eq + 1), ',')) members.emplace_back(trim(m));
  }
  return true;
}

// "Defaults", "Defaults:alice", "Defaults@host", "Defaults>root", "Defaults!/bin/x": true with
// the scope and settings text.
bool is_defaults(std::string_view t, std::string& scope, std::string_view& settings) {
  if (!t.starts_with("Defaults")) return false;
  auto rest = t.substr(8);
  if (!rest.empty() && (rest[0] == ':' || rest[0] == '@' || rest[0] == '>' || rest[0] == '!')) {
    auto end = rest.find_first_of(" \t");
    scope = std::string(rest.substr(0, end));
    settings = end == std::string_view::npos ? std::string_view{} : trim(rest.substr(end));
    return true;
  }
  if (!rest.empty() && rest[0] != ' ' && rest[0] != '\t') return false;
  scope.clear();
  settings = trim(rest);
  return true;
}

void parse_rule(std::size_t n, std::string_view t, const SudoAliases& aliases, SudoersFile& out) {
  auto eq = t.find('=');
  if (eq == std::string_view::npos) {
    out.errors.push_back({n, "expected 'users hosts = commands'"});
    return;
  }
  // Left side: a user list, then a host list; user lists may hold ", " between items.
  std::string_view left = trim(t.substr(0, eq));
  auto last_ws = left.find_last_of(" \t");
  if (last_ws == std::string_view::npos) {
    out.errors.push_back({n, "no host list before '='"});
    return;
  }
  SudoRule base;
  base.line = n;
  base.hosts = join(expand_list(aliases.host, trim(left.substr(last_ws + 1))));
  std::string_view users = trim(left.substr(0, last_ws));
  // Right side: [ (runas) ] [ TAG: ]… command, … ; tags carry over to later commands.
  bool nopasswd = false;
  std::vector<Member> commands;
  for (auto item : split_unquoted(t.substr(eq + 1), ',')) {
    item = trim(item);
    if (item.starts_with('(')) {
      auto close = item.find(')');
      if (close == std::string_view::npos) break;
      auto spec = item.substr(1, close - 1);  // users [: groups]
      auto colon = spec.find(':');
      base.runas = join(expand_list(aliases.runas, spec.substr(0, colon)));
      if (colon != std::string_view::npos) base.runas += " : " + join(expand_list(aliases.runas, spec.substr(colon + 1)));
      item = trim(item.substr(close + 1));
    }
    for (;;) {
      auto colon = item.find(':');
      if (colon == std::string_view::npos) break;
      auto tag = item.substr(0, colon);
      if (tag.empty() || tag.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ_") != std::string_view::npos) break;
      if (tag == "NOPASSWD") nopasswd = true;
      if (tag == "PASSWD") nopasswd = false;
      item = trim(item.substr(colon + 1));
    }
    if (item.empty()) continue;
    std::vector<Member> expanded;
    expand(aliases.command, item, false, 0, expanded);
    for (auto& c : expanded) {
      if (nopasswd) base.nopasswd = true;
      if (c.name == "ALL" && !c.negated) {
        base.all_commands = true;
        if (nopasswd) base.nopasswd_all = true;
      }
      commands.push_back(std::move(c));
    }
  }
  base.commands = join(commands);
  auto principals = expand_list(aliases.user, users);
  std::set<std::string> excluded;
  for (const auto& p : principals)
    if (p.negated) excluded.insert(p.name);
  std::set<std::string> done;
  for (const auto& p : principals) {
    if (p.negated || excluded.contains(p.name) || !done.insert(p.name).second) continue;
    out.rules.push_back(base);
    out.rules.back().principal = p.name;
  }
}

}  // namespace

std::string sudo_default_weakness(std::string_view setting) {
  auto s = trim(setting);
  if (s == "!authenticate") return "no password is asked for any command (as NOPASSWD)";
  if (s == "!env_reset") return "the caller's whole environment reaches the command run as root";
  if (s.starts_with("env_keep") || s.starts_with("env_check")) {
    for (std::string_view var : {"LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT"})
      if (s.find(var) != std::string_view::npos && !s.starts_with("env_keep -=") && !s.starts_with("env_keep-="))
        return "keeps " + std::string(var) + ": the caller's library is loaded into the command run as root";
  }
  if (s.starts_with("timestamp_timeout")) {
    auto eq = s.find('=');
    if (eq != std::string_view::npos && trim(s.substr(eq + 1)).starts_with('-'))
      return "a negative timestamp_timeout: one password is valid until the next reboot";
  }
  return {};
}

SudoersFile parse_sudoers(std::string_view text, SudoAliases& aliases) {
  SudoersFile out;
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
    if (t.empty()) continue;
    std::string scope;
    std::string_view settings;
    if (is_defaults(t, scope, settings)) {
      for (auto setting : split_unquoted(settings, ',')) {
        setting = trim(setting);
        if (setting.empty()) continue;
        out.defaults.push_back({n, scope, printable(setting), sudo_default_weakness(setting)});
      }
      continue;
    }
    struct Kind {
      std::string_view word;
      std::map<std::string, std::vector<std::string>, std::less<>>* table;
    };
    bool alias = false;
    for (const Kind& k : {Kind{"User_Alias", &aliases.user}, Kind{"Runas_Alias", &aliases.runas},
                          Kind{"Host_Alias", &aliases.host}, Kind{"Cmnd_Alias", &aliases.command},
                          Kind{"Cmd_Alias", &aliases.command}}) {
      if (!t.starts_with(k.word) || t.size() == k.word.size() || (t[k.word.size()] != ' ' && t[k.word.size()] != '\t'))
        continue;
      alias = true;
      std::string error;
      if (!define_aliases(t.substr(k.word.size()), *k.table, error))
        out.errors.push_back({n, std::string(k.word) + ": " + error});
      break;
    }
    if (!alias) parse_rule(n, t, aliases, out);
  }
  return out;
}

SudoersFile parse_sudoers(std::string_view text) {
  SudoAliases aliases;
  return parse_sudoers(text, aliases);
}

}  // namespace vigil::collect
