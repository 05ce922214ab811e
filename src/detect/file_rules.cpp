// File detectors.
#include <cstdio>
#include <fmt/format.h>

#include <map>
#include <optional>

#include "collect/file_capabilities.hpp"
#include "collect/file_checks.hpp"
#include "collect/script_patterns.hpp"
#include "core/rule_catalog.hpp"
#include "core/text.hpp"
#include "detect/detectors.hpp"
#include "detect/paths.hpp"

namespace vigil::detect {

namespace {

constexpr std::string_view kSource = "detect/files";

void add_file(Finding& f, const collect::FileCheckRow& r) {
  f.add("file.path", r.path);
  if (r.check == "package-missing") {  // nothing on disk to describe
    f.add("package.name", r.package);
    f.add("vigil.file.detail", r.detail);
    return;
  }
  f.add("file.mode", mode_text(r.mode));
  f.add("file.uid", r.uid);
  f.add("file.size", r.size);
  f.add("file.mtime", r.mtime);
  f.add("file.ctime", r.ctime);
  if (!r.package.empty()) f.add("package.name", r.package);
  f.add("vigil.file.detail", r.detail);
}

bool program_or_library(const collect::FileCheckRow& r) {
  return r.elf || collect::is_program_dir(r.path) || collect::commonly_trojaned(r.path) ||
         r.path.find(".so") != std::string::npos;
}

// A modified package file: programs and libraries are what trojans replace; other code (an
// executable file or a script) is next; documentation and data least. A missing one: a
// removed program (a security tool, a logger) is medium, anything else low.
Severity package_file_severity(const collect::FileCheckRow& r) {
  if (r.check == "package-missing") return program_or_library(r) ? Severity::medium : Severity::low;
  if (program_or_library(r)) return Severity::high;
  static constexpr std::string_view kCode[] = {".py", ".pl", ".pm", ".rb", ".sh", ".js", ".mjs", ".cjs", ".php", ".lua"};
  bool code = (r.mode & 0111) != 0;
  for (auto ext : kCode) code = code || r.path.ends_with(ext);
  return code ? Severity::medium : Severity::low;
}

// More modified or missing files than this in one package is an update outside the package
// manager (npm or pip over a packaged tree), not a trojan: one finding for the package.
constexpr std::size_t kModifiedPerPackage = 10;

bool sensitive_config(std::string_view path) {
  for (std::string_view p : {"/etc/pam.d/", "/etc/ssh/", "/etc/sudoers", "/etc/security/", "/etc/ld.so"})
    if (path.starts_with(p)) return true;
  return false;
}

// Capabilities Debian's packages give their own programs in their maintainer scripts (dpkg
// records none): a packaged program holding exactly these is as shipped.
bool packaged_capabilities(std::string_view path, std::string_view caps) {
  static const std::map<std::string, std::string, std::less<>> kShipped = {
      {"ping", "cap_net_raw=ep"},
      {"arping", "cap_net_raw=ep"},
      {"fping", "cap_net_raw=ep"},
      {"mtr-packet", "cap_net_raw=ep"},
      {"dumpcap", "cap_net_admin,cap_net_raw=eip"},
      {"gst-ptp-helper", "cap_net_bind_service,cap_net_admin=ep"},
      {"newuidmap", "cap_setuid=ep"},
      {"newgidmap", "cap_setgid=ep"},
      {"systemd-detect-virt", "cap_dac_override,cap_sys_ptrace=ep"},
      {"kismet_cap_linux_wifi", "cap_net_admin,cap_net_raw=eip"},
  };
  auto it = kShipped.find(basename_of(path));
  return it != kShipped.end() && it->second == caps;
}

// A file capability: root in all but name on a shell or interpreter (anyone becomes root),
// strong on a program no package owns, weak on a packaged one set another way.
std::optional<std::pair<Severity, std::string>> capability_judgement(const collect::FileCheckRow& r,
                                                                      bool have_packages) {
  std::string name = basename_of(r.path);
  bool root_like = collect::has_root_equivalent_capability(r.detail);
  if (root_like && (is_shell(name) || is_interpreter(name)))
    return std::pair{Severity::critical, std::string("A shell or interpreter with it runs anything as root.")};
  bool unowned = have_packages && r.package.empty();
  if (unowned)
    return std::pair{root_like || in_temp_dir(r.path) ? Severity::high : Severity::medium,
                     std::string("No package owns the program.")};
  if (!packaged_capabilities(r.path, r.detail))
    return std::pair{root_like ? Severity::medium : Severity::low,
                     std::string("Its package does not set this capability.")};
  return std::nullopt;
}

// The latest login of the account with this uid (lastlog, wtmp), epoch seconds; 0 for none.
std::int64_t last_login(const collect::Snapshot& s, std::int64_t uid) {
  std::int64_t latest = 0;
  std::string name;
  for (const auto& u : s.accounts.users)
    if (u.uid == uid) name = u.name;
  for (const auto& l : s.logins.lastlog)
    if (l.uid == uid) latest = std::max(latest, l.time);
  for (const auto& r : s.logins.records)
    if ((r.file == "wtmp" || r.file == "wtmpdb") && r.type == "USER_PROCESS" && !name.empty() && r.user == name)
      latest = std::max(latest, r.time);
  return latest;
}

}  // namespace

Findings detect_files(const collect::Snapshot& s, const Context&) {
  Findings out;
  const bool have_packages = s.packages && s.packages->knows_ownership();
  std::map<std::string, std::vector<const collect::FileCheckRow*>> recent_config;
  // (check, package) -> its rows, for package-modified and package-missing.
  std::map<std::pair<std::string, std::string>, std::vector<const collect::FileCheckRow*>> by_package;
  for (const auto& r : s.file_checks)
    if (r.check == "package-modified" || r.check == "package-missing") by_package[{r.check, r.package}].push_back(&r);
  for (const auto& r : s.file_checks) {
    const bool temp = in_temp_dir(r.path);
    Finding f;
    if (r.check == "recent-system-file") {
      if (!have_packages || !r.package.empty()) continue;
      if (r.elf || collect::is_program_dir(r.path)) {
        f = make_finding("files.recent-unowned-program", Severity::medium, kSource);
      } else {
        if (r.path.starts_with("/etc/")) recent_config[dirname_of(r.path)].push_back(&r);
        continue;
      }
    } else if (r.check == "package-modified" || r.check == "package-missing") {
      if (by_package[{r.check, r.package}].size() > kModifiedPerPackage) continue;
      f = make_finding("files." + r.check, package_file_severity(r), kSource);
    } else if (r.check == "conffile-modified") {
      f = make_finding("files.conffile-modified", sensitive_config(r.path) ? Severity::low : Severity::info, kSource);
    } else if (r.check == "suspicious-name") {
      f = make_finding("files.suspicious-name", temp ? Severity::high : Severity::medium, kSource);
    } else if (r.check == "hidden-dir-programs") {
      f = make_finding("files.hidden-dir-programs", Severity::high, kSource);
    } else if (r.check == "dev-file") {
      f = make_finding("files.dev-file", Severity::high, kSource);
    } else if (r.check == "setuid") {
      if (!have_packages || !r.package.empty()) continue;
      bool shell = !r.copy_of.empty() && is_shell(basename_of(r.copy_of));
      f = make_finding("files.setuid-unowned", shell || temp ? Severity::critical : Severity::high, kSource,
                       r.copy_of.empty() ? "" : "It is a copy of " + r.copy_of + ".");
      if (!r.copy_of.empty()) f.add("vigil.file.copy_of", r.copy_of);
    } else if (r.check == "capability") {
      auto judged = capability_judgement(r, have_packages);
      if (!judged) continue;
      f = make_finding("files.capability", judged->first, kSource, judged->second);
      f.add("vigil.file.capabilities", r.detail);
    } else if (r.check == "web-shell") {
      const auto* p = collect::find_script_pattern(r.detail.substr(0, r.detail.find(' ')));
      if (!p) continue;
      const bool unowned = !have_packages || r.package.empty();
      Severity sev = Severity::low;
      switch (p->trait) {
        case collect::ScriptTrait::web_shell:
        case collect::ScriptTrait::reverse_shell: sev = unowned ? Severity::critical : Severity::high; break;
        case collect::ScriptTrait::download_exec: sev = unowned ? Severity::high : Severity::medium; break;
        default: sev = unowned ? Severity::high : Severity::low; break;  // decodes code and runs it
      }
      f = make_finding("files.web-shell", sev, kSource, "Here it " + std::string(p->what) + ".");
      f.add("vigil.pattern", std::string(p->id));
    } else if (r.check == "history-to-null") {
      f = make_finding("evasion.history-disabled", r.uid == 0 ? Severity::high : Severity::medium, kSource,
                       "The history file is " + r.detail + ".");
    } else if (r.check == "history-empty") {
      // Empty is normal for an account that never used a shell; emptied after a login is not.
      auto login = last_login(s, r.uid);
      if (login <= r.mtime + 3600) continue;
      f = make_finding("evasion.history-emptied", r.uid == 0 ? Severity::medium : Severity::low, kSource);
      f.add("vigil.login.last", login);
    } else if (r.check == "backdated-program") {
      if (!have_packages || !r.package.empty()) continue;
      f = make_finding("files.backdated-program", Severity::low, kSource, "Its " + r.detail + ".");
    } else if (r.check == "log-missing" || r.check == "log-emptied") {
      std::string name = basename_of(r.path);
      bool key = name == "auth.log" || name == "secure" || name == "wtmp" || name == "btmp" || name == "lastlog" ||
                 name == "audit.log" || name == "syslog" || name == "messages";
      f = make_finding(r.check == "log-missing" ? "evasion.log-missing" : "evasion.log-emptied",
                       key ? Severity::high : Severity::medium, kSource);
    } else if (r.check == "world-writable-path") {
      f = make_finding("files.world-writable-path", Severity::high, kSource);
    } else if (r.check == "elf-disguised") {
      f = make_finding("files.elf-disguised", Severity::high, kSource);
    } else {
      continue;
    }
    add_file(f, r);
    out.push_back(std::move(f));
  }
  for (const auto& [key, rows] : by_package) {
    const auto& [check, package] = key;
    if (rows.size() <= kModifiedPerPackage) continue;
    Severity worst = Severity::low;
    const collect::FileCheckRow* example = rows.front();
    for (const auto* r : rows)
      if (auto sev = package_file_severity(*r); sev > worst) {
        worst = sev;
        example = r;
      }
    auto f = make_finding("files." + check, worst, kSource,
                          fmt::format("{} files of this package {}, which looks like an update made outside the "
                                      "package manager; the worst is shown.",
                                      rows.size(), check == "package-missing" ? "are missing" : "differ"));
    f.add("package.name", package);
    f.add("vigil.count", static_cast<std::int64_t>(rows.size()));
    f.add("file.path", example->path);
    f.add("vigil.file.detail", example->detail);
    out.push_back(std::move(f));
  }
  // Recently changed configuration: one finding per directory, not one per file.
  for (const auto& [dir, rows] : recent_config) {
    auto f = make_finding("files.recent-config", Severity::low, kSource);
    f.add("file.directory", dir);
    f.add("vigil.count", static_cast<std::int64_t>(rows.size()));
    std::string names;
    for (std::size_t i = 0; i < rows.size() && i < 8; ++i) names += (i ? ", " : "") + basename_of(rows[i]->path);
    if (rows.size() > 8) names += ", …";
    f.add("file.name", names);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace vigil::detect
