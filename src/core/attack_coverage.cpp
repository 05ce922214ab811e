// The ATT&CK coverage table: the techniques listed here, the rules whose ATT&CK ids name each
// (the technique or one of its sub-techniques), and the reason where no rule does.
#include "core/attack_coverage.hpp"

#include <fmt/format.h>

#include <array>
#include <string_view>

#include "core/rule_catalog.hpp"
#include "core/text.hpp"

namespace vigil {

namespace {

struct Technique {
  std::string_view tactic, id, name;
  std::string_view without;  // why no rule covers it (shown only when none does)
};

constexpr auto kTechniques = std::to_array<Technique>({
    {"Persistence", "T1037", "Boot or Logon Initialization Scripts (rc.local, init.d, motd)", ""},
    {"Persistence", "T1053.003", "Scheduled Task/Job: Cron (and at jobs)", ""},
    {"Persistence", "T1543.002", "Create or Modify System Process: Systemd Service (units, timers, generators)", ""},
    {"Persistence", "T1546.004", "Event Triggered Execution: Unix Shell Configuration Modification", ""},
    {"Persistence", "T1547.006", "Boot or Logon Autostart Execution: Kernel Modules and Extensions", ""},
    {"Persistence", "T1556.003", "Modify Authentication Process: Pluggable Authentication Modules", ""},
    {"Persistence", "T1098.004", "Account Manipulation: SSH Authorized Keys", ""},
    {"Persistence", "T1136.001", "Create Account: Local Account", ""},
    {"Persistence", "T1505.003", "Server Software Component: Web Shell", ""},
    {"Persistence", "T1574.006", "Hijack Execution Flow: Dynamic Linker Hijacking", ""},
    {"Persistence", "T1554", "Compromise Host Software Binary", ""},
    {"Persistence", "T1133", "External Remote Services",
     "a VPN or remote-access service is configuration, not an artefact: the listeners and logins it makes are "
     "(network.*, logs.*)"},
    {"Persistence", "T1542", "Pre-OS Boot (bootkits)",
     "firmware and boot sectors are not read; vigil fim watches /boot"},
    {"Privilege escalation", "T1548.001", "Abuse Elevation Control Mechanism: Setuid and Setgid", ""},
    {"Privilege escalation", "T1548.003", "Abuse Elevation Control Mechanism: Sudo and Sudo Caching", ""},
    {"Privilege escalation", "T1548", "Abuse Elevation Control Mechanism (with file capabilities)", ""},
    {"Privilege escalation", "T1078.003", "Valid Accounts: Local Accounts", ""},
    {"Privilege escalation", "T1068", "Exploitation for Privilege Escalation",
     "an exploit leaves no artefact of its own; what it leaves (a root shell, a setuid file, a new account) "
     "has a rule"},
    {"Privilege escalation", "T1611", "Escape to Host", "container escapes are not judged yet"},
    {"Defence evasion", "T1014", "Rootkit", ""},
    {"Defence evasion", "T1027", "Obfuscated Files or Information", ""},
    {"Defence evasion", "T1140", "Deobfuscate/Decode Files or Information", ""},
    {"Defence evasion", "T1036.003", "Masquerading: Rename System Utilities", ""},
    {"Defence evasion", "T1036.005", "Masquerading: Match Legitimate Name or Location", ""},
    {"Defence evasion", "T1564.001", "Hide Artifacts: Hidden Files and Directories", ""},
    {"Defence evasion", "T1564", "Hide Artifacts (processes hidden by mounts)", ""},
    {"Defence evasion", "T1070.002", "Indicator Removal: Clear Linux or Mac System Logs", ""},
    {"Defence evasion", "T1070.003", "Indicator Removal: Clear Command History", ""},
    {"Defence evasion", "T1070.004", "Indicator Removal: File Deletion", ""},
    {"Defence evasion", "T1070.006", "Indicator Removal: Timestomp", ""},
    {"Defence evasion", "T1562.001", "Impair Defenses: Disable or Modify Tools", ""},
    {"Defence evasion", "T1562.003", "Impair Defenses: Impair Command History Logging", ""},
    {"Defence evasion", "T1562.006", "Impair Defenses: Indicator Blocking",
     "auditd and journald settings are judged by vigil audit (the hardening policy), not by triage"},
    {"Defence evasion", "T1620", "Reflective Code Loading", ""},
    {"Defence evasion", "T1205.002", "Traffic Signaling: Socket Filters", ""},
});

// A rule covers a technique when one of its ids is the technique or a sub-technique of it.
bool covers(std::string_view attack, std::string_view technique) {
  for (auto id : split(attack, ',')) {
    id = trim(id);
    if (id == technique || (id.starts_with(technique) && id.size() > technique.size() && id[technique.size()] == '.'))
      return true;
  }
  return false;
}

}  // namespace

std::string attack_coverage_markdown() {
  std::string out =
      "\n## ATT&CK for Linux: persistence, privilege escalation, defence evasion\n\nEach technique of these "
      "tactics that applies to a Linux host, with the rules that cover it (their ATT&CK ids name it or one of "
      "its sub-techniques), or why none does.\n\n| tactic | technique | rules |\n|---|---|---|\n";
  for (const auto& t : kTechniques) {
    std::string rules;
    for (const auto& r : rule_catalog())
      if (covers(r.attack, t.id)) rules += (rules.empty() ? "" : ", ") + fmt::format("`{}`", r.id);
    if (rules.empty()) rules = "none: " + std::string(t.without.empty() ? "no rule yet" : t.without);
    out += fmt::format("| {} | {} {} | {} |\n", t.tactic, t.id, t.name, rules);
  }
  return out;
}

}  // namespace vigil
