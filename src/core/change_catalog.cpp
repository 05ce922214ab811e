// The rules `vigil diff` raises: one per table and kind of change.
#include "core/change_catalog.hpp"

#include <array>

namespace vigil {

namespace {

constexpr std::array kChangeRules = std::to_array<RuleInfo>({
    {"change.listener-added", "New listening port since the baseline",
     "A port that was closed at the baseline is listening now: the most common sign of a backdoor or an "
     "unapproved service.",
     "Identify the program holding it; if nobody installed it on purpose, stop it and find how it started.",
     "T1571", "high; medium when it listens on loopback only and a package owns the program"},
    {"change.listener-removed", "Listening port closed since the baseline",
     "A service that listened at the baseline no longer does: expected after planned work, suspicious for a "
     "security or logging service.",
     "Confirm the service was stopped on purpose.", "T1489", "low"},
    {"change.process-added", "New program running since the baseline",
     "A program (executable, command line and user) that did not run at the baseline runs now.",
     "Check what started it (parent, unit, cron) and whether it belongs on this host.", "TA0002",
     "info when a package owns it; low when none does; medium when it also runs from a temporary directory, "
     "was deleted or is fileless"},
    {"change.process-removed", "Program no longer running since the baseline",
     "A program that ran at the baseline is gone.", "Confirm it was stopped on purpose.", "", "info"},
    {"change.process-changed", "Running program's executable changed since the baseline",
     "The same program runs, but its executable was deleted or its content differs from the baseline.",
     "Compare the binary with the package's checksums and restart it from a known-good file.", "T1554", "medium"},
    {"change.interface-added", "New network interface since the baseline",
     "A tunnel, bridge or container interface appeared.", "Confirm it belongs to a known service.", "", "info"},
    {"change.interface-removed", "Network interface gone since the baseline", "An interface that existed is gone.",
     "Confirm the change was planned.", "", "info"},
    {"change.interface-changed", "Network interface changed since the baseline",
     "Its hardware address or promiscuous mode changed; an interface that became promiscuous receives every "
     "frame, which is what sniffers need.",
     "Find the process holding a packet socket on it (vigil triage) and why.", "T1040",
     "medium when it became promiscuous; low otherwise"},
    {"change.user-added", "New account since the baseline",
     "An account that did not exist at the baseline; attackers add one to come back.",
     "Confirm who created it and why; lock it if nobody can say.", "T1136.001",
     "low for a system account without a login shell; medium with a login shell; high with uid 0"},
    {"change.user-removed", "Account removed since the baseline", "An account that existed at the baseline is gone.",
     "Confirm the removal was planned.", "T1531", "low"},
    {"change.user-changed", "Account changed since the baseline",
     "Its uid, group, shell, home or password state changed since the baseline.",
     "Confirm the change was made by an administrator.", "T1098",
     "low; medium when it gains a login shell or an empty password; high when its uid becomes 0"},
    {"change.group-added", "New group since the baseline", "A group that did not exist at the baseline.",
     "Confirm who created it.", "T1098", "low"},
    {"change.group-removed", "Group removed since the baseline", "A group that existed at the baseline is gone.",
     "Confirm the removal was planned.", "", "info"},
    {"change.group-changed", "Group membership changed since the baseline",
     "Members or the gid changed; joining root, sudo, wheel, adm, shadow, disk, docker or lxd gives root or "
     "its secrets.",
     "Confirm the membership change with whoever manages accounts.", "T1098",
     "low; high when someone joins a privileged group"},
    {"change.sudo-rule-added", "New sudo rule since the baseline",
     "A sudoers rule grants someone rights it did not at the baseline.",
     "Read the rule in its file; remove it unless an administrator added it.", "T1548.003",
     "medium; high for NOPASSWD: ALL"},
    {"change.sudo-rule-removed", "Sudo rule removed since the baseline", "A sudoers rule of the baseline is gone.",
     "Confirm the change was planned.", "", "info"},
    {"change.persistence-added", "New start-up item since the baseline",
     "Something new runs at boot, login or on a schedule (cron, systemd, rc, shell start-up, authorized key, "
     "PAM, udev …): how intruders come back after a reboot.",
     "Read the item; remove it unless an administrator or a package put it there.", "TA0003",
     "medium; high when it runs from a temporary directory, downloads or serves a shell; low when a package "
     "owns its file"},
    {"change.persistence-removed", "Start-up item removed since the baseline",
     "A start-up item of the baseline is gone.", "Confirm the change was planned.", "", "info"},
    {"change.persistence-changed", "Start-up item changed since the baseline",
     "The same start-up item changed its options, owner, package or enabled state.",
     "Read the item and confirm the change.", "TA0003", "medium"},
    {"change.package-added", "Package installed since the baseline", "A package that was not installed is now.",
     "Confirm it was installed on purpose.", "", "info"},
    {"change.package-removed", "Package removed since the baseline", "A package of the baseline is gone.",
     "Confirm it was removed on purpose.", "", "info"},
    {"change.package-changed", "Package upgraded or changed since the baseline",
     "Its version or installation state changed.", "Nothing, if updates were applied.", "", "info"},
    {"change.file-check-added", "New suspicious file since the baseline",
     "A file check (setuid program, file in /dev, world-writable command, modified package file …) finds "
     "something it did not at the baseline.",
     "Run vigil triage for the full judgement and inspect the file.", "TA0005",
     "medium; high for a setuid program or a modified package file"},
    {"change.file-check-removed", "Suspicious file gone since the baseline",
     "A file check result of the baseline no longer holds.", "Nothing, if it was cleaned up on purpose.", "",
     "info"},
    {"change.rootkit-probe-added", "Rootkit probe answers differently from the baseline",
     "A hidden process, port, module, known rootkit file or link-count mismatch that was not there at the "
     "baseline.",
     "Run vigil triage for the full judgement.", "T1014", "medium"},
    {"fim.changed", "File changed since the integrity baseline",
     "Content, permissions, owner, links or times of a watched file differ from the signed baseline: a replaced "
     "program, an edited configuration, or a planned update not yet accepted.",
     "Compare with the package (vigil fim packages) or a backup; if the change was planned, accept it with vigil "
     "fim update.",
     "T1554,T1565.001",
     "high for programs, libraries, /boot and authentication files (or a new setuid bit or capability); medium for "
     "other configuration; low for data; one step lower when only times, inode or links changed"},
    {"fim.added", "New file since the integrity baseline",
     "A watched directory holds a file the baseline does not: a dropped tool, or a planned install not yet "
     "accepted.",
     "Find what created it; accept planned changes with vigil fim update.", "T1105",
     "medium in program, library and authentication directories; high for a setuid program; low elsewhere"},
    {"fim.removed", "File removed since the integrity baseline",
     "A file of the baseline is gone: deleted logs and tools, or a planned removal.",
     "Confirm the removal; accept planned changes with vigil fim update.", "T1070.004",
     "medium in program, library and authentication directories; low elsewhere"},
    {"fim.baseline-invalid", "Integrity baseline fails its signature check",
     "The baseline was edited after it was signed, or signed with another key: it cannot be trusted, so nothing "
     "was compared. Someone with write access to the store may have rewritten it to hide a change.",
     "Check the host against a copy of the baseline kept on read-only media or another host (vigil fim export); "
     "treat the host as suspect until then.",
     "T1562.001", "critical"},
    {"change.rootkit-probe-removed", "Rootkit probe result gone since the baseline",
     "A probe result of the baseline no longer holds.", "Nothing.", "", "info"},
});

}  // namespace

std::span<const RuleInfo> change_rules() { return kChangeRules; }

}  // namespace vigil
