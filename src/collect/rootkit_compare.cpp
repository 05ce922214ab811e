// Rootkit probe comparisons.
#include "collect/rootkit_compare.hpp"

#include <algorithm>

#include "collect/mountinfo.hpp"
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

std::vector<ProcMount> parse_proc_pid_mounts(std::string_view mountinfo) {
  std::vector<ProcMount> out;
  for (auto& m : parse_mountinfo(mountinfo)) {
    if (!m.mount_point.starts_with("/proc/")) continue;
    std::string_view rest = std::string_view(m.mount_point).substr(6);
    std::size_t digits = 0;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
    if (digits == 0 || digits > 10 || (digits < rest.size() && rest[digits] != '/')) continue;
    auto pid = to_number<std::int64_t>(rest.substr(0, digits)).value_or(0);
    out.push_back({pid, std::move(m.mount_point), std::move(m.fstype), std::move(m.source)});
  }
  return out;
}

}  // namespace vigil::collect
