// SSH server detectors: settings that open the door, keys kept where nobody looks, and the
// programs sshd runs at login.
#include <set>

#include "core/rule_catalog.hpp"
#include "core/text.hpp"
#include "detect/detectors.hpp"
#include "detect/paths.hpp"

namespace vigil::detect {

namespace {

constexpr std::string_view kSource = "detect/ssh";

bool yes(std::string_view value) {
  auto v = split_ws(value);
  return !v.empty() && (v[0] == "yes" || v[0] == "Yes" || v[0] == "YES");
}

// A setting that weakens the server, and how much; nullopt for the rest.
std::optional<std::pair<Severity, std::string>> risk(const collect::SshdSettingRow& s) {
  const bool in_match = !s.match.empty();
  if (s.keyword == "permitemptypasswords" && yes(s.value))
    return std::pair{Severity::high, std::string("accounts with an empty password log in")};
  if (s.keyword == "permitrootlogin" && yes(s.value))
    return std::pair{in_match ? Severity::medium : Severity::low,
                     std::string(in_match ? "root logs in with a password, as an exception for this Match block"
                                          : "root logs in with a password")};
  if (s.keyword == "strictmodes" && s.value.starts_with("no"))
    return std::pair{Severity::low, std::string("keys in files anyone can write are accepted")};
  if (s.keyword == "permituserenvironment" && yes(s.value))
    return std::pair{Severity::low, std::string("a key's environment= option can set LD_PRELOAD for the login")};
  return std::nullopt;
}

bool default_key_file(std::string_view path) {
  return path.ends_with("/.ssh/authorized_keys") || path.ends_with("/.ssh/authorized_keys2");
}

}  // namespace

Findings detect_ssh(const collect::Snapshot& s, const Context&) {
  Findings out;
  for (const auto& setting : s.sshd_config) {
    auto r = risk(setting);
    if (!r) continue;
    auto f = make_finding("ssh.risky-setting", r->first, kSource, "Here " + r->second + ".");
    f.add("file.path", setting.file);
    f.add("file.line", setting.line);
    f.add("vigil.ssh.setting", setting.keyword + " " + setting.value);
    if (!setting.match.empty()) f.add("vigil.ssh.match", setting.match);
    out.push_back(std::move(f));
  }
  const bool have_packages = s.packages && s.packages->knows_ownership();
  std::set<std::string> elsewhere;
  for (const auto& p : s.persistence) {
    if (p.kind == "authorized-key" && !default_key_file(p.location) && elsewhere.insert(p.location).second) {
      bool hidden = in_temp_dir(p.location) || has_hidden_dir(p.location.substr(0, p.location.rfind('/')));
      auto f = make_finding("ssh.authorized-keys-elsewhere", hidden ? Severity::high : Severity::medium, kSource);
      f.add("file.path", p.location);
      if (!p.user.empty()) f.add("user.name", p.user);
      f.add("file.uid", p.file_uid);
      f.add("file.mtime", p.mtime);
      out.push_back(std::move(f));
    }
    if (p.kind == "sshd-command") {
      // AuthorizedKeysCommand decides who gets in; ForceCommand runs instead of the shell.
      bool keys = !p.detail.starts_with("ForceCommand");
      bool unowned = have_packages && p.package.empty();
      if (!unowned && !keys) continue;
      auto severity = unowned ? (keys ? Severity::high : Severity::medium) : Severity::info;
      auto f = make_finding("ssh.login-command", severity, kSource,
                            unowned ? "No package owns the program." : "A packaged program.");
      f.add("file.path", p.location);
      f.add("file.line", p.line);
      f.add("process.command_line", p.command);
      f.add("vigil.ssh.setting", p.detail);
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace vigil::detect
