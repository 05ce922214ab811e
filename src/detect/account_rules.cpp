// Account detectors: extra root accounts, empty passwords, sudo without passwords.
#include <array>

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
  for (const auto& r : s.accounts.sudo_rules) {
    if (!r.nopasswd_all || admin_principal(r.principal)) continue;
    auto f = make_finding("account.sudo-nopasswd-all", Severity::medium, kSource);
    f.add("user.name", r.principal);
    f.add("file.path", r.file);
    f.add("file.line", r.line);
    f.add("vigil.sudo.commands", r.commands);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace vigil::detect
