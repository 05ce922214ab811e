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
    if (key.starts_with("Exec") && (section == "[Service]" || section == "[Socket]")) {
      while (!value.empty() && std::string_view("-@:+!").find(value.front()) != std::string_view::npos)
        value.remove_prefix(1);
      if (!value.empty()) out.push_back({n, std::string(key), std::string(value)});
    } else if (key == "Environment" && value.find("LD_PRELOAD=") != std::string_view::npos) {
      out.push_back({n, "Environment", std::string(value)});
    } else if (key == "Unit" && (section == "[Timer]" || section == "[Path]")) {
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

namespace {

// PAM's own word splitting: blanks separate words, except inside [ ] (a control, or an
// argument holding blanks, written [like this] with \] for a literal bracket).
std::vector<std::string> pam_words(std::string_view t) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < t.size()) {
    while (i < t.size() && std::isspace(static_cast<unsigned char>(t[i]))) ++i;
    if (i >= t.size()) break;
    std::string w;
    if (t[i] == '[') {
      std::size_t j = i + 1;
      for (; j < t.size() && t[j] != ']'; ++j) {
        if (t[j] == '\\' && j + 1 < t.size() && t[j + 1] == ']') ++j;
        w.push_back(t[j]);
      }
      out.push_back("[" + w + "]");
      i = j + 1;
      continue;
    }
    while (i < t.size() && !std::isspace(static_cast<unsigned char>(t[i]))) w.push_back(t[i++]);
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace

std::vector<PamEntry> parse_pam_stack(std::string_view text) {
  std::vector<PamEntry> out;
  for_each_line(text, [&](std::string_view raw, std::size_t n) {
    auto t = trim(raw);
    if (comment_or_blank(t) || t.starts_with('@')) return;  // @include names another stack
    auto words = pam_words(t);
    if (words.size() < 3) return;
    // "include" and "substack" name another stack file, not a module.
    if (words[1] == "include" || words[1] == "substack") return;
    PamEntry e;
    e.line = n;
    e.type = words[0].starts_with('-') ? words[0].substr(1) : words[0];
    e.control = words[1];
    e.module = words[2];
    e.args.assign(words.begin() + 3, words.end());
    out.push_back(std::move(e));
  });
  return out;
}

PamExecProgram pam_exec_program(const std::vector<std::string>& args) {
  PamExecProgram p;
  std::size_t i = 0;
  // pam_exec's options come first: debug, expose_authtok, seteuid, quiet, quiet_log, stdout,
  // log=FILE, type=TYPE; the first other word is the program.
  for (; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a == "expose_authtok") p.expose_authtok = true;
    else if (a == "debug" || a == "seteuid" || a == "quiet" || a == "quiet_log" || a == "stdout" ||
             a.starts_with("log=") || a.starts_with("type="))
      continue;
    else
      break;
  }
  for (; i < args.size(); ++i) p.command += (p.command.empty() ? "" : " ") + args[i];
  return p;
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

AtJob parse_at_job(std::string_view text) {
  AtJob job;
  std::string marker;     // the here-document's end marker, once its opening line is seen
  bool in_body = false, found_marker = false;
  std::vector<LineCommand> unmarked;  // lines after the preamble, for an at without a marker
  for_each_line(text, [&](std::string_view raw, std::size_t n) {
    auto t = trim(raw);
    if (t.starts_with("# atrun uid="))
      if (auto words = split_ws(t.substr(12)); !words.empty()) job.uid = to_number<std::int64_t>(words[0]).value_or(-1);
    if (in_body) {
      if (t == marker) {
        in_body = false;
        return;
      }
      if (!comment_or_blank(t)) job.body.push_back({n, printable(t)});
      return;
    }
    if (found_marker) return;
    // ${SHELL:-/bin/sh} << 'marcinDELIMITER1a2b3c4d'
    if (auto at = t.find("<< "); at != std::string_view::npos && t.starts_with("${SHELL")) {
      marker = unquote(t.substr(at + 3));
      in_body = found_marker = !marker.empty();
      return;
    }
    if (comment_or_blank(t) || t.starts_with("umask ") || t == "}" || t.starts_with("cd ") ||
        t.starts_with("echo 'Execution directory inaccessible'") || t == "exit 1")
      return;
    // NAME=value; export NAME: the submitter's environment, not the job.
    if (auto eq = t.find('='); eq != std::string_view::npos && t.find("; export ") != std::string_view::npos) {
      bool identifier = eq > 0;
      for (char ch : t.substr(0, eq)) identifier = identifier && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_');
      if (identifier) return;
    }
    unmarked.push_back({n, printable(t)});
  });
  if (!found_marker) job.body = std::move(unmarked);
  return job;
}

namespace {

// The options whose values APT hands to the shell.
bool apt_hook_option(std::string_view option) {
  std::string lower = ascii_lower(option);
  while (lower.ends_with(':')) lower.pop_back();
  for (std::string_view hook : {"::pre-invoke", "::post-invoke", "::post-invoke-success", "::post-invoke-failure",
                                "::pre-install-pkgs"})
    if (lower.ends_with(hook)) return true;
  return false;
}

}  // namespace

std::vector<AptHook> parse_apt_hooks(std::string_view text) {
  std::vector<AptHook> out;
  std::vector<std::string> scopes;  // enclosing "Name {" blocks, each possibly "A::B"
  std::string name;                 // the option named since the last ';', '{' or '}'
  std::size_t line = 1;
  auto option = [&] {
    std::string key;
    for (const auto& s : scopes) key += (key.empty() ? "" : "::") + s;
    if (!name.empty()) key += (key.empty() ? "" : "::") + name;
    return key;
  };
  for (std::size_t i = 0; i < text.size();) {
    char c = text[i];
    if (c == '\n') {
      ++line;
      ++i;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (text.substr(i).starts_with("//") || (c == '#' && name.empty())) {  // to the end of the line
      i = std::min(text.find('\n', i), text.size());
    } else if (text.substr(i).starts_with("/*")) {
      auto end = text.find("*/", i + 2);
      end = end == std::string_view::npos ? text.size() : end + 2;
      for (; i < end; ++i) line += text[i] == '\n';
    } else if (c == '"') {
      auto end = text.find('"', i + 1);
      if (end == std::string_view::npos) end = text.size();
      std::size_t at = line;
      std::string value(text.substr(i + 1, end - i - 1));
      for (char v : value) line += v == '\n';
      if (auto key = option(); apt_hook_option(key)) {
        while (key.ends_with(':')) key.pop_back();  // "Name:: value" appends to the list Name
        out.push_back({at, key, printable(value)});
      }
      i = std::min(end + 1, text.size());
    } else if (c == '{') {
      scopes.push_back(name);
      name.clear();
      ++i;
    } else if (c == '}') {
      if (!scopes.empty()) scopes.pop_back();
      name.clear();
      ++i;
    } else if (c == ';') {
      name.clear();
      ++i;
    } else {
      std::size_t end = i;
      while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])) &&
             std::string_view("{};\"").find(text[end]) == std::string_view::npos)
        ++end;
      name = std::string(text.substr(i, end - i));
      i = end;
    }
  }
  return out;
}

}  // namespace vigil::collect
