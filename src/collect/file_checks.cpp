// File checks: bounded walks through the root, each file judged from its metadata (and its
// first four bytes where the ELF magic matters). Nothing is written and no atime changes.
#include "collect/file_checks.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <set>
#include <thread>

#include "collect/file_capabilities.hpp"
#include "collect/logrotate_parse.hpp"
#include "collect/script_patterns.hpp"
#include "collect/walk.hpp"
#include "core/hash.hpp"
#include "core/text.hpp"

namespace vigil::collect {

namespace {

constexpr std::string_view kCollector = "files";

bool starts_with_elf(const Root& root, const std::string& path) {
  auto fd = root.open_file(path);
  if (!fd) return false;
  char magic[4] = {};
  return ::pread(fd->get(), magic, 4, 0) == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' &&
         magic[3] == 'F';
}

FileCheckRow row_for(std::string check, const std::string& path, const struct stat& st, std::string detail) {
  FileCheckRow r;
  r.check = std::move(check);
  r.path = printable(path);
  r.detail = std::move(detail);
  r.mode = st.st_mode;
  r.uid = st.st_uid;
  r.size = st.st_size;
  r.mtime = st.st_mtime;
  r.ctime = st.st_ctime;
  return r;
}

// Extensions a web server hands to an interpreter.
bool server_script(std::string_view name) {
  auto dot = name.rfind('.');
  if (dot == std::string_view::npos) return false;
  std::string ext = ascii_lower(name.substr(dot + 1));
  static const std::set<std::string, std::less<>> kServer = {
      "php", "php3", "php4", "php5", "php7", "php8", "phtml", "phar", "pht", "inc", "jsp", "jspx",
      "asp", "aspx", "ashx", "asmx", "cfm", "cgi", "pl"};
  return kServer.contains(ext);
}

// Document roots named in nginx, Apache and lighttpd configuration (root, DocumentRoot,
// server.document-root), as absolute paths.
std::vector<std::string> configured_web_roots(const Root& root) {
  std::vector<std::string> files = {"/etc/nginx/nginx.conf", "/etc/apache2/apache2.conf", "/etc/httpd/conf/httpd.conf",
                                    "/etc/lighttpd/lighttpd.conf"};
  for (std::string dir : {"/etc/nginx/sites-enabled", "/etc/nginx/conf.d", "/etc/apache2/sites-enabled",
                          "/etc/apache2/conf-enabled", "/etc/httpd/conf.d"})
    if (auto entries = root.list(dir))
      for (const auto& e : *entries) files.push_back(dir + "/" + e.name);
  std::set<std::string> roots;
  for (const auto& f : files) {
    auto text = root.read(f, std::size_t{1} << 20);
    if (!text) continue;
    for_each_line(*text, [&](std::string_view raw, std::size_t) {
      auto words = split_ws(trim(raw));
      if (words.size() < 2 || words[0].starts_with('#')) return;
      std::string_view value;
      if (words[0] == "root" || words[0] == "DocumentRoot") value = words[1];
      else if (words[0] == "server.document-root" && words.size() >= 3) value = words[2];
      else return;
      std::string path(value);
      while (!path.empty() && (path.back() == ';' || path.back() == '"' || path.back() == '\'')) path.pop_back();
      while (!path.empty() && (path.front() == '"' || path.front() == '\'')) path.erase(0, 1);
      while (path.size() > 1 && path.back() == '/') path.pop_back();
      // Variables ($document_root, ${APACHE_ROOT}) cannot be resolved without running anything.
      if (path.starts_with('/') && path != "/" && path.find('$') == std::string::npos) roots.insert(path);
    });
  }
  return {roots.begin(), roots.end()};
}

class FileCollector {
 public:
  FileCollector(const Root& root, const FileCheckOptions& opts, IssueLog& log)
      : root_(root), since_days_(opts.since_days), cutoff_(opts.now - opts.since_days * 86400), log_(log) {}

  // System directories: recently changed files, and setuid/setgid programs.
  void system_dirs() {
    const std::array<std::pair<std::string_view, int>, 10> dirs = {{{"/etc", 8},
                                                                     {"/bin", 2},
                                                                     {"/sbin", 2},
                                                                     {"/usr/bin", 2},
                                                                     {"/usr/sbin", 2},
                                                                     {"/usr/libexec", 4},
                                                                     {"/usr/lib", 12},
                                                                     {"/lib", 12},
                                                                     {"/lib64", 4},
                                                                     {"/boot", 3}}};
    for (auto [dir, depth] : dirs)
      walk_once(std::string(dir), depth, [&](const WalkEntry& e) {
        if (!S_ISREG(e.st.st_mode)) return true;
        setuid(e);
        capability(e);
        std::int64_t changed = std::max<std::int64_t>(e.st.st_mtime, e.st.st_ctime);
        const bool recent = since_days_ > 0 && changed >= cutoff_;
        // A program whose mtime is days before its inode last changed: copied with its old
        // times kept, or backdated (touch -r). Packaged ones are dropped once ownership is known
        // (dpkg keeps the package's mtimes, so all of them look like this).
        if (!recent && (e.st.st_mode & 0111) && is_program_dir(e.path) && e.st.st_ctime > e.st.st_mtime + 86400)
          rows_.push_back(row_for("backdated-program", e.path, e.st,
                                  fmt::format("mtime {} days before its inode changed",
                                              (e.st.st_ctime - e.st.st_mtime) / 86400)));
        if (recent) {
          auto r = row_for("recent-system-file", e.path, e.st,
                           e.st.st_ctime > e.st.st_mtime + 60 ? "changed (ctime) after its mtime: metadata or content "
                                                               "changed and the mtime was set back"
                                                             : "modified recently");
          r.elf = starts_with_elf(root_, e.path);
          rows_.push_back(std::move(r));
        }
        return true;
      });
  }

  // Temporary, home and web directories: odd names, hidden directories with programs,
  // disguised programs, setuid files; in web roots, server-side scripts that are web shells.
  void user_writable_dirs(const std::vector<UserRow>& users) {
    std::vector<std::pair<std::string, int>> dirs = {{"/tmp", 8},    {"/var/tmp", 8}, {"/dev/shm", 8},
                                                     {"/var/www", 10}, {"/srv", 8},    {"/usr/share/nginx", 4},
                                                     {"/opt", 4}};
    std::set<std::string> homes;
    for (const auto& u : users)
      if (u.home.starts_with("/home/") || u.home == "/root") homes.insert(u.home);
    for (const auto& h : homes) dirs.emplace_back(h, 3);
    // Web roots the servers' configurations name, unless one of the directories above holds them.
    std::vector<std::string> web = {"/var/www", "/srv", "/usr/share/nginx"};
    for (auto& r : configured_web_roots(root_)) {
      bool covered = false;
      for (const auto& [d, depth] : dirs) covered = covered || r == d || r.starts_with(d + "/");
      if (!covered) dirs.emplace_back(r, 10);
      web.push_back(std::move(r));
    }
    for (const auto& [dir, depth] : dirs) {
      const bool temp = dir == "/tmp" || dir == "/var/tmp" || dir == "/dev/shm";
      bool web_root = false;
      for (const auto& w : web) web_root = web_root || dir == w || dir.starts_with(w + "/");
      walk_once(dir, depth, [&](const WalkEntry& e) {
        if (e.depth == 0) return true;
        std::string name = basename_of(e.path);
        if (auto why = suspicious_name_reason(name); !why.empty())
          rows_.push_back(row_for("suspicious-name", e.path, e.st, why));
        if (S_ISDIR(e.st.st_mode)) {
          // Home directories are full of dot directories; in temp space they are hiding places.
          // Toolboxes sit right in the temp directory (/tmp/.x); a .git deeper down is a checkout.
          if (temp && e.depth == 1 && name.starts_with('.') && !name.starts_with(".X") && !name.starts_with(".ICE") &&
              !name.starts_with(".font-unix") && !name.starts_with(".Test-unix"))
            hidden_dirs_.push_back(e.path);
          // Toolchains and caches in homes are not worth descending far into.
          return !(name == ".cache" || name == ".cargo" || name == ".rustup" || name == ".pyenv" || name == ".npm" ||
                   name == "node_modules" || name == ".git");
        }
        if (!S_ISREG(e.st.st_mode)) return true;
        setuid(e);
        capability(e);
        if (data_extension(name) && starts_with_elf(root_, e.path))
          rows_.push_back(row_for("elf-disguised", e.path, e.st, "an ELF program named like a data file"));
        if (web_root && server_script(name)) web_shell(e);
        return true;
      });
    }
    for (const auto& dir : hidden_dirs_) {
      std::size_t programs = 0;
      struct stat first{};
      walk_once(dir, 3, [&](const WalkEntry& e) {
        if (S_ISREG(e.st.st_mode) && ((e.st.st_mode & 0111) || starts_with_elf(root_, e.path))) {
          if (programs++ == 0) first = e.st;
        }
        return true;
      });
      if (programs > 0)
        rows_.push_back(row_for("hidden-dir-programs", dir, first,
                                std::to_string(programs) + " executable file(s) in a hidden directory in temporary space"));
    }
  }

  // Shell history files sent to /dev/null, or emptied: the sessions leave no record.
  void history_files(const std::vector<UserRow>& users) {
    std::set<std::string> homes;
    for (const auto& u : users)
      if (u.login_shell && u.home.starts_with('/') && u.home != "/") homes.insert(u.home);
    for (const auto& home : homes)
      for (std::string_view name : {".bash_history", ".zsh_history", ".sh_history", ".ash_history", ".history"}) {
        std::string path = home + "/" + std::string(name);
        auto st = root_.lstat(path);
        if (!st) continue;
        if (S_ISLNK(st->st_mode)) {
          auto target = root_.readlink(path);
          if (target && (*target == "/dev/null" || target->starts_with("/dev/")))
            rows_.push_back(row_for("history-to-null", path, *st, "a symbolic link to " + printable(*target)));
        } else if (S_ISCHR(st->st_mode)) {
          rows_.push_back(row_for("history-to-null", path, *st, "a device node, not a file"));
        } else if (S_ISREG(st->st_mode) && st->st_size == 0) {
          rows_.push_back(row_for("history-empty", path, *st, "an empty history file"));
        }
      }
  }

  // Logs logrotate rotates that are gone while their rotated copies remain: deleted, not
  // rotated (logrotate recreates the file, or truncates it in place with copytruncate).
  void rotated_logs() {
    std::vector<std::string> configs = {"/etc/logrotate.conf"};
    if (auto entries = root_.list("/etc/logrotate.d"))
      for (const auto& e : *entries) configs.push_back("/etc/logrotate.d/" + e.name);
    std::set<std::string> seen;
    for (const auto& config : configs) {
      auto text = root_.read(config, std::size_t{1} << 20);
      if (!text) continue;
      for (const auto& entry : parse_logrotate(*text))
        for (const auto& path : entry.paths) {
          if (path.find_first_of("*?[") != std::string::npos || !seen.insert(path).second) continue;
          if (auto st = root_.lstat(path)) {
            // logrotate makes a new file (unless told copytruncate): one emptied since it was
            // made was truncated in place - by hand, to remove what it held.
            if (!S_ISREG(st->st_mode) || st->st_size != 0 || entry.copytruncate) continue;
            auto born = root_.birth_time(path);
            if (born && *born > 0 && st->st_mtime > *born + 3600)
              rows_.push_back(row_for("log-emptied", path, *st,
                                      fmt::format("empty, written {} s after it was created; {}:{} rotates it "
                                                  "by making a new file",
                                                  st->st_mtime - *born, config, entry.line)));
            continue;
          }
          for (std::string_view suffix : {".1", ".1.gz", ".1.xz", ".1.zst", ".2.gz"})
            if (auto rotated = root_.lstat(path + std::string(suffix)); rotated && S_ISREG(rotated->st_mode)) {
              rows_.push_back(row_for("log-missing", path, *rotated,
                                      fmt::format("{}:{} rotates it, and {}{} is there", config, entry.line,
                                                  basename_of(path), suffix)));
              break;
            }
        }
    }
  }

  // /dev holds device nodes; a regular file or a hidden directory there is planted.
  void dev() {
    walk_once("/dev", 4, [&](const WalkEntry& e) {
      if (e.depth == 0) return true;
      std::string name = basename_of(e.path);
      if (S_ISREG(e.st.st_mode)) rows_.push_back(row_for("dev-file", e.path, e.st, "a regular file under /dev"));
      if (S_ISDIR(e.st.st_mode) && name.starts_with('.'))
        rows_.push_back(row_for("dev-file", e.path, e.st, "a hidden directory under /dev"));
      return true;
    });
  }

  // Anyone who can write into root's PATH can replace a command root runs.
  void path_dirs() {
    for (std::string dir : {"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"}) {
      auto st = root_.lstat(dir);
      if (!st || !S_ISDIR(st->st_mode)) continue;
      if ((st->st_mode & S_IWOTH) && !(st->st_mode & S_ISVTX))
        rows_.push_back(row_for("world-writable-path", dir, *st, "a directory on root's PATH that anyone can write"));
      // /usr/local is walked nowhere else: its programs' capabilities are asked here.
      const bool local = dir.starts_with("/usr/local/");
      auto entries = root_.list_stat(dir, local);
      if (!entries) continue;
      for (const auto& e : *entries) {
        std::string path = dir + "/" + e.name;
        if (!S_ISLNK(e.st.st_mode) && (e.st.st_mode & S_IWOTH))
          rows_.push_back(row_for("world-writable-path", path, e.st, "a command on root's PATH that anyone can modify"));
        if (local) capability({path, e.st, 1, e.capabilities});
      }
    }
  }

  std::vector<FileCheckRow>& rows() { return rows_; }

 private:
  void setuid(const WalkEntry& e) {
    if (!(e.st.st_mode & (S_ISUID | S_ISGID)) || reported_setuid_.count({e.st.st_dev, e.st.st_ino})) return;
    reported_setuid_.insert({e.st.st_dev, e.st.st_ino});
    auto r = row_for("setuid", e.path, e.st, (e.st.st_mode & S_ISUID) ? "set-user-ID program" : "set-group-ID program");
    r.elf = starts_with_elf(root_, e.path);
    rows_.push_back(std::move(r));
  }
  // A server-side script whose text hands a request to an evaluator or a shell, decodes code
  // and runs it, or serves a shell: the strongest pattern, and its line.
  void web_shell(const WalkEntry& e) {
    constexpr std::size_t kMaxScript = std::size_t{4} << 20;  // larger files are bundles, not shells
    if (e.st.st_size <= 0 || static_cast<std::size_t>(e.st.st_size) > kMaxScript) return;
    auto text = root_.read(e.path, kMaxScript);
    if (!text) {
      if (!text.error().vanished()) log_.add(std::string(kCollector), text.error());
      return;
    }
    const ScriptHit* best = nullptr;
    auto rank = [](ScriptTrait t) {
      switch (t) {
        case ScriptTrait::web_shell: return 3;
        case ScriptTrait::reverse_shell: return 3;
        case ScriptTrait::download_exec: return 2;
        case ScriptTrait::decode_exec: return 1;
        default: return 0;  // temp paths and history settings mean nothing in a web page
      }
    };
    auto hits = scan_script(*text);
    for (const auto& h : hits)
      if (rank(h.pattern->trait) > 0 && (!best || rank(h.pattern->trait) > rank(best->pattern->trait))) best = &h;
    if (!best) return;
    rows_.push_back(row_for("web-shell", e.path, e.st,
                            std::string(best->pattern->id) + " at line " + std::to_string(best->line) + ": " +
                                std::string(best->pattern->what)));
  }
  // File capabilities act when the file is executed: only executable files are asked.
  void capability(const WalkEntry& e) {
    if (!e.capabilities) return;
    auto fd = root_.open_file(e.path, O_NONBLOCK);
    if (!fd) return;
    auto caps = file_capabilities(fd->get());
    if (caps.empty()) return;
    auto r = row_for("capability", e.path, e.st, caps);
    r.elf = starts_with_elf(root_, e.path);
    rows_.push_back(std::move(r));
  }
  // Walks a directory unless it is one already walked (/bin is /usr/bin on merged /usr).
  void walk_once(const std::string& dir, int depth, const std::function<bool(const WalkEntry&)>& visit) {
    auto st = root_.stat(dir);
    if (!st || !S_ISDIR(st->st_mode) || !walked_.insert({st->st_dev, st->st_ino}).second) return;
    WalkLimits limits;
    limits.max_depth = depth;
    limits.max_entries = 400000;
    limits.capabilities = true;
    // Walk the directory the symlink names, so /bin -> usr/bin is read once, as /usr/bin.
    auto real = dir;
    if (auto link = root_.readlink(dir); link) {
      std::string parent = dirname_of(dir);
      real = link->starts_with('/') ? *link : (parent == "/" ? "" : parent) + "/" + *link;
    }
    walk(root_, real, limits, kCollector, log_, visit);
  }

  const Root& root_;
  std::int64_t since_days_;  // 0: no recency checks
  std::int64_t cutoff_;
  IssueLog& log_;
  std::vector<FileCheckRow> rows_;
  std::vector<std::string> hidden_dirs_;
  std::set<std::pair<dev_t, ino_t>> walked_, reported_setuid_;
};

}  // namespace

bool is_program_dir(std::string_view path) {
  for (std::string_view d : {"/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/", "/usr/libexec/", "/usr/local/bin/",
                             "/usr/local/sbin/"})
    if (path.starts_with(d)) return true;
  return false;
}

std::string suspicious_name_reason(std::string_view name) {
  if (name.empty()) return {};
  if (name.find_first_not_of('.') == std::string_view::npos && name.size() >= 3) return "a name of only dots";
  if (name.find_first_not_of(' ') == std::string_view::npos) return "a name of only blanks";
  if (name.starts_with(". ") || name.starts_with(".. ") || name.back() == ' ')
    return "a name built to look like . or .. or to hide a trailing blank";
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f) return "a name with control characters";
  return {};
}

bool data_extension(std::string_view name) {
  auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  std::string ext = ascii_lower(name.substr(dot + 1));
  static const std::set<std::string, std::less<>> kData = {"jpg", "jpeg", "png", "gif", "bmp", "ico", "svg",
                                                           "txt", "css", "js",  "html", "htm", "pdf", "log",
                                                           "dat", "doc", "mp3", "mp4", "avi", "csv", "xml", "json"};
  return kData.count(ext) > 0;
}

std::vector<FileCheckRow> collect_file_checks(const Root& root, const std::vector<UserRow>& users,
                                              const FileCheckOptions& opts, IssueLog& log) {
  // The system directories (80,000 entries on a desktop-sized install) on one core, the rest
  // on another. Setuid files are deduplicated per collector, and the two sets of roots do not overlap.
  IssueLog system_log;
  FileCollector system(root, opts, system_log);
  FileCollector rest(root, opts, log);
  {
    std::jthread worker([&] { system.system_dirs(); });
    rest.user_writable_dirs(users);
    rest.history_files(users);
    rest.rotated_logs();
    rest.dev();
    rest.path_dirs();
  }
  for (auto& i : system_log.issues()) log.issues().push_back(std::move(i));
  auto rows = std::move(system.rows());
  std::move(rest.rows().begin(), rest.rows().end(), std::back_inserter(rows));
  return rows;
}

std::vector<std::string> package_query_paths(const std::vector<FileCheckRow>& rows) {
  std::set<std::string> paths;
  for (const auto& r : rows)
    if (r.package.empty()) paths.insert(r.path);
  return {paths.begin(), paths.end()};
}

void apply_packages(std::vector<FileCheckRow>& rows, const PathMap& owners) {
  for (auto& r : rows)
    if (auto it = owners.find(r.path); it != owners.end() && r.package.empty()) r.package = it->second;
  std::erase_if(rows, [](const FileCheckRow& r) {
    return (r.check == "recent-system-file" || r.check == "backdated-program") && !r.package.empty();
  });
}

std::vector<std::string> copy_query_md5s(const Root& root, std::vector<FileCheckRow>& rows, IssueLog& log) {
  std::set<std::string> md5s;
  for (auto& r : rows) {
    if (r.check != "setuid" || !r.package.empty()) continue;
    auto fd = root.open_file(r.path);
    if (!fd) continue;
    if (auto d = hash_fd(fd->get(), root.display(r.path))) {
      r.md5 = d->md5;
      md5s.insert(d->md5);
    } else {
      log.add(std::string(kCollector), d.error());
    }
  }
  return {md5s.begin(), md5s.end()};
}

void apply_copies(std::vector<FileCheckRow>& rows, const PathMap& copies) {
  for (auto& r : rows)
    if (auto it = copies.find(r.md5); r.check == "setuid" && it != copies.end() && !r.md5.empty())
      r.copy_of = it->second;
}

bool commonly_trojaned(std::string_view path) {
  // chkrootkit's list of commands rootkits replace (its TROJAN variable), with today's
  // additions (ss, ip, systemd, sudo, the checksum tools an investigator would use), and the
  // PAM modules.
  static const std::set<std::string, std::less<>> kNames = {
      "amd",      "basename", "biff",     "chfn",     "chsh",      "cron",     "crond",   "date",     "du",
      "dirname",  "echo",     "egrep",    "env",      "find",      "fingerd",  "gpm",     "grep",     "hdparm",
      "su",       "ifconfig", "inetd",    "identd",   "init",      "killall",  "login",   "ls",       "lsof",
      "mail",     "mingetty", "netstat",  "named",    "passwd",    "pidof",    "ps",      "pstree",   "rpcinfo",
      "rlogind",  "rshd",     "slogin",   "sendmail", "sshd",      "syslogd",  "rsyslogd", "tar",     "tcpd",
      "tcpdump",  "top",      "telnetd",  "timed",    "traceroute", "vdir",    "w",       "write",    "ss",
      "ip",       "systemd",  "sudo",     "bash",     "dash",      "sh",       "md5sum",  "sha256sum", "stat",
      "strings",  "who",      "last",     "lastlog",  "crontab",   "ssh",      "scp",     "df",       "file",
      "ldd",      "kill",     "pgrep",    "pkill",    "xinetd",    "dmesg",    "lsmod",   "insmod",   "modprobe",
      "rmmod",    "kmod",     "nologin",  "getty",    "agetty"};
  auto slash = path.rfind('/');
  auto name = path.substr(slash + 1);
  // PAM modules (pam_unix.so backdoored to accept a master password, or to log passwords).
  if (name.starts_with("pam_") && name.ends_with(".so") && path.substr(0, slash).ends_with("/security")) return true;
  return is_program_dir(path) && kNames.count(name) > 0;
}

std::optional<VerifyScope> parse_verify_scope(std::string_view word) {
  if (word == "none") return VerifyScope::none;
  if (word == "common") return VerifyScope::common;
  if (word == "programs") return VerifyScope::programs;
  if (word == "all") return VerifyScope::all;
  return std::nullopt;
}

std::vector<FileCheckRow> verify_package_files(const Root& root, const PackageDb& packages, VerifyScope scope,
                                               const std::set<std::string, std::less<>>& also, IssueLog& log,
                                               std::set<std::string, std::less<>>* checked) {
  if (scope == VerifyScope::none && also.empty()) return {};
  // The chosen package files, and every conffile.
  auto files = packages.checksums(
      [scope, &also](std::string_view p) {
        switch (scope) {
          case VerifyScope::all: return true;
          case VerifyScope::programs: return is_program_dir(p) || also.contains(p);
          case VerifyScope::common: return commonly_trojaned(p) || also.contains(p);
          case VerifyScope::none: return also.contains(p);
        }
        return false;
      },
      log);
  if (scope == VerifyScope::none)  // conffiles come anyway: keep only the ones asked for
    std::erase_if(files, [&](const PackagedFile& f) { return !also.contains(f.path); });
  unsigned n = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
  std::vector<std::vector<FileCheckRow>> parts(n);
  std::vector<IssueLog> logs(n);
  std::vector<std::vector<std::string>> compared(n);
  {
    std::vector<std::jthread> workers;
    for (unsigned t = 0; t < n; ++t)
      workers.emplace_back([&, t] {
        for (std::size_t i = t; i < files.size(); i += n) {
          const auto& f = files[i];
          auto st = root.lstat(f.path);
          if (!st && st.error().vanished() && !f.conffile && !packages.excluded(f.path)) {
            // Installed, never excluded, and gone: removed by hand (debsums' "missing").
            struct stat none {};
            auto r = row_for("package-missing", f.path, none, "listed in " + f.package + "'s checksums but missing");
            r.package = f.package;
            parts[t].push_back(std::move(r));
            continue;
          }
          if (!st || !S_ISREG(st->st_mode)) continue;  // replaced by a link or a directory: not ours to judge here
          auto fd = root.open_file(f.path);
          if (!fd) {
            if (!fd.error().vanished()) logs[t].add(std::string(kCollector), fd.error());
            continue;
          }
          auto d = hash_fd(fd->get(), root.display(f.path));
          if (!d) {
            logs[t].add(std::string(kCollector), d.error());
            continue;
          }
          if (checked) compared[t].push_back(f.path);
          if (d->md5 == f.md5) continue;
          auto r = row_for(f.conffile ? "conffile-modified" : "package-modified", f.path, *st,
                           "MD5 " + d->md5 + " differs from the " + f.md5 + " that " + f.package + " recorded");
          r.package = f.package;
          r.md5 = d->md5;
          r.elf = starts_with_elf(root, f.path);
          parts[t].push_back(std::move(r));
        }
      });
  }
  std::vector<FileCheckRow> out;
  for (unsigned t = 0; t < n; ++t) {
    std::move(parts[t].begin(), parts[t].end(), std::back_inserter(out));
    for (auto& i : logs[t].issues()) log.issues().push_back(std::move(i));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  if (checked)
    for (auto& part : compared) checked->insert(std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
  return out;
}

}  // namespace vigil::collect
