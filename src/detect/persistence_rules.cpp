// Persistence detectors: what starts with the system, judged by what it runs and by who
// put it there when.
#include <algorithm>
#include <map>
#include <set>

#include "collect/script_patterns.hpp"
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
  if (r.ctime) f.add("file.ctime", r.ctime);
}

// A program started from a hidden directory (shell start-up files mention ~/.local freely,
// so only the program of other items counts). Temporary directories are in the patterns.
std::optional<std::string> hidden_program(const collect::PersistenceRow& r) {
  if (r.kind == "shell-startup") return std::nullopt;
  for (const auto& w : command_words(r.command)) {
    if (w.find('=') != std::string::npos && !w.starts_with('/')) continue;  // VAR=value before the program
    if (w.starts_with('/') && has_hidden_dir(w)) return w;
    break;
  }
  return std::nullopt;
}

// The file changed (content, or inode: touch -r cannot set ctime back) within --since;
// --since 0 switches recency off.
bool recent(const collect::PersistenceRow& r, const Context& ctx) {
  return ctx.since_days > 0 && std::max(r.mtime, r.ctime) >= ctx.now - ctx.since_days * 86400;
}

struct TraitRule {
  std::string_view rule;
  Severity severity;
};

std::optional<TraitRule> rule_for(const collect::ScriptPattern& p) {
  using collect::ScriptTrait;
  switch (p.trait) {
    case ScriptTrait::reverse_shell: return TraitRule{"persistence.reverse-shell", Severity::critical};
    case ScriptTrait::netcat: return TraitRule{"persistence.reverse-shell", Severity::high};
    case ScriptTrait::download_exec: return TraitRule{"persistence.download-exec", Severity::high};
    case ScriptTrait::decode_exec: return TraitRule{"persistence.obfuscated-command", Severity::high};
    case ScriptTrait::temp_exec: return TraitRule{"persistence.temp-path", p.weak ? Severity::medium : Severity::high};
    case ScriptTrait::history_off: return TraitRule{"evasion.history-disabled", Severity::medium};
    case ScriptTrait::web_shell: return std::nullopt;  // web roots' concern (files.web-shell)
  }
  return std::nullopt;
}

// What the item's text says, judged by the shared start-up patterns: one finding per rule,
// at the strongest pattern's severity. A file exactly as its package shipped it says what
// the package says.
void judge_content(const collect::PersistenceRow& r, const Context& ctx, Findings& out) {
  if (r.verify == "ok") return;
  std::map<std::string_view, std::pair<Severity, const collect::ScriptPattern*>> by_rule;
  for (const auto& h : collect::scan_script(r.command)) {
    auto judged = rule_for(*h.pattern);
    if (!judged) continue;
    auto [rule, severity] = *judged;
    if (rule == "evasion.history-disabled" && recent(r, ctx)) severity = Severity::high;
    auto& best = by_rule[rule];
    if (!best.second || severity > best.first) best = {severity, h.pattern};
  }
  for (const auto& [rule, best] : by_rule) {
    auto f = make_finding(rule, best.first, kSource, "Here it " + std::string(best.second->what) + ".");
    add_item(f, r);
    f.add("vigil.pattern", std::string(best.second->id));
    if (r.verify == "modified") f.add("vigil.package.verify", r.verify);
    out.push_back(std::move(f));
  }
}

}  // namespace

Findings detect_persistence(const collect::Snapshot& s, const Context& ctx) {
  Findings out;
  const bool have_packages = s.packages && s.packages->knows_ownership();
  std::set<std::string> unowned_files, recent_keys;
  for (const auto& r : s.persistence) {
    judge_content(r, ctx, out);
    if (auto path = r.verify == "ok" ? std::nullopt : hidden_program(r)) {
      auto f = make_finding("persistence.temp-path", Severity::high, kSource, "Here: " + *path + ".");
      add_item(f, r);
      out.push_back(std::move(f));
    }
    if (r.kind == "ld-preload" || r.kind == "environment" ||
        (r.kind == "systemd" && r.detail == "Environment" && r.command.find("LD_PRELOAD=") != std::string::npos)) {
      auto f = make_finding("persistence.ld-preload", Severity::high, kSource);
      add_item(f, r);
      out.push_back(std::move(f));
    }
    static const std::set<std::string, std::less<>> kStartFiles = {
        "cron", "cron-script", "at", "systemd", "systemd-generator", "init-script", "rc-local", "motd",
        "nm-dispatcher", "apt-hook", "udev", "modprobe-install", "xdg-autostart"};
    if (have_packages && kStartFiles.count(r.kind) && r.package.empty() && unowned_files.insert(r.location).second) {
      bool fresh = recent(r, ctx);
      auto f = make_finding("persistence.unowned-item", fresh ? Severity::medium : Severity::low, kSource,
                            fresh ? "Changed within the last " + std::to_string(ctx.since_days) + " days." : "");
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
    if (r.kind == "pam-exec") {
      // pam_exec / pam_script: a program run at every login, perhaps handed the password.
      bool expose = r.detail.ends_with("expose_authtok");
      bool unowned = have_packages && r.package.empty();
      if (unowned || expose) {
        auto severity = unowned ? (expose ? Severity::high : Severity::medium) : Severity::low;
        auto f = make_finding("persistence.pam-exec", severity, kSource,
                              std::string(unowned ? "No package owns the program" : "A packaged program") +
                                  (expose ? "; PAM hands it the password typed." : "."));
        add_item(f, r);
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
