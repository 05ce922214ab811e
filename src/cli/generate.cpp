// vigil _generate: the manual pages and the bash and zsh completions, written from the same
// option definitions the commands parse (so they cannot drift). The build runs it; `make
// install` installs what it wrote. Hidden: it is for packaging, not for the administrator.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"

namespace vigil::cli {

namespace {

struct Node {
  std::vector<std::string> path;  // {"fim", "check"}
  const CLI::App* app;
};

// Every visible command, the root first, depth first.
void collect(const CLI::App* app, std::vector<std::string> path, std::vector<Node>& out) {
  out.push_back({path, app});
  for (const auto* sub : app->get_subcommands([](const CLI::App* a) { return !a->get_group().empty(); })) {
    auto next = path;
    next.push_back(sub->get_name());
    collect(sub, next, out);
  }
}

std::string joined(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

// roff text: backslashes escaped, a line starting with . or ' made literal.
std::string roff(std::string_view s) {
  std::string out;
  bool line_start = true;
  for (char c : s) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\') out += "\\e";
    else if (c == '-') out += "\\-";
    else out += c;
    line_start = c == '\n';
  }
  return out;
}

std::vector<const CLI::Option*> options_of(const CLI::App* app, bool positional) {
  std::vector<const CLI::Option*> out;
  for (const auto* o : app->get_options())
    if (o->get_positional() == positional && (positional || !o->get_lnames().empty() || !o->get_snames().empty()))
      out.push_back(o);
  return out;
}

std::string option_names(const CLI::Option* o) {
  std::vector<std::string> names;
  for (const auto& s : o->get_snames()) names.push_back("-" + s);
  for (const auto& l : o->get_lnames()) names.push_back("--" + l);
  return joined(names, ", ");
}

std::string page_name(const Node& n) { return n.path.empty() ? "vigil" : "vigil-" + joined(n.path, "-"); }

void write_man(const Node& n, const std::vector<Node>& all, const std::filesystem::path& dir) {
  std::ofstream out(dir / (page_name(n) + ".1"));
  std::string title = page_name(n);
  for (auto& c : title) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string command = n.path.empty() ? "vigil" : "vigil " + joined(n.path, " ");
  out << fmt::format(".TH {} 1 \"\" \"vigil {}\" \"vigil manual\"\n", title, VIGIL_VERSION);
  out << ".SH NAME\n" << roff(page_name(n)) << " \\- " << roff(n.app->get_description()) << "\n";
  out << ".SH SYNOPSIS\n.B " << roff(command) << "\n";
  if (!options_of(n.app, false).empty()) out << "[\\fIOPTIONS\\fR]";
  for (const auto* p : options_of(n.app, true)) out << " [\\fI" << roff(p->get_name()) << "\\fR]";
  std::vector<const Node*> children;
  for (const auto& m : all)
    if (m.path.size() == n.path.size() + 1 && std::equal(n.path.begin(), n.path.end(), m.path.begin()))
      children.push_back(&m);
  if (!children.empty()) out << " \\fICOMMAND\\fR";
  out << "\n.SH DESCRIPTION\n" << roff(n.app->get_description()) << "\n";
  if (!children.empty()) {
    out << ".SH COMMANDS\n";
    for (const auto* c : children)
      out << ".TP\n.B " << roff(c->path.back()) << "\n" << roff(c->app->get_description()) << " See \\fB"
          << roff(page_name(*c)) << "\\fR(1).\n";
  }
  auto positionals = options_of(n.app, true);
  if (!positionals.empty()) {
    out << ".SH ARGUMENTS\n";
    for (const auto* p : positionals) out << ".TP\n.I " << roff(p->get_name()) << "\n" << roff(p->get_description()) << "\n";
  }
  auto options = options_of(n.app, false);
  if (!options.empty()) {
    out << ".SH OPTIONS\n";
    for (const auto* o : options) {
      out << ".TP\n.B " << roff(option_names(o));
      if (o->get_type_size() != 0 && !o->get_type_name().empty()) out << " \\fI" << roff(o->get_type_name()) << "\\fR";
      out << "\n" << roff(o->get_description()) << "\n";
    }
  }
  if (!n.app->get_footer().empty()) out << ".SH EXIT STATUS\n" << roff(n.app->get_footer()) << "\n";
  out << ".SH SEE ALSO\n";
  if (!n.path.empty()) out << ".BR vigil (1)\n";
  out << "The README and docs/ of the vigil sources: every rule (docs/DETECTORS.md, docs/LOG_RULES.md, "
         "docs/AUDIT_CHECKS.md) and every table (docs/TABLES.md).\n";
}

// The words to offer after each command path: its subcommands and its options.
std::vector<std::pair<std::string, std::string>> completion_words(const std::vector<Node>& all) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& n : all) {
    std::vector<std::string> words;
    for (const auto& m : all)
      if (m.path.size() == n.path.size() + 1 && std::equal(n.path.begin(), n.path.end(), m.path.begin()))
        words.push_back(m.path.back());
    for (const auto* o : options_of(n.app, false))
      for (const auto& l : o->get_lnames()) words.push_back("--" + l);
    out.emplace_back(n.path.empty() ? "" : "/" + joined(n.path, "/"), joined(words, " "));
  }
  return out;
}

// "/fim|/fim/check|…": the command paths a shell case statement recognises.
std::string path_pattern(const std::vector<std::pair<std::string, std::string>>& words) {
  std::vector<std::string> paths;
  for (const auto& [path, w] : words)
    if (!path.empty()) paths.push_back(path);
  return joined(paths, "|");
}

std::string bash_completion(const std::vector<Node>& all) {
  auto words = completion_words(all);
  std::string out = "# bash completion for vigil; written by `vigil _generate bash` from the commands' own options\n"
                    "_vigil() {\n  local cur=\"${COMP_WORDS[COMP_CWORD]}\" cmd=\"\" i\n"
                    "  for ((i = 1; i < COMP_CWORD; i++)); do\n    case \"$cmd/${COMP_WORDS[i]}\" in\n      " +
                    path_pattern(words) + ") cmd=\"$cmd/${COMP_WORDS[i]}\" ;;\n    esac\n  done\n  local words=\"\"\n"
                    "  case \"$cmd\" in\n";
  for (const auto& [path, w] : words) out += fmt::format("    \"{}\") words=\"{}\" ;;\n", path, w);
  out += "  esac\n  # Option values and plain arguments: files (complete -o default).\n"
         "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n}\ncomplete -o default -F _vigil vigil\n";
  return out;
}

std::string zsh_completion(const std::vector<Node>& all) {
  auto words = completion_words(all);
  std::string out = "#compdef vigil\n# zsh completion for vigil; written by `vigil _generate zsh` from the commands' "
                    "own options\n_vigil() {\n  local cmd=\"\" i\n  local -a offer\n"  // not $path: zsh ties it to $PATH
                    "  for ((i = 2; i < CURRENT; i++)); do\n    case \"$cmd/${words[i]}\" in\n      (" +
                    path_pattern(words) + ") cmd=\"$cmd/${words[i]}\" ;;\n    esac\n  done\n  case \"$cmd\" in\n";
  for (const auto& [path, w] : words) out += fmt::format("    (\"{}\") offer=({}) ;;\n", path, w);
  out += "  esac\n  if [[ ${words[CURRENT]} == -* || ${#${offer:#--*}} -gt 0 ]]; then\n"
         "    compadd -- \"${offer[@]}\"\n  else\n    _files\n  fi\n}\n_vigil \"$@\"\n";
  return out;
}

}  // namespace

void add_generate_command(CLI::App& app, int& exit_code) {
  auto what = std::make_shared<std::string>();
  auto dir = std::make_shared<std::string>(".");
  auto* cmd = app.add_subcommand("_generate", "Write the manual pages or a shell completion (for packaging).");
  cmd->group("");  // hidden from --help
  cmd->add_option("what", *what, "man, bash or zsh")->required()->check(CLI::IsMember({"man", "bash", "zsh"}));
  cmd->add_option("--dir", *dir, "where the manual pages go (default .)");
  cmd->callback([&app, what, dir, &exit_code] {
    std::vector<Node> all;
    collect(&app, {}, all);
    if (*what == "bash") {
      std::cout << bash_completion(all);
    } else if (*what == "zsh") {
      std::cout << zsh_completion(all);
    } else {
      std::error_code ec;
      std::filesystem::create_directories(*dir, ec);
      for (const auto& n : all) write_man(n, all, *dir);
      std::cerr << fmt::format("vigil: {} manual pages in {}\n", all.size(), *dir);
    }
    exit_code = kExitClean;
  });
}

}  // namespace vigil::cli
