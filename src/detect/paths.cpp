// Path and name classification.
#include "detect/paths.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/text.hpp"

namespace vigil::detect {

namespace {
template <std::size_t N>
bool one_of(std::string_view s, const std::array<std::string_view, N>& list) {
  return std::find(list.begin(), list.end(), s) != list.end();
}
// python3.11 -> python, php8.2 -> php: strip trailing version digits and dots.
std::string_view strip_version(std::string_view s) {
  while (!s.empty() && (std::isdigit(static_cast<unsigned char>(s.back())) || s.back() == '.'))
    s.remove_suffix(1);
  return s;
}
}  // namespace

bool in_temp_dir(std::string_view path) {
  static constexpr std::array<std::string_view, 8> kDirs = {
      "/tmp/",        "/var/tmp/",  "/dev/shm/",  "/run/shm/",
      "/dev/mqueue/", "/run/lock/", "/var/lock/", "/var/crash/"};
  return std::any_of(kDirs.begin(), kDirs.end(), [&](auto d) { return path.starts_with(d); });
}

bool has_hidden_dir(std::string_view path) {
  auto dir = path.substr(0, path.rfind('/'));
  return dir.find("/.") != std::string_view::npos;
}

Place place_of(std::string_view path) {
  if (in_temp_dir(path)) return Place::temp;
  if (!has_hidden_dir(path)) return Place::ordinary;
  // The first hidden component directly in /root or /home/USER: a home's dot-directory.
  std::string_view rest;
  if (path.starts_with("/root/")) rest = path.substr(6);
  else if (path.starts_with("/home/") && path.find('/', 6) != std::string_view::npos)
    rest = path.substr(path.find('/', 6) + 1);
  else return Place::hidden;
  return rest.starts_with('.') ? Place::home_dotdir : Place::hidden;
}

std::string_view place_text(Place p) {
  switch (p) {
    case Place::temp: return "a temporary, world-writable directory";
    case Place::hidden: return "a hidden directory";
    case Place::home_dotdir: return "a hidden directory in a home";
    case Place::ordinary: break;
  }
  return "an ordinary directory";
}

bool is_shell(std::string_view name) {
  static constexpr std::array<std::string_view, 11> kShells = {
      "sh", "bash", "dash", "zsh", "ksh", "csh", "tcsh", "fish", "ash", "mksh", "busybox"};
  return one_of(name, kShells);
}

bool is_interpreter(std::string_view name) {
  static constexpr std::array<std::string_view, 10> kInterp = {
      "python", "perl", "php", "ruby", "lua", "node", "nodejs", "tclsh", "awk", "gawk"};
  return one_of(strip_version(name), kInterp);
}

bool is_netcat_like(std::string_view name) {
  static constexpr std::array<std::string_view, 8> kNc = {
      "nc", "ncat", "netcat", "nc.traditional", "nc.openbsd", "socat", "pwncat", "cryptcat"};
  return one_of(name, kNc);
}

bool names_mining_pool(std::string_view command_line) {
  std::string cmd = ascii_lower(command_line);
  for (std::string_view scheme : {"stratum+tcp://", "stratum+ssl://", "stratum2+tcp://"})
    if (cmd.find(scheme) != std::string::npos) return true;
  return false;
}

bool is_network_service(std::string_view name) {
  static constexpr std::array<std::string_view, 16> kServices = {
      "apache2",      "httpd",  "nginx",  "lighttpd", "caddy",    "mysqld", "mariadbd", "postgres",
      "redis-server", "mongod", "tomcat", "uwsgi",    "gunicorn", "named",  "vsftpd",   "proftpd"};
  return one_of(name, kServices) || name.starts_with("php-fpm") || name.starts_with("php-cgi");
}

bool is_system_daemon_name(std::string_view name) {
  static constexpr std::array<std::string_view, 18> kDaemons = {
      "sshd",    "cron",        "crond",   "systemd", "init",  "rsyslogd",
      "syslogd", "dbus-daemon", "udevd",   "agetty",  "getty", "login",
      "atd",     "auditd",      "polkitd", "chronyd", "ntpd",  "kthreadd"};
  return one_of(name, kDaemons) || name.starts_with("systemd-");
}

std::string program_name(std::string_view argv0, std::string_view comm) {
  if (!argv0.empty()) {
    // Login shells are "-bash"; "sshd: user@pts/0" style titles keep the first word.
    auto first = argv0.substr(0, argv0.find_first_of(" :"));
    auto base = basename_of(first);
    if (base.starts_with('-')) base.erase(0, 1);
    if (!base.empty()) return base;
  }
  return std::string(comm);
}

}  // namespace vigil::detect
