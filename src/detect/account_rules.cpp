// Account detectors: extra root accounts, empty passwords, sudo without passwords.
#include <algorithm>
#include <array>
#include <optional>

#include "core/rule_catalog.hpp"
#include "core/text.hpp"
#include "detect/detectors.hpp"
#include "detect/paths.hpp"

namespace vigil::detect {

namespace {

constexpr std::string_view kSource = "detect/accounts";

void add_user(Finding& f, const collect::UserRow& u) {
  f.add("user.name", u.name);
  f.add("user.id", u.uid);
  f.add("user.shell", u.shell);
  f.add("user.home", u.home);
  f.add("vigil.password", u.password);
}

bool admin_principal(std::string_view p) {
  static constexpr std::array<std::string_view, 6> kAdmins = {"root",   "%root",  "%sudo",
                                                              "%wheel", "%admin", "#0"};
  for (auto a : kAdmins)
    if (p == a) return true;
  return false;
}

// How much a group's membership gives, for an account that can log in: root's own group
// (every file the root group may write), root-equivalent groups, and the admin groups.
std::optional<Severity> group_weight(const collect::GroupRow& g, const collect::UserRow& u) {
  if (g.gid == 0) return u.system_account ? Severity::critical : Severity::high;
  static constexpr std::array<std::string_view, 3> kAdmin = {"sudo", "wheel", "admin"};
  static constexpr std::array<std::string_view, 2> kRawSecrets = {"disk", "shadow"};  // raw disks, password hashes
  static constexpr std::array<std::string_view, 3> kContainers = {"docker", "lxd", "incus-admin"};
  auto in = [&](auto& list) { return std::find(list.begin(), list.end(), g.name) != list.end(); };
  if (in(kAdmin)) return u.system_account ? Severity::high : Severity::info;
  if (in(kRawSecrets)) return u.system_account ? Severity::high : Severity::medium;
  if (in(kContainers)) return u.system_account ? Severity::high : Severity::low;
  return std::nullopt;
}

void privileged_groups(const collect::Snapshot& s, Findings& out) {
  for (const auto& u : s.accounts.users) {
    if (u.uid == 0 || !u.login_shell) continue;
    for (const auto& g : s.accounts.groups) {
      bool primary = g.gid == u.gid;
      bool member = false;
      for (auto m : split(g.members, ','))
        member = member || m == u.name;
      if (!primary && !member) continue;
      auto weight = group_weight(g, u);
      if (!weight) continue;
      auto f = make_finding("account.privileged-group", *weight, kSource,
                            (primary ? "Its primary group is " : "It is a member of ") + g.name + ".");
      add_user(f, u);
      f.add("group.name", g.name);
      f.add("group.id", g.gid);
      out.push_back(std::move(f));
    }
  }
}

}  // namespace

Findings detect_accounts(const collect::Snapshot& s, const Context&) {
  Findings out;
  for (const auto& u : s.accounts.users) {
    const bool can_log_in = u.password == "set" || u.password == "empty";
    if (u.uid == 0 && u.name != "root") {
      auto f = make_finding("account.uid0-duplicate",
                            can_log_in ? Severity::critical : Severity::high, kSource);
      add_user(f, u);
      out.push_back(std::move(f));
    }
    if (u.password == "empty") {
      auto f = make_finding("account.empty-password",
                            u.uid == 0 ? Severity::critical : Severity::high, kSource);
      add_user(f, u);
      out.push_back(std::move(f));
    }
    if (u.system_account && u.login_shell && u.password == "set") {
      auto f = make_finding("account.system-login-password", Severity::medium, kSource);
      add_user(f, u);
      out.push_back(std::move(f));
    }
    bool temp_shell = in_temp_dir(u.shell) || has_hidden_dir(u.shell);
    bool temp_home = in_temp_dir(u.home + "/");
    if (temp_shell || temp_home) {
      auto f = make_finding("account.temp-home-or-shell",
                            temp_shell ? Severity::high : Severity::medium, kSource);
      add_user(f, u);
      out.push_back(std::move(f));
    }
  }
  privileged_groups(s, out);
  for (const auto& r : s.accounts.sudo_rules) {
    if (!r.nopasswd_all || admin_principal(r.principal)) continue;
    auto f = make_finding("account.sudo-nopasswd-all", Severity::medium, kSource);
    f.add("user.name", r.principal);
    f.add("file.path", r.file);
    f.add("file.line", r.line);
    f.add("vigil.sudo.commands", r.commands);
    out.push_back(std::move(f));
  }
  for (const auto& d : s.accounts.sudo_defaults) {
    if (d.weakens.empty()) continue;
    Severity severity = d.weakens.starts_with("keeps LD_")               ? Severity::high
                        : d.setting.starts_with("timestamp_timeout") ? Severity::low
                                                                       : Severity::medium;
    auto f = make_finding("account.sudo-defaults-weakened", severity, kSource, "Here: " + d.weakens + ".");
    f.title = "sudoers Defaults" + d.scope + " " + d.setting + ": " + d.weakens;
    f.add("file.path", d.file);
    f.add("file.line", d.line);
    f.add("vigil.sudo.setting", d.setting);
    if (!d.scope.empty()) f.add("vigil.sudo.scope", d.scope);
    f.identity = {"file.path", "vigil.sudo.setting", "vigil.sudo.scope"};
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace vigil::detect
