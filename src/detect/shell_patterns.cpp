// Command-line patterns of remote shells and download-and-run, shared by the process and
// persistence detectors.
#include "detect/shell_patterns.hpp"

#include <algorithm>
#include <cctype>

#include "core/text.hpp"
#include "detect/paths.hpp"

namespace vigil::detect {

namespace {

bool contains(std::string_view hay, std::string_view needle) { return hay.find(needle) != std::string_view::npos; }

// netcat's listen/port options, or a bare port number.
bool has_port_argument(const std::vector<std::string>& argv) {
  for (std::size_t i = 1; i < argv.size(); ++i) {
    std::string_view a = argv[i];
    if (a == "-p" || (a.starts_with('-') && a.find('l') != std::string_view::npos && a.size() <= 5))
      return true;
    if (auto port = to_number<int>(a); port && *port > 0 && *port < 65536) return true;
  }
  return false;
}

}  // namespace

// Why the command line serves a shell over the network, or nullopt.
std::optional<std::string> reverse_shell_reason(const std::vector<std::string>& argv, std::string_view comm,
                                                std::string_view executable, std::string_view cmdline) {
  if (argv.empty()) return std::nullopt;
  const std::string prog = program_name(argv[0], comm);
  const std::string exe = basename_of(executable);
  const std::string cmd = ascii_lower(cmdline);
  const bool netcat = is_netcat_like(prog) || is_netcat_like(exe);
  for (std::size_t i = 1; i < argv.size(); ++i) {
    std::string_view a = argv[i];
    bool exec_flag = a == "-e" || a == "-c" || a == "--exec" || a == "--sh-exec" ||
                     a.starts_with("-e/") || a.starts_with("--exec=") ||
                     a.starts_with("--sh-exec=");
    if (netcat && exec_flag)
      return "netcat-style tool executes a program for its peer (" + std::string(a) + ")";
    // A renamed netcat still needs "-e /bin/sh" and a port: the option shape gives it away.
    if (a == "-e" && i + 1 < argv.size() && is_shell(basename_of(argv[i + 1])) &&
        has_port_argument(argv))
      return "serves a shell with -e " + argv[i + 1];
    if (netcat && (contains(ascii_lower(a), "exec:") || contains(ascii_lower(a), "system:")))
      return "socat connects the network to a program (" + std::string(a) + ")";
  }
  if ((is_shell(prog) || contains(cmd, "sh -c") || contains(cmd, "bash -c")) &&
      (contains(cmd, "/dev/tcp/") || contains(cmd, "/dev/udp/")))
    return "shell redirected to a /dev/tcp network connection";
  if (contains(cmd, "mkfifo") &&
      (contains(cmd, "nc ") || contains(cmd, "ncat ") || contains(cmd, "telnet ")) &&
      (contains(cmd, "/bin/sh") || contains(cmd, "/bin/bash") || contains(cmd, "sh -i")))
    return "named pipe loops a shell through netcat";
  if (is_interpreter(prog) && contains(cmd, "socket")) {
    for (std::string_view marker : {"subprocess", "pty.spawn", "os.dup2", "/bin/sh", "/bin/bash",
                                    "fsockopen", "proc_open", "tcpsocket", "sh -i", "exec("})
      if (contains(cmd, marker))
        return "scripting one-liner wires a socket to a shell (" + std::string(marker) + ")";
  }
  return std::nullopt;
}


std::vector<std::string> command_words(std::string_view command) {
  std::vector<std::string> out;
  for (auto w : split_ws(command)) {
    std::string word(w);
    if (word.size() >= 2 && (word.front() == '"' || word.front() == '\'') && word.back() == word.front())
      word = word.substr(1, word.size() - 2);
    out.push_back(std::move(word));
  }
  return out;
}

}  // namespace vigil::detect
