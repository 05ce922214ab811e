// Persistence detectors: what starts with the system, judged by what it runs and by who
// put it there when.
#include <set>

#include "core/rule_catalog.hpp"
#include "core/text.hpp"
#include "detect/detectors.hpp"
#include "detect/paths.hpp"
#include "detect/shell_patterns.hpp"

namespace vigil::detect {

namespace {

constexpr std::string_view kSource = "detect/persistence";

void add_item(Finding& f, const collect::PersistenceRow& r) {
  f.add("vigil.persistence.kind", r.kind);
  f.add("file.path", r.location);
  if (r.line > 0) f.add("file.line", r.line);
  if (!r.command.empty()) f.add("process.command_line", r.command);
  if (!r.user.empty()) f.add("user.name", r.user);
  if (!r.detail.empty()) f.add("vigil.persistence.detail", r.detail);
  f.add("file.uid", r.file_uid);
  f.add("file.mtime", r.mtime);
}

// A path in the command under a temporary directory (anywhere), or a program started from
// a hidden directory (shell start-up files mention ~/.local freely, so only the program counts).
std::optional<std::string> temp_or_hidden_path(const collect::PersistenceRow& r) {
  auto words = command_words(r.command);
  for (const auto& w : words) {
    for (std::string_view dir : {"/tmp/", "/var/tmp/", "/dev/shm/"}) {
      auto at = w.find(dir);
      if (at == std::string::npos) continue;
      if (at == 0 || std::string_view("=:'\"(;|&>").find(w[at - 1]) != std::string_view::npos)
        return w.substr(at);
    }
  }
  if (r.kind == "shell-startup" || words.empty()) return std::nullopt;
  for (const auto& w : words) {
    if (w.find('=') != std::string::npos && !w.starts_with('/')) continue;  // VAR=value before the program
    if (w.starts_with('/') && has_hidden_dir(w)) return w;
    break;
  }
  return std::nullopt;
}

// --since 0 switches the recency checks off.
bool recent(const collect::PersistenceRow& r, const Context& ctx) {
  return ctx.since_days > 0 && r.mtime >= ctx.now - ctx.since_days * 86400;
}

}  // namespace

Findings detect_persistence(const collect::Snapshot& s, const Context& ctx) {
  Findings out;
  const bool have_packages = s.packages && s.packages->knows_ownership();
  std::set<std::string> recent_files, recent_keys;
  for (const auto& r : s.persistence) {
    if (auto path = temp_or_hidden_path(r)) {
      auto f = make_finding("persistence.temp-path", Severity::high, kSource, "Here: " + *path + ".");
      add_item(f, r);
      out.push_back(std::move(f));
    }
    if (auto why = download_and_run_reason(r.command)) {
      auto f = make_finding("persistence.download-exec", Severity::high, kSource, "Here it " + *why + ".");
      add_item(f, r);
      out.push_back(std::move(f));
    }
    auto words = command_words(r.command);
    if (auto why = reverse_shell_reason(words, "", "", r.command)) {
      auto f = make_finding("persistence.reverse-shell", Severity::critical, kSource, "Here: " + *why + ".");
      add_item(f, r);
      out.push_back(std::move(f));
    } else if (r.kind != "shell-startup") {
      for (const auto& w : words)
        if (is_netcat_like(basename_of(w))) {
          auto f = make_finding("persistence.reverse-shell", Severity::high, kSource, "Here it starts " + w + ".");
          add_item(f, r);
          out.push_back(std::move(f));
          break;
        }
    }
    if (r.kind == "ld-preload" || r.kind == "environment" ||
        (r.kind == "systemd" && r.detail == "Environment" && r.command.find("LD_PRELOAD=") != std::string::npos)) {
      auto f = make_finding("persistence.ld-preload", Severity::high, kSource);
      add_item(f, r);
      out.push_back(std::move(f));
    }
    static const std::set<std::string, std::less<>> kStartFiles = {"cron", "cron-script", "at", "systemd",
                                                                   "init-script", "rc-local"};
    if (have_packages && kStartFiles.count(r.kind) && r.package.empty() && recent(r, ctx) &&
        recent_files.insert(r.location).second) {
      auto f = make_finding("persistence.recent-unowned", Severity::medium, kSource,
                            "Changed within the last " + std::to_string(ctx.since_days) + " days.");
      add_item(f, r);
      out.push_back(std::move(f));
    }
    if (r.kind == "authorized-key") {
      if (recent(r, ctx) && recent_keys.insert(r.location).second) {
        auto f = make_finding("persistence.authorized-key-recent", Severity::medium, kSource,
                              "Changed within the last " + std::to_string(ctx.since_days) + " days.");
        add_item(f, r);
        out.push_back(std::move(f));
      }
      if (!r.command.empty()) {
        auto f = make_finding("persistence.authorized-key-forced-command", Severity::low, kSource);
        add_item(f, r);
        f.add("vigil.ssh.options", r.options);
        out.push_back(std::move(f));
      }
    }
    if (have_packages && r.kind == "pam-module" && r.command.starts_with('/') && r.package.empty() &&
        !r.detail.ends_with("(missing)")) {
      auto f = make_finding("persistence.pam-module-unowned", Severity::high, kSource);
      add_item(f, r);
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace vigil::detect
