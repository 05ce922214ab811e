// The comparisons behind the rootkit probes, as pure functions: what the kernel answers
// to directly versus what its listings show.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/parse_error.hpp"

namespace vigil::collect {

// Ids that answered a direct probe but are missing from the listing.
std::vector<std::int64_t> missing_from_listing(const std::set<std::int64_t>& answered,
                                               const std::set<std::int64_t>& listed);

// The highest pid to probe: the last pid the kernel handed out, or pid_max when pids have
// wrapped (a listed pid above the last one handed out shows the wrap).
std::int64_t pid_probe_limit(std::int64_t ns_last_pid, std::int64_t pid_max, std::int64_t max_listed);

// Loadable modules (those with /sys/module/NAME/initstate) that /proc/modules omits.
std::vector<std::string> hidden_modules(const std::set<std::string>& sys_loadable,
                                        const std::set<std::string>& proc_modules);
// Names of /proc/modules lines.
std::set<std::string> parse_proc_modules(std::string_view text);

// chkdirs: a directory's link count is 2 + its subdirectories on ext*/xfs/tmpfs.
bool link_count_mismatch(std::uint64_t nlink, std::uint64_t subdirectories);

struct KnownArtifact {
  std::string kind;  // file, dir, module
  std::string name;  // path or module name
  std::string family, source;
};
Parsed<KnownArtifact> parse_known_artifacts(std::string_view text);

// Mounts over a process's /proc entry (/proc/PID or below): a way to hide the process from
// ps and top without a kernel module. From /proc/self/mountinfo; octal escapes decoded.
struct ProcMount {
  std::int64_t pid = 0;
  std::string mount_point, fstype, source;
};
std::vector<ProcMount> parse_proc_pid_mounts(std::string_view mountinfo);

}  // namespace vigil::collect
