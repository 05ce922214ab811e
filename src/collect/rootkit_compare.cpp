// Rootkit probe comparisons.
#include "collect/rootkit_compare.hpp"

#include <algorithm>

#include "core/text.hpp"

namespace vigil::collect {

std::vector<std::int64_t> missing_from_listing(const std::set<std::int64_t>& answered,
                                               const std::set<std::int64_t>& listed) {
  std::vector<std::int64_t> out;
  std::set_difference(answered.begin(), answered.end(), listed.begin(), listed.end(), std::back_inserter(out));
  return out;
}

std::int64_t pid_probe_limit(std::int64_t ns_last_pid, std::int64_t pid_max, std::int64_t max_listed) {
  if (ns_last_pid <= 0 || max_listed > ns_last_pid) return pid_max;
  // New pids may arrive while we probe: a margin past the last one handed out.
  return std::min(pid_max, ns_last_pid + 512);
}

std::vector<std::string> hidden_modules(const std::set<std::string>& sys_loadable,
                                        const std::set<std::string>& proc_modules) {
  std::vector<std::string> out;
  std::set_difference(sys_loadable.begin(), sys_loadable.end(), proc_modules.begin(), proc_modules.end(),
                      std::back_inserter(out));
  return out;
}

std::set<std::string> parse_proc_modules(std::string_view text) {
  std::set<std::string> out;
  for_each_line(text, [&](std::string_view line, std::size_t) {
    auto words = split_ws(line);
    if (!words.empty()) out.emplace(words[0]);
  });
  return out;
}

bool link_count_mismatch(std::uint64_t nlink, std::uint64_t subdirectories) {
  // nlink 1 means "not counted" (btrfs, or ext4 past 65,000 subdirectories).
  return nlink != 1 && nlink != subdirectories + 2;
}

Parsed<KnownArtifact> parse_known_artifacts(std::string_view text) {
  Parsed<KnownArtifact> out;
  for_each_line(text, [&](std::string_view line, std::size_t n) {
    if (trim(line).empty() || trim(line).front() == '#') return;
    auto f = split(line, '\t');
    if (f.size() != 4 || (f[0] != "file" && f[0] != "dir" && f[0] != "module") || f[1].empty()) {
      out.errors.push_back({n, "expected kind<TAB>path-or-name<TAB>family<TAB>source, kind file, dir or module"});
      return;
    }
    out.rows.push_back({std::string(f[0]), std::string(f[1]), std::string(f[2]), std::string(f[3])});
  });
  return out;
}

namespace {

// mountinfo escapes blanks, tabs, newlines and backslashes in paths as \ooo.
std::string unescape_octal(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto octal = [&](std::size_t k, char top) { return s[k] >= '0' && s[k] <= top; };
    if (s[i] == '\\' && i + 3 < s.size() && octal(i + 1, '3') && octal(i + 2, '7') && octal(i + 3, '7')) {
      out.push_back(static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0')));
      i += 3;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace

std::vector<ProcMount> parse_proc_pid_mounts(std::string_view mountinfo) {
  std::vector<ProcMount> out;
  for_each_line(mountinfo, [&](std::string_view line, std::size_t) {
    // id parent major:minor root mount-point options [optional…] - fstype source super-options
    auto words = split_ws(line);
    if (words.size() < 5) return;
    std::string point = unescape_octal(words[4]);
    if (!point.starts_with("/proc/")) return;
    std::string_view rest = std::string_view(point).substr(6);
    std::size_t digits = 0;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
    if (digits == 0 || digits > 10 || (digits < rest.size() && rest[digits] != '/')) return;
    ProcMount m;
    m.pid = to_number<std::int64_t>(rest.substr(0, digits)).value_or(0);
    m.mount_point = point;
    for (std::size_t i = 5; i + 2 < words.size(); ++i)
      if (words[i] == "-") {
        m.fstype = std::string(words[i + 1]);
        m.source = unescape_octal(words[i + 2]);
        break;
      }
    out.push_back(std::move(m));
  });
  return out;
}

}  // namespace vigil::collect
