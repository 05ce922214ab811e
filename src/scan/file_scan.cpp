// Scanning files with YARA rules on every core.
#include "scan/file_scan.hpp"

#include <yara.h>

#include <algorithm>
#include <atomic>

#include "collect/walk.hpp"
#include "core/collect_issue.hpp"
#include "scan/scanner_pool.hpp"

namespace vigil::scan {

namespace {

std::string base_name(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string extension_of(const std::string& name) {
  auto dot = name.rfind('.');
  return dot == std::string::npos || dot == 0 ? std::string() : name.substr(dot + 1);
}

// The filetype external signature-base's rules test: what the first bytes say.
const char* file_type(std::string_view data) {
  if (data.starts_with("\x7f" "ELF")) return "ELF";
  if (data.starts_with("MZ")) return "EXE";
  if (data.starts_with("#!")) return "SCRIPT";
  if (data.starts_with("%PDF")) return "PDF";
  if (data.starts_with("PK\x03\x04")) return "ZIP";
  return "";
}

struct Target {
  std::string path;
  std::uint64_t size = 0;
  uid_t uid = 0;
};

}  // namespace

const std::vector<std::string>& default_scan_paths() {
  static const std::vector<std::string> paths = {
      "/tmp", "/var/tmp", "/dev/shm", "/var/www", "/srv", "/home", "/root", "/etc/cron.d", "/etc/cron.daily",
      "/etc/cron.hourly", "/etc/cron.weekly", "/etc/cron.monthly", "/var/spool/cron", "/etc/systemd/system",
      "/etc/init.d", "/etc/rc.local", "/etc/profile.d", "/etc/ld.so.preload", "/usr/local/bin", "/usr/local/sbin",
      "/opt"};
  return paths;
}

FileScanResult scan_files(const Root& root, const YaraRules& rules, const FileScanOptions& o) {
  FileScanResult r;
  IssueLog issues;
  const auto& starts = o.paths.empty() ? default_scan_paths() : o.paths;
  std::vector<Target> targets;
  for (const auto& start : starts) {
    auto st = root.lstat(start);
    if (!st) {
      if (!o.paths.empty()) r.missing.push_back(root.display(start));
      continue;  // a default drop zone this host does not have
    }
    if (S_ISREG(st->st_mode)) {
      targets.push_back({start, static_cast<std::uint64_t>(st->st_size), st->st_uid});
      continue;
    }
    if (!S_ISDIR(st->st_mode)) continue;
    collect::walk(root, start, {}, "scan", issues, [&](const collect::WalkEntry& e) {
      if (S_ISDIR(e.st.st_mode) && std::find(o.exclude.begin(), o.exclude.end(), e.path) != o.exclude.end())
        return false;
      if (S_ISREG(e.st.st_mode)) targets.push_back({e.path, static_cast<std::uint64_t>(e.st.st_size), e.st.st_uid});
      return true;
    });
  }
  std::sort(targets.begin(), targets.end(), [](const Target& a, const Target& b) { return a.path < b.path; });
  targets.erase(std::unique(targets.begin(), targets.end(), [](const Target& a, const Target& b) { return a.path == b.path; }),
                targets.end());
  if (rules.empty()) return r;

  std::atomic<std::uint64_t> files{0}, bytes{0}, too_large{0};
  auto scan_one = [&](YR_SCANNER* scanner, MatchCollector& cb, std::size_t i, Findings& found, IssueLog& local) {
    thread_local ReadBuffer buf;
    const Target& t = targets[i];
    if (t.size > o.max_size) {
      ++too_large;
      return;
    }
    auto data = root.read_into(t.path, buf, o.max_size);
    if (!data) {
      local.add("scan", data.error());
      return;
    }
    ++files;
    bytes += data->size();
    std::string name = base_name(t.path);
    yr_scanner_define_string_variable(scanner, "filename", name.c_str());
    yr_scanner_define_string_variable(scanner, "filepath", t.path.c_str());
    yr_scanner_define_string_variable(scanner, "extension", extension_of(name).c_str());
    yr_scanner_define_string_variable(scanner, "filetype", file_type(*data));
    yr_scanner_define_string_variable(scanner, "owner", t.uid == 0 ? "root" : std::to_string(t.uid).c_str());
    int rc = yr_scanner_scan_mem(scanner, reinterpret_cast<const std::uint8_t*>(data->data()), data->size());
    if (rc == ERROR_SCAN_TIMEOUT)
      local.add("scan", root.display(t.path), "the YARA scan did not finish within " + std::to_string(o.timeout) + " s");
    else if (rc != ERROR_SUCCESS)
      local.add("scan", root.display(t.path), "libyara error " + std::to_string(rc));
    for (const auto& m : cb.matches) {
      auto f = yara_finding(m);
      f.add("file.path", root.display(t.path)).add("file.size", static_cast<std::int64_t>(data->size()));
      f.identity = {"vigil.yara.rule", "file.path"};
      found.push_back(std::move(f));
    }
  };
  parallel_scan(rules, targets.size(), o.jobs, o.timeout, scan_one, r.findings, issues);
  r.files = files;
  r.bytes = bytes;
  r.too_large = too_large;
  std::vector<std::string> matched;
  for (const auto& f : r.findings) matched.push_back(f.get("file.path"));
  std::sort(matched.begin(), matched.end());
  r.matched_files = static_cast<std::uint64_t>(std::unique(matched.begin(), matched.end()) - matched.begin());
  sort_findings(r.findings);
  for (auto& f : partial_findings(issues.issues(), "")) r.findings.push_back(std::move(f));
  return r;
}

}  // namespace vigil::scan
