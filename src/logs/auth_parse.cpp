// Normalises the auth messages of sshd, PAM, sudo, su, login and the shadow tools.
#include <string_view>

#include "logs/syslog_parse.hpp"

namespace vigil::logs {

namespace {

using sv = std::string_view;

bool starts(sv s, sv p) { return s.substr(0, p.size()) == p; }
bool has(sv s, sv p) { return s.find(p) != sv::npos; }

sv token_at(sv s, std::size_t pos) {
  if (pos >= s.size()) return {};
  auto end = s.find_first_of(" ;,'", pos);
  return s.substr(pos, end == sv::npos ? sv::npos : end - pos);
}

// The value of `key` (which includes its '='), up to the next space.
sv kv(sv s, sv key) {
  auto p = s.find(key);
  if (p == sv::npos) return {};
  if (p > 0 && s[p - 1] != ' ' && s[p - 1] != ';') return {};
  return token_at(s, p + key.size());
}

// "... from IP port N ..." → source fields.
void set_from(Event& e, sv msg, std::size_t from_pos) {
  auto ip = token_at(msg, from_pos + 6);
  e.set(Field::source_ip, ip);
  auto port = msg.find(" port ", from_pos);
  if (port != sv::npos) e.set(Field::source_port, token_at(msg, port + 6));
}

void outcome(Event& e, sv action, bool ok) {
  e.set(Field::event_action, action);
  e.set(Field::event_outcome, ok ? "success" : "failure");
}

// "Failed password for [invalid user ]USER from IP port N ssh2" and "Accepted …".
bool ssh_login(Event& e, sv msg, bool ok) {
  auto f = msg.find(" for ");
  auto from = msg.rfind(" from ");
  if (f == sv::npos || from == sv::npos || from < f) return false;
  sv user = msg.substr(f + 5, from - f - 5);
  if (starts(user, "invalid user ")) user.remove_prefix(13);
  else if (starts(user, "illegal user ")) user.remove_prefix(13);
  e.set(Field::user_name, user);
  set_from(e, msg, from);
  outcome(e, "ssh-login", ok);
  return true;
}

void parse_sshd(Event& e, sv msg) {
  if (starts(msg, "Failed ")) {
    ssh_login(e, msg, false);
  } else if (starts(msg, "Accepted ")) {
    ssh_login(e, msg, true);
  } else if (starts(msg, "Invalid user ") || starts(msg, "Illegal user ")) {
    auto from = msg.rfind(" from ");
    if (from == sv::npos || from < 13) return;
    e.set(Field::user_name, msg.substr(13, from - 13));
    set_from(e, msg, from);
    outcome(e, "ssh-invalid-user", false);
  } else if (has(msg, "POSSIBLE BREAK-IN ATTEMPT")) {
    auto open = msg.find('[');
    auto close = msg.find(']', open == sv::npos ? 0 : open);
    if (open != sv::npos && close != sv::npos) e.set(Field::source_ip, msg.substr(open + 1, close - open - 1));
    else if (starts(msg, "Address ")) e.set(Field::source_ip, token_at(msg, 8));
    outcome(e, "ssh-break-in-attempt", false);
  } else if (has(msg, "maximum authentication attempts exceeded") ||
             has(msg, "Too many authentication failures")) {
    auto from = msg.rfind(" from ");
    if (from != sv::npos) set_from(e, msg, from);
    outcome(e, "ssh-too-many-failures", false);
  } else if (starts(msg, "Did not receive identification string from ")) {
    e.set(Field::source_ip, token_at(msg, 43));
    outcome(e, "ssh-no-identification", false);
  } else if (starts(msg, "pam_unix(sshd:auth): authentication failure;")) {
    e.set(Field::source_ip, kv(msg, "rhost="));
    e.set(Field::user_name, kv(msg, "user="));
    outcome(e, "pam-auth-failure", false);
  }
}

// "alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash"
void parse_sudo(Event& e, sv msg) {
  while (!msg.empty() && msg[0] == ' ') msg.remove_prefix(1);
  if (starts(msg, "pam_unix(sudo:auth): authentication failure;")) {
    e.set(Field::user_name, kv(msg, "ruser="));
    if (!e.has(Field::user_name)) e.set(Field::user_name, kv(msg, "logname="));
    outcome(e, "sudo", false);
    return;
  }
  auto sep = msg.find(" : ");
  if (sep == sv::npos || msg.find(' ') < sep) return;
  e.set(Field::user_name, msg.substr(0, sep));
  auto user = msg.find("USER=");
  if (user != sv::npos) e.set(Field::user_target, token_at(msg, user + 5));
  auto cmd = msg.find("COMMAND=");
  if (cmd != sv::npos) e.set(Field::command_line, msg.substr(cmd + 8));
  bool failed = has(msg, "incorrect password") || has(msg, "NOT in sudoers") || has(msg, "authentication failure") ||
                has(msg, "not allowed to execute");
  outcome(e, "sudo", !failed);
}

void parse_su(Event& e, sv msg) {
  if (starts(msg, "FAILED SU (to ") || starts(msg, "FAILED su for ") ||
      starts(msg, "pam_unix(su:auth): authentication failure;") ||
      starts(msg, "pam_unix(su-l:auth): authentication failure;")) {
    if (starts(msg, "FAILED SU (to ")) {
      auto close = msg.find(") ");
      if (close != sv::npos) {
        e.set(Field::user_target, msg.substr(14, close - 14));
        e.set(Field::user_name, token_at(msg, close + 2));
      }
    } else {
      e.set(Field::user_name, kv(msg, "ruser="));
      e.set(Field::user_target, kv(msg, "user="));
    }
    outcome(e, "su", false);
  } else if (starts(msg, "(to ")) {
    auto close = msg.find(") ");
    if (close == sv::npos) return;
    e.set(Field::user_target, msg.substr(4, close - 4));
    e.set(Field::user_name, token_at(msg, close + 2));
    outcome(e, "su", true);
  } else if (starts(msg, "Successful su for ")) {
    e.set(Field::user_target, token_at(msg, 18));
    auto by = msg.find(" by ");
    if (by != sv::npos) e.set(Field::user_name, token_at(msg, by + 4));
    outcome(e, "su", true);
  }
}

void parse_login(Event& e, sv msg) {
  if (starts(msg, "ROOT LOGIN")) {
    e.set(Field::user_name, "root");
    outcome(e, "login", true);
  } else if (starts(msg, "pam_unix(login:session): session opened for user ")) {
    sv user = token_at(msg, 49);
    if (auto paren = user.find('('); paren != sv::npos) user = user.substr(0, paren);
    e.set(Field::user_name, user);
    outcome(e, "login", true);
  } else if (starts(msg, "FAILED LOGIN")) {
    auto f = msg.find("FOR '");
    if (f != sv::npos) e.set(Field::user_name, token_at(msg, f + 5));
    outcome(e, "login", false);
  }
}

// Legacy RedHat "sshd(pam_unix)[pid]: authentication failure; … rhost=IP user=X": the only
// record of a failed login on those systems.
void parse_legacy_pam(Event& e, sv msg) {
  sv prog = e.get(Field::process_name);
  e.set(Field::process_name, prog.substr(0, prog.size() - 10));  // "sshd(pam_unix)" is sshd's, through PAM
  if (!starts(msg, "authentication failure;")) return;
  e.set(Field::source_ip, kv(msg, "rhost="));
  e.set(Field::user_name, kv(msg, "user="));
  outcome(e, "login", false);
}

void parse_shadow_tools(Event& e, sv msg) {
  if (starts(msg, "new user: name=")) {
    e.set(Field::user_target, token_at(msg, 15));
    e.set(Field::event_action, "user-add");
  } else if (starts(msg, "new group: name=")) {
    e.set(Field::user_target, token_at(msg, 16));
    e.set(Field::event_action, "group-add");
  } else if (starts(msg, "add '") && has(msg, "' to group '")) {
    e.set(Field::user_name, token_at(msg, 5));
    auto g = msg.find("' to group '");
    e.set(Field::user_target, token_at(msg, g + 12));
    e.set(Field::event_action, "group-member-add");
  } else if (starts(msg, "delete user '")) {
    e.set(Field::user_target, token_at(msg, 13));
    e.set(Field::event_action, "user-delete");
  } else if (has(msg, "password changed for ")) {
    e.set(Field::user_target, token_at(msg, msg.find("password changed for ") + 21));
    e.set(Field::event_action, "password-change");
  } else if (starts(msg, "password for '") && has(msg, "' changed by '")) {
    e.set(Field::user_target, token_at(msg, 14));
    e.set(Field::event_action, "password-change");
  } else {
    return;
  }
  e.set(Field::event_outcome, "success");
}

}  // namespace

void parse_auth_message(Event& e) {
  sv prog = e.get(Field::process_name);
  sv msg = e.get(Field::message);
  if (prog.empty() || msg.empty()) return;
  if (prog == "sshd" || prog == "sshd-session") parse_sshd(e, msg);
  else if (prog == "sudo") parse_sudo(e, msg);
  else if (prog == "su") parse_su(e, msg);
  else if (prog == "login") parse_login(e, msg);
  else if (prog.size() > 10 && prog.substr(prog.size() - 10) == "(pam_unix)") parse_legacy_pam(e, msg);
  else if (prog == "useradd" || prog == "groupadd" || prog == "usermod" || prog == "userdel" || prog == "passwd" ||
           prog == "chpasswd" || prog == "gpasswd" || prog == "adduser")
    parse_shadow_tools(e, msg);
}

}  // namespace vigil::logs
