// Persistence collector: reads each start-up location through the root, hands the bytes
// to the parsers, and stamps each row with its file's owner, mtime and package.
#include "collect/persistence.hpp"

#include <dirent.h>

#include <algorithm>
#include <map>
#include <set>

#include "collect/persistence_parse.hpp"
#include "collect/script_patterns.hpp"
#include "core/text.hpp"

namespace vigil::collect {

namespace {

constexpr std::string_view kCollector = "persistence";
constexpr std::size_t kMaxCommand = 2000;  // a line kept as a row's command, in bytes

std::string capped(std::string_view text) {
  if (text.size() <= kMaxCommand) return std::string(text);
  return std::string(text.substr(0, kMaxCommand)) + "…";
}

class Collector {
 public:
  Collector(const Root& root, IssueLog& log) : root_(root), log_(log) {}

  // The file's text, or nullopt (a missing file is normal; anything else is logged).
  std::optional<std::string> read(const std::string& path) {
    // A unit linked to /dev/null is masked: switched off on purpose, nothing to read.
    if (auto target = root_.readlink(path); target && *target == "/dev/null") return std::nullopt;
    auto text = root_.read(path, std::size_t{16} << 20);
    if (!text) {
      if (!text.error().vanished() && text.error().code != ENOTDIR) log_.add(std::string(kCollector), text.error());
      return std::nullopt;
    }
    return std::move(*text);
  }
  // Regular files in a directory, sorted; `suffix` filters by name ending.
  std::vector<std::string> files_in(const std::string& dir, std::string_view suffix = "") {
    std::vector<std::string> out;
    auto entries = root_.list(dir);
    if (!entries) {
      if (!entries.error().vanished() && entries.error().code != ENOTDIR) log_.add(std::string(kCollector), entries.error());
      return out;
    }
    for (const auto& e : *entries)
      if (e.name.ends_with(suffix) && (e.type == DT_REG || e.type == DT_LNK || e.type == DT_UNKNOWN))
        out.push_back(dir + "/" + e.name);
    std::sort(out.begin(), out.end());
    return out;
  }
  void add(PersistenceRow row) { rows_.push_back(std::move(row)); }
  PersistenceRow row(std::string kind, const std::string& location, std::size_t line, std::string command,
                     std::string user = "", std::string detail = "") {
    PersistenceRow r;
    r.kind = std::move(kind);
    r.location = location;
    r.line = static_cast<std::int64_t>(line);
    r.command = capped(printable(command));
    r.user = std::move(user);
    r.detail = printable(detail);
    return r;
  }
  template <class Parse>
  void lines_of(const std::string& path, std::string_view kind, Parse parse, std::string user = "") {
    if (auto text = read(path))
      for (auto& c : parse(*text)) add(row(std::string(kind), path, c.line, c.command, user));
  }
  void whole_file(const std::string& path, std::string_view kind, std::string user = "") {
    add(row(std::string(kind), path, 0, path, std::move(user)));
  }
  // A script (or program) that is itself the item: one row for the file, and one for each of
  // its lines that match a start-up pattern (what it says, not only where it is). Programs
  // (ELF) are judged by where they are and who owns them.
  void script(const std::string& path, std::string_view kind, const std::string& user = "") {
    whole_file(path, kind, user);
    auto text = read(path);
    if (!text || text->starts_with("\x7f" "ELF")) return;
    std::set<std::size_t> lines;
    for (const auto& h : scan_script(*text)) lines.insert(h.line);
    if (lines.empty()) return;
    for_each_line(*text, [&](std::string_view line, std::size_t n) {
      if (lines.contains(n)) add(row(std::string(kind), path, n, std::string(trim(line)), user, "script line"));
    });
  }
  const Root& root() const { return root_; }
  IssueLog& log() { return log_; }
  std::vector<PersistenceRow>& rows() { return rows_; }

 private:
  const Root& root_;
  IssueLog& log_;
  std::vector<PersistenceRow> rows_;
};

void cron(Collector& c, const std::map<std::int64_t, std::string>& users) {
  auto system_tab = [&](const std::string& path) {
    if (auto text = c.read(path)) {
      auto parsed = parse_crontab(*text, true);
      for (const auto& e : parsed.errors) c.log().add(std::string(kCollector), c.root().display(path) + ":" + std::to_string(e.line), e.message);
      for (auto& e : parsed.rows) c.add(c.row("cron", path, e.line, e.command, e.user, e.schedule));
    }
  };
  system_tab("/etc/crontab");
  for (const auto& f : c.files_in("/etc/cron.d")) system_tab(f);
  for (std::string_view period : {"hourly", "daily", "weekly", "monthly", "yearly"})
    for (const auto& f : c.files_in("/etc/cron." + std::string(period))) c.script(f, "cron-script");
  for (const auto& f : c.files_in("/var/spool/cron/crontabs")) {
    if (auto text = c.read(f)) {
      auto parsed = parse_crontab(*text, false);
      for (auto& e : parsed.rows) c.add(c.row("cron", f, e.line, e.command, basename_of(f), e.schedule));
    }
  }
  for (const auto& f : c.files_in("/var/spool/cron/atjobs")) {
    if (f.ends_with("/.SEQ")) continue;  // atd's job counter
    auto text = c.read(f);
    if (!text) continue;
    auto job = parse_at_job(*text);
    std::string user = job.uid >= 0 ? std::to_string(job.uid) : "";
    if (auto it = users.find(job.uid); it != users.end()) user = it->second;
    if (job.body.empty()) c.whole_file(f, "at", user);
    for (auto& l : job.body) c.add(c.row("at", f, l.line, l.command, user));
  }
}

void systemd(Collector& c, const std::vector<std::string>& homes) {
  std::vector<std::string> dirs = {"/etc/systemd/system", "/run/systemd/system", "/usr/lib/systemd/system",
                                   "/lib/systemd/system", "/etc/systemd/user", "/usr/lib/systemd/user"};
  for (const auto& h : homes) dirs.push_back(h + "/.config/systemd/user");
  // Enabled = linked from a .wants or .requires directory under /etc (or the user's config).
  std::set<std::string> enabled;
  std::set<std::pair<dev_t, ino_t>> seen_dirs;  // /lib is /usr/lib on a merged-/usr system
  for (const auto& dir : dirs) {
    auto st = c.root().stat(dir);
    if (!st || !seen_dirs.insert({st->st_dev, st->st_ino}).second) continue;
    auto entries = c.root().list(dir);
    if (!entries) continue;
    for (const auto& e : *entries)
      if (e.name.ends_with(".wants") || e.name.ends_with(".requires"))
        if (auto links = c.root().list(dir + "/" + e.name))
          for (const auto& l : *links) enabled.insert(l.name);
  }
  seen_dirs.clear();
  for (const auto& dir : dirs) {
    auto st = c.root().stat(dir);
    if (!st || !seen_dirs.insert({st->st_dev, st->st_ino}).second) continue;
    std::string user;
    for (const auto& h : homes)
      if (dir.starts_with(h + "/")) user = basename_of(h);
    for (std::string_view suffix : {".service", ".timer", ".path", ".socket"}) {
      for (const auto& f : c.files_in(dir, suffix)) {
        auto text = c.read(f);
        if (!text) continue;
        std::string unit = basename_of(f);
        for (auto& cmd : parse_systemd_unit(*text)) {
          auto r = c.row("systemd", f, cmd.line, cmd.command, user, cmd.key);
          r.enabled = enabled.count(unit) > 0;
          c.add(std::move(r));
        }
      }
    }
  }
}

void init_and_profiles(Collector& c, const std::vector<std::pair<std::string, std::string>>& homes) {
  c.lines_of("/etc/rc.local", "rc-local", parse_command_lines);
  for (const auto& f : c.files_in("/etc/init.d"))
    if (!f.ends_with("/README") && !f.ends_with("/skeleton")) c.script(f, "init-script");
  for (std::string f : {"/etc/profile", "/etc/bash.bashrc", "/etc/zsh/zshrc", "/etc/zsh/zprofile"})
    c.lines_of(f, "shell-startup", parse_command_lines);
  for (const auto& f : c.files_in("/etc/profile.d")) c.lines_of(f, "shell-startup", parse_command_lines);
  for (const auto& [home, user] : homes)
    for (std::string_view rc : {".bashrc", ".profile", ".bash_profile", ".bash_login", ".bash_logout", ".zshrc"})
      c.lines_of(home + "/" + std::string(rc), "shell-startup", parse_command_lines, user);
  for (const auto& f : c.files_in("/etc/update-motd.d")) c.script(f, "motd");
  for (const auto& f : c.files_in("/etc/xdg/autostart", ".desktop")) c.lines_of(f, "xdg-autostart", parse_desktop_exec);
  for (const auto& [home, user] : homes)
    for (const auto& f : c.files_in(home + "/.config/autostart", ".desktop"))
      c.lines_of(f, "xdg-autostart", parse_desktop_exec, user);
}

// Programs systemd runs at boot and on every reload, before any unit: generators.
void generators(Collector& c, const std::vector<std::pair<std::string, std::string>>& homes) {
  std::vector<std::string> dirs;
  for (std::string_view scope : {"system", "user"})
    for (std::string_view base : {"/etc/systemd", "/run/systemd", "/usr/local/lib/systemd", "/usr/lib/systemd",
                                  "/lib/systemd"})
      dirs.push_back(std::string(base) + "/" + std::string(scope) + "-generators");
  for (const auto& [home, user] : homes) dirs.push_back(home + "/.config/systemd/user-generators");
  std::set<std::pair<dev_t, ino_t>> seen;  // /lib is /usr/lib on a merged-/usr system
  for (const auto& dir : dirs) {
    auto st = c.root().stat(dir);
    if (!st || !seen.insert({st->st_dev, st->st_ino}).second) continue;
    std::string user;
    for (const auto& [home, name] : homes)
      if (dir.starts_with(home + "/")) user = name;
    for (const auto& f : c.files_in(dir)) c.script(f, "systemd-generator", user);
  }
}

// Scripts NetworkManager runs as root when an interface changes; APT's hook commands.
void dispatchers_and_hooks(Collector& c) {
  for (std::string base : {"/etc/NetworkManager/dispatcher.d", "/usr/lib/NetworkManager/dispatcher.d"})
    for (std::string sub : {"", "/pre-up.d", "/pre-down.d", "/no-wait.d"})
      for (const auto& f : c.files_in(base + sub)) c.script(f, "nm-dispatcher");
  std::vector<std::string> apt = {"/etc/apt/apt.conf"};
  for (const auto& f : c.files_in("/etc/apt/apt.conf.d")) apt.push_back(f);
  for (const auto& f : apt)
    if (auto text = c.read(f))
      for (auto& h : parse_apt_hooks(*text)) c.add(c.row("apt-hook", f, h.line, h.command, "", h.option));
}

void preload_and_environment(Collector& c) {
  c.lines_of("/etc/ld.so.preload", "ld-preload", parse_command_lines);
  auto ld_preload = [](std::string_view text) { return parse_env_assignments(text, "LD_PRELOAD"); };
  c.lines_of("/etc/environment", "environment", ld_preload);
  for (const auto& f : c.files_in("/etc/environment.d", ".conf")) c.lines_of(f, "environment", ld_preload);
  for (const auto& f : c.files_in("/etc/profile.d")) c.lines_of(f, "environment", ld_preload);
}

// Keys where sshd_config's AuthorizedKeysFile says (and the default places); the programs
// sshd runs to find keys or instead of the user's shell.
void ssh_keys(Collector& c, const std::vector<UserRow>& users, const std::vector<std::pair<std::string, std::string>>& homes,
              const std::vector<SshdSettingRow>& sshd) {
  std::set<std::string> read;
  for (const auto& [home, user] : homes) {
    std::int64_t uid = -1;
    for (const auto& u : users)
      if (u.name == user) uid = u.uid;
    for (const auto& path : authorized_keys_paths(sshd, user, uid, home)) {
      if (!read.insert(path).second) continue;
      auto text = c.read(path);
      if (!text) continue;
      auto parsed = parse_authorized_keys(*text);
      for (const auto& e : parsed.errors) c.log().add(std::string(kCollector), c.root().display(path) + ":" + std::to_string(e.line), e.message);
      for (auto& k : parsed.rows) {
        auto r = c.row("authorized-key", path, k.line, k.forced_command, user, k.type + " " + k.comment);
        r.options = printable(k.options);
        c.add(std::move(r));
      }
    }
  }
  for (const auto& s : sshd) {
    bool runs = s.keyword == "authorizedkeyscommand" || s.keyword == "authorizedprincipalscommand" ||
                s.keyword == "forcecommand";
    if (!runs || s.value == "none" || s.value == "internal-sftp") continue;
    std::string detail = s.keyword == "forcecommand"            ? "ForceCommand"
                         : s.keyword == "authorizedkeyscommand" ? "AuthorizedKeysCommand"
                                                                : "AuthorizedPrincipalsCommand";
    if (!s.match.empty()) detail += " (Match " + s.match + ")";
    c.add(c.row("sshd-command", s.file, static_cast<std::size_t>(s.line), s.value, "", detail));
  }
}

void udev_pam_modules(Collector& c) {
  for (std::string dir : {"/etc/udev/rules.d", "/usr/lib/udev/rules.d", "/run/udev/rules.d"})
    for (const auto& f : c.files_in(dir, ".rules")) c.lines_of(f, "udev", parse_udev_runs);
  // PAM modules named without a path live in the multiarch security directory.
  std::vector<std::string> module_dirs;
  for (std::string d : {"/usr/lib/x86_64-linux-gnu/security", "/usr/lib/aarch64-linux-gnu/security",
                        "/lib/x86_64-linux-gnu/security", "/usr/lib64/security", "/usr/lib/security", "/lib/security"})
    if (c.root().stat(d)) module_dirs.push_back(d);
  for (const auto& f : c.files_in("/etc/pam.d")) {
    auto text = c.read(f);
    if (!text) continue;
    for (auto& m : parse_pam_stack(*text)) {
      std::string path = m.module;
      if (!path.starts_with('/'))
        for (const auto& d : module_dirs)
          if (c.root().lstat(d + "/" + m.module)) {
            path = d + "/" + m.module;
            break;
          }
      bool exists = path.starts_with('/') && c.root().stat(path).has_value();
      auto r = c.row("pam-module", f, m.line, path, "", exists ? m.module : m.module + " (missing)");
      std::string args;
      for (const auto& a : m.args) args += (args.empty() ? "" : " ") + a;
      r.options = printable(args);
      c.add(std::move(r));
      // What the module runs: pam_exec's program, pam_script's scripts.
      std::string name = basename_of(m.module);
      if (name == "pam_exec.so") {
        auto program = pam_exec_program(m.args);
        if (!program.command.empty())
          c.add(c.row("pam-exec", f, m.line, program.command, "",
                      m.type + " pam_exec" + (program.expose_authtok ? " expose_authtok" : "")));
      } else if (name == "pam_script.so") {
        std::string dir = "/usr/share/libpam-script";
        for (const auto& a : m.args)
          if (a.starts_with("dir=")) dir = a.substr(4);
        for (std::string_view script : {"pam_script_auth", "pam_script_acct", "pam_script_passwd",
                                        "pam_script_ses_open", "pam_script_ses_close"}) {
          std::string program = dir + "/" + std::string(script);
          if (!c.root().lstat(program)) continue;
          // The auth and passwd scripts are handed the password (PAM_AUTHTOK).
          bool authtok = script == "pam_script_auth" || script == "pam_script_passwd";
          c.add(c.row("pam-exec", f, m.line, program, "",
                      m.type + " pam_script" + (authtok ? " expose_authtok" : "")));
        }
      }
    }
  }
  for (std::string f : {"/etc/modules"}) c.lines_of(f, "kernel-module", parse_module_list);
  for (std::string dir : {"/etc/modules-load.d", "/usr/lib/modules-load.d"})
    for (const auto& f : c.files_in(dir, ".conf")) c.lines_of(f, "kernel-module", parse_module_list);
  for (std::string dir : {"/etc/modprobe.d", "/usr/lib/modprobe.d"})
    for (const auto& f : c.files_in(dir, ".conf")) c.lines_of(f, "modprobe-install", parse_modprobe_installs);
}

// Stamps file owner, mtime and symlink target, reading each file's metadata once.
void stamp_files(Collector& c) {
  struct Meta {
    std::int64_t uid = -1, mtime = 0, ctime = 0;
    std::string target;
  };
  std::map<std::string, Meta> meta;
  for (const auto& r : c.rows()) meta.try_emplace(r.location);
  for (auto& [f, m] : meta) {
    auto st = c.root().lstat(f);
    if (!st) continue;
    m.uid = st->st_uid;
    m.mtime = st->st_mtime;
    m.ctime = st->st_ctime;
    if (S_ISLNK(st->st_mode))
      if (auto link = c.root().readlink(f)) m.target = link->starts_with('/') ? *link : dirname_of(f) + "/" + *link;
  }
  for (auto& r : c.rows()) {
    const auto& m = meta[r.location];
    r.file_uid = m.uid;
    r.mtime = m.mtime;
    r.ctime = m.ctime;
    r.target = m.target;
  }
}

// PAM rows are judged by their module or program file, not the stack file that names it;
// symlinks by what they point to.
std::string judged_file(const PersistenceRow& r) {
  if (r.kind == "pam-module") return r.command;
  if (r.kind == "pam-exec" || r.kind == "sshd-command") return r.command.substr(0, r.command.find(' '));
  return r.target.empty() ? r.location : r.target;
}

}  // namespace

std::vector<PersistenceRow> collect_persistence(const Root& root, const std::vector<UserRow>& users,
                                                const std::vector<SshdSettingRow>& sshd, IssueLog& log) {
  Collector c(root, log);
  // Homes worth reading: real directories, each once (many system accounts share / or /nonexistent).
  std::vector<std::pair<std::string, std::string>> homes;
  std::vector<std::string> home_dirs;
  std::set<std::string> seen;
  for (const auto& u : users) {
    if (u.home.empty() || u.home == "/" || !u.home.starts_with('/') || !seen.insert(u.home).second) continue;
    auto st = root.stat(u.home);
    if (!st || !S_ISDIR(st->st_mode)) continue;
    homes.emplace_back(u.home, u.name);
    home_dirs.push_back(u.home);
  }
  std::map<std::int64_t, std::string> names;
  for (const auto& u : users) names.try_emplace(u.uid, u.name);
  cron(c, names);
  systemd(c, home_dirs);
  generators(c, homes);
  init_and_profiles(c, homes);
  dispatchers_and_hooks(c);
  preload_and_environment(c);
  ssh_keys(c, users, homes, sshd);
  udev_pam_modules(c);
  stamp_files(c);
  return std::move(c.rows());
}

std::vector<std::string> package_query_paths(const std::vector<PersistenceRow>& rows) {
  std::set<std::string> files;
  for (const auto& r : rows)
    if (auto f = judged_file(r); f.starts_with('/')) files.insert(std::move(f));
  return {files.begin(), files.end()};
}

void apply_packages(std::vector<PersistenceRow>& rows, const PathMap& owners) {
  for (auto& r : rows)
    if (auto it = owners.find(judged_file(r)); it != owners.end()) r.package = it->second;
}

std::vector<std::string> content_check_paths(const std::vector<PersistenceRow>& rows) {
  std::set<std::string> files;
  for (const auto& r : rows)
    if (auto f = judged_file(r); f.starts_with('/') && !scan_script(r.command).empty()) files.insert(std::move(f));
  return {files.begin(), files.end()};
}

void apply_verification(std::vector<PersistenceRow>& rows, const std::set<std::string, std::less<>>& wanted,
                        const std::set<std::string, std::less<>>& checked,
                        const std::set<std::string, std::less<>>& modified) {
  for (auto& r : rows) {
    auto f = judged_file(r);
    if (!wanted.contains(f)) continue;
    if (modified.contains(f))
      r.verify = "modified";
    else if (checked.contains(f))
      r.verify = "ok";
  }
}

}  // namespace vigil::collect
