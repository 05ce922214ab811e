// Where the raw evidence of a Linux host lives.
#include "collect/evidence.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <set>

#include "core/text.hpp"

namespace vigil::collect {

namespace {

struct Source {
  const char* path;  // a file, or a directory whose regular files are taken (depth ≤ 3)
  const char* why;
  bool directory = false;
};

constexpr Source kSources[] = {
    {"/etc/passwd", "accounts"},          {"/etc/group", "accounts"},
    {"/etc/shadow", "accounts"},          {"/etc/gshadow", "accounts"},
    {"/etc/sudoers", "privileges"},       {"/etc/sudoers.d", "privileges", true},
    {"/etc/crontab", "persistence"},      {"/etc/cron.d", "persistence", true},
    {"/etc/cron.hourly", "persistence", true}, {"/etc/cron.daily", "persistence", true},
    {"/etc/cron.weekly", "persistence", true}, {"/etc/cron.monthly", "persistence", true},
    {"/var/spool/cron", "persistence", true},  {"/etc/systemd/system", "persistence", true},
    {"/etc/rc.local", "persistence"},     {"/etc/ld.so.preload", "persistence"},
    {"/etc/profile.d", "persistence", true},   {"/etc/ssh/sshd_config", "ssh"},
    {"/etc/ssh/sshd_config.d", "ssh", true},   {"/etc/hosts", "network"},
    {"/etc/resolv.conf", "network"},      {"/var/log/wtmp", "logins"},
    {"/var/log/btmp", "logins"},          {"/var/log/lastlog", "logins"},
    {"/var/log/auth.log", "logs"},        {"/var/log/secure", "logs"},
    {"/var/log/syslog", "logs"},          {"/var/log/messages", "logs"},
    {"/var/log/kern.log", "logs"},        {"/var/log/audit/audit.log", "logs"},
};

// Per home (/root and /home/*): SSH keys, shell histories, the user's own systemd units.
constexpr Source kHomeSources[] = {
    {".ssh/authorized_keys", "ssh"},  {".ssh/authorized_keys2", "ssh"}, {".bash_history", "history"},
    {".zsh_history", "history"},      {".sh_history", "history"},      {".python_history", "history"},
    {".mysql_history", "history"},    {".config/systemd/user", "persistence", true},
    {".config/autostart", "persistence", true},
};

void take(const Root& root, const std::string& path, const std::string& why, bool directory, int depth,
          std::vector<EvidenceFile>& out) {
  auto st = root.lstat(path);
  if (!st) return;
  if (S_ISREG(st->st_mode)) {
    out.push_back({path, why, path == "/etc/shadow" || path == "/etc/gshadow"});
    return;
  }
  if (!directory || !S_ISDIR(st->st_mode) || depth > 3) return;
  auto entries = root.list_stat(path);
  if (!entries) return;
  std::sort(entries->begin(), entries->end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  for (const auto& e : *entries) {
    std::string child = path + "/" + e.name;
    if (S_ISREG(e.st.st_mode)) out.push_back({child, why, false});
    else if (S_ISDIR(e.st.st_mode)) take(root, child, why, true, depth + 1, out);
  }
}

}  // namespace

std::vector<EvidenceFile> evidence_files(const Root& root) {
  std::vector<EvidenceFile> out;
  for (const auto& s : kSources) take(root, s.path, s.why, s.directory, 0, out);
  std::vector<std::string> homes = {"/root"};
  if (auto entries = root.list_stat("/home"))
    for (const auto& e : *entries)
      if (S_ISDIR(e.st.st_mode)) homes.push_back("/home/" + e.name);
  std::sort(homes.begin() + 1, homes.end());
  for (const auto& home : homes)
    for (const auto& s : kHomeSources) take(root, home + "/" + s.path, s.why, s.directory, 0, out);
  std::set<std::string> seen;
  out.erase(std::remove_if(out.begin(), out.end(), [&](const EvidenceFile& f) { return !seen.insert(f.path).second; }),
            out.end());
  return out;
}

std::string redact_password_hashes(std::string_view shadow) {
  std::string out;
  out.reserve(shadow.size());
  for_each_line(shadow, [&](std::string_view line, std::size_t) {
    auto colon = line.find(':');
    if (colon == std::string_view::npos) {
      out.append(line).push_back('\n');
      return;
    }
    auto end = line.find(':', colon + 1);
    std::string_view hash = line.substr(colon + 1, end == std::string_view::npos ? std::string_view::npos : end - colon - 1);
    std::string_view marks = hash.substr(0, hash.find_first_not_of("!*"));
    std::string kept(marks);
    if (hash.size() > marks.size()) kept += "<removed>";
    out.append(line.substr(0, colon + 1)).append(kept);
    if (end != std::string_view::npos) out.append(line.substr(end));
    out.push_back('\n');
  });
  return out;
}

}  // namespace vigil::collect
