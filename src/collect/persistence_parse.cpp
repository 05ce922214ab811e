// Persistence parsers.
#include "collect/persistence_parse.hpp"

#include <cctype>

#include "core/text.hpp"

namespace vigil::collect {

namespace {

bool comment_or_blank(std::string_view t) { return t.empty() || t.front() == '#'; }

std::string unquote(std::string_view v) {
  v = trim(v);
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) v = v.substr(1, v.size() - 2);
  return std::string(v);
}

}  // namespace

Parsed<CronEntry> parse_crontab(std::string_view text, bool system_format) {
  Parsed<CronEntry> out;
  for_each_line(text, [&](std::string_view raw, std::size_t n) {
    auto t = trim(raw);
    if (comment_or_blank(t)) return;
    auto words = split_ws(t);
    // NAME=value lines set the environment for the jobs below.
    if (auto eq = t.find('='); eq != std::string_view::npos && eq > 0) {
      auto name = trim(t.substr(0, eq));
      bool identifier = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0]));
      for (char ch : name) identifier = identifier && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_');
      if (identifier) return;
    }
    std::size_t schedule_words = t.starts_with('@') ? 1 : 5;
    std::size_t need = schedule_words + (system_format ? 1 : 0) + 1;
    if (words.size() < need) {
      out.errors.push_back({n, "expected a schedule, " + std::string(system_format ? "a user, " : "") + "and a command"});
      return;
    }
    CronEntry e;
    e.line = n;
    for (std::size_t i = 0; i < schedule_words; ++i) e.schedule += (i ? " " : "") + std::string(words[i]);
    std::size_t next = schedule_words;
    if (system_format) e.user = std::string(words[next++]);
    // The command is the rest of the line as written (spacing and quoting kept).
    auto at = words[next].data() - t.data();
    e.command = std::string(t.substr(static_cast<std::size_t>(at)));
    out.rows.push_back(std::move(e));
  });
  return out;
}

std::vector<UnitCommand> parse_systemd_unit(std::string_view text) {
  std::vector<UnitCommand> out;
  std::string section;
  for_each_line(text, [&](std::string_view raw, std::size_t n) {
    auto t = trim(raw);
    if (t.empty() || t.front() == '#' || t.front() == ';') return;
    if (t.front() == '[') {
      section = std::string(t);
      return;
    }
    auto eq = t.find('=');
    if (eq == std::string_view::npos) return;
    auto key = trim(t.substr(0, eq));
    auto value = trim(t.substr(eq + 1));
    if (key.starts_with("Exec") && section == "[Service]") {
      while (!value.empty() && std::string_view("-@:+!").find(value.front()) != std::string_view::npos)
        value.remove_prefix(1);
      if (!value.empty()) out.push_back({n, std::string(key), std::string(value)});
    } else if (key == "Environment" && value.find("LD_PRELOAD=") != std::string_view::npos) {
      out.push_back({n, "Environment", std::string(value)});
    } else if (key == "Unit" && section == "[Timer]") {
      out.push_back({n, "Unit", std::string(value)});
    }
  });
  return out;
}

namespace {
// Splits "opt1,opt2=\"a,b\" ssh-ed25519 AAAA… comment": options end at the first blank
// outside quotes.
std::size_t options_end(std::string_view t) {
  bool quoted = false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '\\' && quoted) {
      ++i;
      continue;
    }
    if (t[i] == '"') quoted = !quoted;
    if (!quoted && (t[i] == ' ' || t[i] == '\t')) return i;
  }
  return t.size();
}

bool is_key_type(std::string_view w) {
  return w.starts_with("ssh-") || w.starts_with("ecdsa-") || w.starts_with("sk-");
}
}  // namespace

Parsed<AuthorizedKey> parse_authorized_keys(std::string_view text) {
  Parsed<AuthorizedKey> out;
  for_each_line(text, [&](std::string_view raw, std::size_t n) {
    auto t = trim(raw);
    if (comment_or_blank(t)) return;
    AuthorizedKey k;
    k.line = n;
    if (!is_key_type(split_ws(t)[0])) {
      auto end = options_end(t);
      k.options = std::string(t.substr(0, end));
      t = trim(t.substr(end));
      // command="…" (quotes may hold commas and escaped quotes)
      auto at = k.options.find("command=\"");
      if (at != std::string::npos) {
        std::string cmd;
        for (std::size_t i = at + 9; i < k.options.size() && k.options[i] != '"'; ++i) {
          if (k.options[i] == '\\' && i + 1 < k.options.size()) ++i;
          cmd.push_back(k.options[i]);
        }
        k.forced_command = cmd;
      }
    }
    auto words = split_ws(t);
    if (words.size() < 2 || !is_key_type(words[0])) {
      out.errors.push_back({n, "expected [options] key-type base64-key [comment]"});
      return;
    }
    k.type = std::string(words[0]);
    if (words.size() > 2) k.comment = std::string(t.substr(static_cast<std::size_t>(words[2].data() - t.data())));
    out.rows.push_back(std::move(k));
  });
  return out;
}

std::vector<LineCommand> parse_udev_runs(std::string_view text) {
  std::vector<LineCommand> out;
  for_each_line(text, [&](std::string_view raw, std::size_t n) {
    auto t = trim(raw);
    if (comment_or_blank(t)) return;
    for (std::size_t at = t.find("RUN"); at != std::string_view::npos; at = t.find("RUN", at + 3)) {
      if (at > 0 && t[at - 1] != ' ' && t[at - 1] != ',' && t[at - 1] != '\t') continue;
      auto rest = t.substr(at + 3);
      if (rest.starts_with('{')) rest = rest.substr(std::min(rest.find('}') + 1, rest.size()));
      if (!rest.starts_with("+=") && !rest.starts_with("=")) continue;
      rest = rest.substr(rest.find('=') + 1);
      auto open = rest.find('"');
      if (open == std::string_view::npos) continue;
      auto close = rest.find('"', open + 1);
      if (close == std::string_view::npos) continue;
      out.push_back({n, std::string(rest.substr(open + 1, close - open - 1))});
    }
  });
  return out;
}

std::vector<LineCommand> parse_pam_modules(std::string_view text) {
  std::vector<LineCommand> out;
  for_each_line(text, [&](std::string_view raw, std::size_t n) {
    auto t = trim(raw);
    if (comment_or_blank(t) || t.starts_with('@')) return;  // @include names another stack
    auto words = split_ws(t);
    std::size_t i = 1;
    if (words.size() > 1 && words[1].starts_with('[')) {  // [success=1 default=ignore]
      while (i < words.size() && !words[i].ends_with(']')) ++i;
    }
    // "include" and "substack" name another stack file, not a module.
    if (words.size() > 1 && (words[1] == "include" || words[1] == "substack")) return;
    ++i;
    if (i < words.size()) out.push_back({n, std::string(words[i])});
  });
  return out;
}

std::vector<LineCommand> parse_modprobe_installs(std::string_view text) {
  std::vector<LineCommand> out;
  for_each_line(text, [&](std::string_view raw, std::size_t n) {
    auto t = trim(raw);
    auto words = split_ws(t);
    if (words.size() >= 3 && words[0] == "install")
      out.push_back({n, std::string(t.substr(static_cast<std::size_t>(words[2].data() - t.data())))});
  });
  return out;
}

std::vector<LineCommand> parse_module_list(std::string_view text) {
  std::vector<LineCommand> out;
  for_each_line(text, [&](std::string_view raw, std::size_t n) {
    auto t = trim(raw);
    if (comment_or_blank(t) || t.front() == ';') return;
    out.push_back({n, std::string(split_ws(t)[0])});
  });
  return out;
}

std::vector<LineCommand> parse_env_assignments(std::string_view text, std::string_view key) {
  std::vector<LineCommand> out;
  for_each_line(text, [&](std::string_view raw, std::size_t n) {
    auto t = trim(raw);
    if (t.starts_with("export ")) t = trim(t.substr(7));
    if (t.starts_with(key) && t.substr(key.size()).starts_with('='))
      out.push_back({n, unquote(t.substr(key.size() + 1))});
  });
  return out;
}

std::vector<LineCommand> parse_command_lines(std::string_view text) {
  std::vector<LineCommand> out;
  for_each_line(text, [&](std::string_view raw, std::size_t n) {
    auto t = trim(raw);
    if (!comment_or_blank(t)) out.push_back({n, printable(t)});
  });
  return out;
}

std::vector<LineCommand> parse_desktop_exec(std::string_view text) {
  std::vector<LineCommand> out;
  for_each_line(text, [&](std::string_view raw, std::size_t n) {
    auto t = trim(raw);
    if (t.starts_with("Exec=")) out.push_back({n, std::string(t.substr(5))});
  });
  return out;
}

}  // namespace vigil::collect
