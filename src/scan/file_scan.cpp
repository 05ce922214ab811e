// Scanning files with YARA rules on every core.
#include "scan/file_scan.hpp"

#include <yara.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "collect/walk.hpp"
#include "core/collect_issue.hpp"
#include "scan/yara_match.hpp"

namespace vigil::scan {

namespace {

struct Callback {
  std::vector<YaraMatch> matches;
};

int on_scan(YR_SCAN_CONTEXT* ctx, int message, void* data, void* user) {
  if (message != CALLBACK_MSG_RULE_MATCHING) return CALLBACK_CONTINUE;
  auto* rule = static_cast<YR_RULE*>(data);
  YaraMatch m;
  m.rule = rule->identifier;
  m.ns = rule->ns && rule->ns->name ? rule->ns->name : "";
  const YR_META* meta;
  yr_rule_metas_foreach(rule, meta) {
    std::string value = meta->type == META_TYPE_STRING    ? std::string(meta->string ? meta->string : "")
                        : meta->type == META_TYPE_BOOLEAN ? std::string(meta->integer ? "true" : "false")
                                                          : std::to_string(meta->integer);
    m.meta.emplace_back(meta->identifier ? meta->identifier : "", std::move(value));
  }
  const YR_STRING* string;
  yr_rule_strings_foreach(rule, string) {
    const YR_MATCH* match;
    yr_string_matches_foreach(ctx, string, match) {
      ++m.string_matches;
      if (m.strings.size() < kStringsKept)
        m.strings.emplace_back(string->identifier ? string->identifier : "", static_cast<std::uint64_t>(match->base + match->offset));
    }
  }
  static_cast<Callback*>(user)->matches.push_back(std::move(m));
  return CALLBACK_CONTINUE;
}

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
      if (S_ISREG(e.st.st_mode)) targets.push_back({e.path, static_cast<std::uint64_t>(e.st.st_size), e.st.st_uid});
      return true;
    });
  }
  std::sort(targets.begin(), targets.end(), [](const Target& a, const Target& b) { return a.path < b.path; });
  targets.erase(std::unique(targets.begin(), targets.end(), [](const Target& a, const Target& b) { return a.path == b.path; }),
                targets.end());
  if (rules.empty()) return r;

  std::atomic<std::size_t> next{0};
  std::atomic<std::uint64_t> files{0}, bytes{0}, too_large{0};
  std::mutex mu;
  unsigned jobs = o.jobs ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(1, targets.size())));
  auto worker = [&] {
    YR_SCANNER* scanner = nullptr;
    if (yr_scanner_create(rules.get(), &scanner) != ERROR_SUCCESS) return;
    Callback cb;
    yr_scanner_set_callback(scanner, on_scan, &cb);
    yr_scanner_set_timeout(scanner, o.timeout);
    ReadBuffer buf;
    Findings found;
    IssueLog local;
    for (std::size_t i = next++; i < targets.size(); i = next++) {
      const Target& t = targets[i];
      if (t.size > o.max_size) {
        ++too_large;
        continue;
      }
      auto data = root.read_into(t.path, buf, o.max_size);
      if (!data) {
        local.add("scan", data.error());
        continue;
      }
      ++files;
      bytes += data->size();
      std::string name = base_name(t.path);
      yr_scanner_define_string_variable(scanner, "filename", name.c_str());
      yr_scanner_define_string_variable(scanner, "filepath", t.path.c_str());
      yr_scanner_define_string_variable(scanner, "extension", extension_of(name).c_str());
      yr_scanner_define_string_variable(scanner, "filetype", file_type(*data));
      yr_scanner_define_string_variable(scanner, "owner", t.uid == 0 ? "root" : std::to_string(t.uid).c_str());
      cb.matches.clear();
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
    }
    yr_scanner_destroy(scanner);
    std::lock_guard lk(mu);
    for (auto& f : found) r.findings.push_back(std::move(f));
    for (auto& i : local.issues()) issues.issues().push_back(std::move(i));
  };
  std::vector<std::thread> pool;
  for (unsigned i = 0; i < jobs; ++i) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
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
