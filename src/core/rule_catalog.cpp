// The triage rule catalog.
#include "core/rule_catalog.hpp"

#include <fmt/format.h>

#include <array>
#include <stdexcept>
#include <vector>

#include "core/attack_coverage.hpp"
#include "core/change_catalog.hpp"
#include "core/text.hpp"

namespace vigil {

namespace {

constexpr std::array kRules = std::to_array<RuleInfo>({
    // process
    {"process.deleted-executable", "Process runs from a deleted executable",
     "The program file was deleted after the process started. Malware deletes itself to hide; a "
     "package upgrade also leaves the old binary running until a restart.",
     "Copy the binary out of /proc/PID/exe for analysis, then find out who started the process. "
     "If a package owns the path, restart the service.",
     "T1070.004", "low when a package owns the path (an upgrade); high otherwise"},
    {"process.temp-executable", "Process runs from a temporary or world-writable directory",
     "Programs installed by the system never live in /tmp, /var/tmp or /dev/shm; attackers drop "
     "their tools there because anyone can write there.",
     "Inspect the binary (copy /proc/PID/exe), its parent and its network connections; kill it "
     "if nobody can explain it.",
     "T1036", "medium; high when it is also deleted, networked or masquerading"},
    {"process.hidden-dir-executable", "Process runs from a hidden directory",
     "A directory whose name starts with a dot does not show in a plain ls: intruders keep their tools in "
     "one (/usr/lib/.x/, /var/.cache/). In a home's own dot-directories (~/.local, ~/.pyenv, ~/.cargo) "
     "people install their own tools, a much weaker sign.",
     "Check what the program is (copy /proc/PID/exe), who started it and why it lives there; a tool "
     "manager's interpreter in a user's home is usually fine.",
     "T1564.001", "low in a home's dot-directory (medium when deleted or disguised); medium elsewhere; high "
     "when also deleted, networked or disguised"},
    {"process.fileless", "Process runs from memory (memfd), with no file on disk",
     "The executable is an anonymous memory file: nothing on disk to scan, the hallmark of "
     "fileless malware and in-memory loaders.",
     "Dump /proc/PID/exe and /proc/PID/maps for analysis; find the parent that created it.",
     "T1620", "medium; high when it is networked or a shell or interpreter"},
    {"process.suspicious-script", "Shell or interpreter runs a deleted or hidden script",
     "The script a bash, python, perl or other interpreter runs was deleted after it started (droppers remove "
     "themselves), or sits in a temporary or hidden directory: the process lives on with nothing on disk to "
     "read.",
     "Copy the script from /proc/PID/fd/255 (bash) or the process's memory before stopping it, then find what "
     "started it.",
     "T1070.004,T1059.004", "medium in a temporary or hidden directory; high when deleted; one step higher with "
     "network connections (or deleted from a temporary directory)"},
    {"process.kernel-thread-masquerade", "User process disguised as a kernel thread",
     "Its name looks like a kernel thread ([kworker/0:1]) but it runs a program from a file: a "
     "classic way for a backdoor to hide in a process list.",
     "Check /proc/PID/exe and the process's network connections; kill it and find how it "
     "started.",
     "T1036", "high"},
    {"process.name-masquerade", "Unpackaged program uses the name of a system daemon",
     "The executable belongs to no package yet carries the name of a well-known system service, "
     "so it blends into a process list.",
     "Compare /proc/PID/exe with the real daemon's binary; investigate where it came from.",
     "T1036.005", "high"},
    {"process.reverse-shell", "Reverse or bind shell command line",
     "The command line serves a shell over the network (netcat/socat with -e or exec, bash "
     "/dev/tcp, a scripting one-liner that connects a socket to a shell): an attacker's remote "
     "control.",
     "Isolate the host, record the remote address, kill the process, and look for how it was "
     "started (web shell, cron, service).",
     "T1059.004", "critical"},
    {"process.shell-network-connection", "Shell opened a TCP connection",
     "A shell (bash's /dev/tcp) connected to a network address, seen live by vigil watch. "
     "Health checks and scripts do this too; a reverse shell does it and then moves the "
     "connection onto its input and output, which is reported as process.reverse-shell.",
     "Check which script ran the shell (the parent) and whether the address is expected.",
     "T1059.004", "low"},
    {"process.attacker-tool", "Known attacker or offensive tool",
     "The program's name matches a public offensive tool (credential dumper, privilege "
     "escalation script, tunnel, miner).",
     "Confirm whether an authorised tester runs it; otherwise treat the host as compromised.",
     "T1588.002", "medium for dual-use tunnels; high for the rest"},
    {"process.shell-from-network-service", "Shell started by a network service",
     "A web server or database started a shell: how web shells and injected commands look "
     "from the process tree.",
     "Read the service's access logs around the process start time; look for uploaded scripts "
     "in the web root.",
     "T1505.003", "high"},
    {"process.renamed-system-binary", "Copy of a system program under another name",
     "The executable belongs to no package, but its content is byte-for-byte a packaged program "
     "with a different name: a renamed tool (netcat as 'msupdate').",
     "See what it listens on or connects to, kill it, and remove the copy.", "T1036.003",
     "high; critical for netcat, socat or a shell"},
    // network
    {"process.unowned-listener", "Unpackaged program listens on loopback",
     "A program no package owns accepts connections, only from this host.",
     "Identify the program; if it is a known local service, add it to the suppression file with a "
     "reason.",
     "T1571", "low; high when it runs from a temporary directory or a hidden one outside the homes, or is deleted"},
    {"network.unowned-public-listener", "Unpackaged program listens on the network",
     "A program no package owns accepts connections from other hosts: either software installed "
     "by hand or a backdoor.",
     "Identify the program and who installed it; firewall or stop it if unexplained; suppress it "
     "with a reason if it is yours.",
     "T1571", "medium; high when it runs from a temporary directory or a hidden one outside the homes, is deleted or fileless"},
    {"network.packet-sniffer", "Packet capture socket open",
     "A process reads raw frames from the network: a sniffer can harvest passwords and session "
     "tokens from traffic.",
     "Confirm who runs the capture and why; stop it if nobody does.", "T1040",
     "medium for a known capture tool; high for an unpackaged program"},
    {"network.mining-pool", "Process talks to a cryptocurrency mining pool",
     "A connection to a port mining pools use (3333, 5555, 7777, 14444, 45700 …) or a stratum+tcp:// URL in the "
     "command line: a miner, the most common payload on a compromised Linux server; busy, unpackaged or run "
     "from /tmp it is certainly not yours.",
     "Stop the process, note the pool and wallet in its command line, and find how it got there (cron, "
     "systemd, authorized keys).",
     "T1496", "low for a pool port alone; medium for a stratum URL; high when it is busy (half a core or more), "
     "unpackaged, or runs from a temporary, hidden or deleted file"},
    {"network.bpf-filter-socket", "Packet socket with a BPF filter held by an unpackaged program",
     "A program no package owns (or a deleted or fileless one) holds a packet socket with a classic BPF filter: "
     "it sees chosen packets before any firewall, without a listening port for a scan to find. That is how "
     "BPFDoor and similar backdoors wait for their magic packet.",
     "Take a memory image of the process if you can, kill it, block the trigger traffic, and look for how it "
     "starts (persistence findings).",
     "T1205.002,T1014", "critical"},
    {"network.promiscuous-interface", "Network interface in promiscuous mode",
     "The interface accepts every frame on the wire, not only its own: what a sniffer sets.",
     "Find the process holding a packet socket on it (see the sockets inventory).", "T1040",
     "medium"},
    {"network.shell-connection", "Shell or interpreter holds a network connection",
     "Shells do not open network connections; one that has a socket, especially as its input "
     "or output, is being driven by a remote peer.",
     "Record the remote address, kill the process, look for the parent that started it.",
     "T1059.004",
     "critical when the socket is its stdin/stdout/stderr; high for a shell; low for "
     "an interpreter's outbound connection"},
    // accounts
    {"account.uid0-duplicate", "Account with UID 0 besides root",
     "Any account with user id 0 is root under another name: a favourite backdoor.",
     "Remove the account, or lock it and find out who added it (check /etc/passwd's change "
     "time).",
     "T1136.001", "high; critical when it can log in with a password"},
    {"account.empty-password", "Account with an empty password",
     "The account has no password at all: where PAM allows it, anyone can log in.",
     "Lock it (passwd -l NAME) or set a password.", "T1078.003", "high; critical for UID 0"},
    {"account.system-login-password", "System account with a login shell and a password",
     "Service accounts should not log in; a usable password and shell turn one into a quiet "
     "door.",
     "Set its shell to /usr/sbin/nologin and lock its password.", "T1078.003", "medium"},
    {"account.privileged-group", "Login account in root's group or an admin group",
     "An account with a login shell whose primary or supplementary group is root's (gid 0) can write whatever "
     "root's group may; disk and shadow read raw disks and password hashes; docker and lxd start a root "
     "container; sudo, wheel and admin are the administrators. A service account in any of them is a planted "
     "door.",
     "Check that the membership is intended (getent group NAME); remove the account from the group otherwise.",
     "T1098,T1078.003", "info for a person in an admin group; low for container groups; medium for disk and "
     "shadow; high for root's group, or for a service account in any of them; critical for a service account "
     "in root's group"},
    {"account.sudo-nopasswd-all", "sudo grants every command without a password",
     "NOPASSWD: ALL makes this principal root without any password check; one stolen session "
     "or key is a full compromise.",
     "Require a password, or restrict the commands; if it was not added on purpose, find who "
     "added it.",
     "T1548.003", "medium"},
    {"account.sudo-defaults-weakened", "A sudoers Defaults setting gives privilege away",
     "A Defaults line turns off what keeps sudo safe: env_keep of LD_PRELOAD, LD_LIBRARY_PATH or LD_AUDIT lets a "
     "user with any sudo rule load their own library into a command run as root (a root shell in one step); "
     "!authenticate asks no password for any rule; !env_reset passes the caller's whole environment; a negative "
     "timestamp_timeout keeps one password valid forever.",
     "Remove the setting (visudo); if nobody remembers adding it, treat it as a planted escalation path and find "
     "who changed the file (vigil fim, the file's ctime, auth logs).",
     "T1548.003", "high for an LD_* variable kept; medium for !authenticate or !env_reset; low for the timeout"},
    {"account.temp-home-or-shell", "Account's shell or home lives in a temporary directory",
     "A login shell or home in /tmp or /dev/shm is world-writable ground; a shell there is a "
     "planted backdoor.",
     "Point the account at a real shell and home, and inspect the file.", "T1546",
     "medium for a home; high for a shell"},
    // logins
    {"login.active-session", "User logged in now",
     "Who is logged in and from where: the first question of an incident.",
     "Confirm each session belongs to someone you know.", "T1078", "info"},
    {"login.failed-logins", "Failed logins recorded (btmp)",
     "Failed logins show password guessing; many from one source are a brute-force attack.",
     "Block the sources, use keys instead of passwords, and check for a success from the same "
     "source.",
     "T1110", "info; low at the threshold or above from one source"},
    {"login.record-zeroed", "Zeroed login record",
     "A login record filled with zero bytes is what log wipers (zap, wtmpclean) leave where they "
     "removed an entry.",
     "Treat the login history as tampered; use other logs (auth.log, journal) to find the "
     "missing session.",
     "T1070.002", "high between records; medium at the end of the file"},
    {"login.records-out-of-order", "Login records out of time order",
     "Login records are appended as they happen; a record older than the one before it suggests "
     "an edited file (or a clock step).",
     "Compare with the journal and auth.log for the same period.", "T1070.002", "medium"},
    {"login.lastlog-mismatch", "lastlog disagrees with wtmp",
     "lastlog shows a login that the login history does not contain, or one newer than the "
     "history's end: the history was likely edited (chkrootkit's chklastlog).",
     "Compare with the journal and auth.log; treat wtmp as tampered.", "T1070.002", "medium"},
    // persistence
    {"persistence.temp-path", "Start-up item runs something from a temporary or hidden directory",
     "A cron job, unit, key or script that starts a program from /tmp, /var/tmp, /dev/shm or a hidden "
     "directory survives reboots with a payload nobody installed properly.",
     "Look at the program it starts (copy it first), remove the item, and find who created it (file owner and "
     "mtime are in the evidence).",
     "T1053.003,T1543.002,T1037,T1546.004", "high (medium for making a file there executable)"},
    {"persistence.download-exec", "Start-up item downloads and runs code",
     "Piping curl or wget into a shell, or fetching a file and making it executable, at every start runs "
     "whatever the attacker's server serves today: a classic dropper.",
     "Note the URL, block it, remove the item, and look for what it already installed.",
     "T1105,T1059.004,T1053.003,T1546.004", "high"},
    {"persistence.obfuscated-command", "Start-up item decodes hidden code and runs it",
     "A cron job, unit or script that base64- or hex-decodes a payload into a shell, or evaluates what a decoder "
     "prints, hides what it does from a reader: administrators have no reason to.",
     "Decode the payload (without running it) to see what it does, remove the item, and look for what it "
     "already did.",
     "T1027,T1140,T1059.004", "high"},
    {"persistence.reverse-shell", "Start-up item opens a remote shell or starts netcat",
     "A scheduled job or service that connects a shell to the network, or starts netcat or socat, is a "
     "backdoor that comes back after every reboot.",
     "Remove the item, record the remote address, and treat the host as compromised.",
     "T1059.004,T1053.003,T1543.002,T1546.004",
     "critical for a shell served to the network; high for netcat or socat alone"},
    {"persistence.ld-preload", "Library preloaded into every program",
     "/etc/ld.so.preload (or LD_PRELOAD in an environment file or unit) loads a library into every program "
     "started: the way user-land rootkits (Jynx, Azazel, Libprocesshider) hide files and processes.",
     "Check the library (is it packaged?), remove the entry from a rescue system, and assume the tools "
     "on this host lie.",
     "T1574.006", "high"},
    {"persistence.unowned-item", "Start-up file that no package installed",
     "A cron file, unit, generator, init or dispatcher script, APT hook or at job that belongs to no package "
     "is either the administrator's own or planted; changed within the --since window (mtime, or ctime, which "
     "touch cannot set back) it is how fresh persistence looks.",
     "Confirm who made it; suppress it with a reason if it is yours.", "T1053.003,T1543.002,T1037",
     "low; medium when the file changed within --since"},
    {"evasion.history-disabled", "Shell history switched off",
     "unset HISTFILE, HISTFILE=/dev/null, HISTSIZE=0 or set +o history in a start-up file, or a history file "
     "that is a link to /dev/null, keeps every later session from leaving a record: an intruder covering "
     "tracks.",
     "Remove the line, look at who changed the file and when, and rely on auditd or the journal for what the "
     "sessions did.",
     "T1070.003,T1562.003", "medium; high when the file changed within --since, or for root's history file "
     "linked to /dev/null"},
    {"persistence.authorized-key-recent", "SSH authorized_keys changed recently",
     "A key added to authorized_keys gives its holder a login that survives password changes.",
     "Compare the keys with those you know; remove any you cannot name.", "T1098.004", "medium"},
    {"persistence.authorized-key-forced-command", "SSH key with a forced command",
     "A command= option runs that command whenever the key logs in: used for backups and git, and by "
     "attackers to hide a backdoor behind a key.",
     "Make sure the command is one you set up.", "T1098.004", "low"},
    {"persistence.pam-module-unowned", "PAM module that no package owns",
     "Every login passes through PAM modules; an unpackaged one can record passwords or accept a master "
     "password (the pam_unix backdoor).",
     "Compare the module with the packaged one, remove it from the stack, and change the passwords used "
     "since it appeared.",
     "T1556.003", "high"},
    {"persistence.pam-exec", "PAM runs a program at login",
     "pam_exec or pam_script in a PAM stack runs a program at every login, as root; with expose_authtok (or "
     "pam_script's auth and passwd scripts) the program is handed the password typed, the simplest way to "
     "harvest every password on a host.",
     "Read the program and the stack line; remove them unless you set them up, and change the passwords used "
     "since.",
     "T1556.003", "low for a packaged program handed the password; medium for an unpackaged one; high when "
     "unpackaged and handed the password"},
    // ssh
    {"ssh.risky-setting", "SSH server setting that opens the door",
     "PermitEmptyPasswords yes lets accounts without a password log in; PermitRootLogin yes (worse when only a "
     "Match block for one address or user grants it, an exception carved for somebody) gives password guessing "
     "the best account; StrictModes no and PermitUserEnvironment yes help a planted key or library.",
     "Set the safe value (PermitEmptyPasswords no, PermitRootLogin prohibit-password or no, StrictModes yes, "
     "PermitUserEnvironment no), ask who added a Match exception, and reload sshd.",
     "T1098.004,T1556", "low for root login, StrictModes and user environment; medium for root login granted "
     "in a Match block; high for empty passwords"},
    {"ssh.authorized-keys-elsewhere", "SSH keys kept outside the usual authorized_keys",
     "sshd_config's AuthorizedKeysFile points sshd at another file (a shared /etc/ssh/keys/%u, or anywhere): keys "
     "there log in like any other, and nobody checking ~/.ssh sees them.",
     "Check every key in the file and the AuthorizedKeysFile line; keep keys where your tools look.",
     "T1098.004", "medium; high in a temporary or hidden directory"},
    {"ssh.login-command", "sshd runs a program at login",
     "AuthorizedKeysCommand (or AuthorizedPrincipalsCommand) runs a program that tells sshd which keys open an "
     "account: an unpackaged one can let any key in. ForceCommand runs a program instead of the user's shell.",
     "Read the program; remove the setting unless you set it up, and reload sshd.", "T1098.004,T1556",
     "info for a packaged key program; medium for an unpackaged ForceCommand; high for an unpackaged key "
     "program"},
    // rootkit probes
    {"rootkit.hidden-process", "Process hidden from the process list",
     "The kernel answers for this process id, but listing /proc does not show it: the signature of a "
     "kernel rootkit hiding its processes (unhide's brute-force check).",
     "Treat the host as compromised: take a memory image if you can, then rebuild it from known-good media.",
     "T1014", "critical"},
    {"rootkit.hidden-port", "Port in use that no socket list shows",
     "bind() says the port is taken, yet no socket in /proc/net holds it: a rootkit hides its backdoor's "
     "listener from netstat and ss.",
     "Check the port from another host with a scanner, take the host offline, and rebuild it.", "T1014,T1571",
     "high"},
    {"rootkit.hidden-module", "Kernel module hidden from lsmod",
     "The module appears in /sys/module but not in /proc/modules: kernel rootkits (Diamorphine, Reptile) "
     "unlink themselves from the module list.",
     "Treat the kernel as compromised: the only fix is to rebuild from known-good media.", "T1014,T1547.006",
     "critical"},
    {"rootkit.known-artifact", "File, directory or module of a known rootkit",
     "A path or module name that a published rootkit or worm installs is present, and no package owns it.",
     "Inspect it (copy it first), then treat the host as compromised.", "T1014",
     "high; critical for a kernel module, loaded or a module file on disk"},
    {"rootkit.proc-mount", "Process hidden by a mount over /proc",
     "Something is mounted over /proc/PID: ps, top and every tool that reads /proc see an empty or different "
     "process there. No program has a reason to do this; it hides a process without a kernel module.",
     "Unmount it (umount /proc/PID) from a shell you trust, look at the process it hid, and treat the host as "
     "compromised.",
     "T1564,T1014", "critical"},
    {"rootkit.unowned-module", "Kernel module on disk that no package installed",
     "An out-of-tree kernel module (lib/modules/*/extra or updates) that no package and no DKMS build put "
     "there runs with the kernel's full power once loaded; loaded at every boot from modules-load.d it is how "
     "kernel rootkits (Reptile, Diamorphine) persist.",
     "Find where the module came from (modinfo FILE, its build time), remove the boot entry, and reboot from "
     "known-good media if it was loaded.",
     "T1547.006,T1014", "medium; high when a modules-load.d or /etc/modules entry loads it at boot"},
    {"rootkit.link-count", "Directory hides entries (link count mismatch)",
     "The directory's link count says it has more subdirectories than a listing shows: a rootkit filtering "
     "directory listings leaves this trace (chkrootkit's chkdirs).",
     "List the directory from a rescue system and compare; run fsck if nothing is hidden.", "T1014,T1564.001",
     "high"},
    // files
    {"files.recent-unowned-program", "New unpackaged program or library in a system directory",
     "A program or shared library that no package installed appeared or changed in a system directory "
     "within the --since window: where trojans and preload rootkits are put.",
     "Find who put it there (owner, ctime); compare with a known-good host; remove it if unexplained.",
     "T1036.005,T1574.006", "medium"},
    {"files.backdated-program", "Unpackaged program whose modification time was set back",
     "A program no package owns, in a system program directory, with an mtime days before its inode last "
     "changed: copied with its times kept (a tarball install), or backdated with touch -r to look old. Either "
     "way it escapes a 'recently changed' search; changed within --since it is files.recent-unowned-program.",
     "Check where the program came from; compare its hash with the vendor's.", "T1070.006,T1036.005", "low"},
    {"files.recent-config", "Configuration changed recently",
     "Files under /etc that no package owns changed within the --since window (accounts, keys, services): "
     "worth a look after an incident.",
     "Check the changes are yours.", "T1098", "low"},
    {"files.package-modified", "Packaged file no longer matches its package",
     "The file's MD5 differs from the checksum its package recorded: a replaced (trojaned) program is the "
     "classic rootkit move (the debsums check); edited scripts and data matter less.",
     "Compare with a clean copy of the package (apt-get download), reinstall it, and treat the host as "
     "compromised if the change is not explained.",
     "T1554,T1036.005",
     "high for programs and libraries (ELF, or in a program directory); medium for other code (executable "
     "files, scripts); low for data; one finding per package when more than 10 of its files differ"},
    {"files.package-missing", "Packaged file missing",
     "A file its package installed (and dpkg was not told to leave out) is gone: removed by hand, perhaps a "
     "security or logging tool taken out of the way (debsums' missing files).",
     "Find out who removed it; reinstall the package (apt-get install --reinstall).", "T1070.004",
     "medium for programs and libraries; low for other files; one finding per package when more than 10 of its "
     "files are missing"},
    {"files.conffile-modified", "Configuration file differs from its package's version",
     "Administrators edit configuration files, so this is expected; changes to authentication and loader "
     "configuration deserve a look.",
     "Review the differences (dpkg --verify names them too).", "T1556",
     "info; low for PAM, SSH, sudo, security and loader configuration"},
    {"files.suspicious-name", "File with a name built to hide",
     "Names such as '...', a lone blank, '.. ' or control characters are chosen to be overlooked in a "
     "listing.",
     "Look inside (ls -lab shows the name), and find who created it.", "T1564.001",
     "medium; high in temporary directories"},
    {"files.hidden-dir-programs", "Programs in a hidden directory in temporary space",
     "A dot directory in /tmp, /var/tmp or /dev/shm that holds executables is a classic attacker's toolbox.",
     "Copy it for analysis, look for the processes that run from it, then remove it.", "T1564.001,T1036",
     "high"},
    {"files.dev-file", "Regular file or hidden directory under /dev",
     "/dev holds device nodes; rootkits hide their files and logs there because nobody looks.",
     "Inspect and remove it; check which process writes there.", "T1564.001", "high"},
    {"files.setuid-unowned", "Set-user-ID program that no package owns",
     "A setuid program runs with its owner's rights; an unpackaged one (above all a copy of a shell) is a "
     "ready-made way back to root.",
     "Remove the setuid bit (chmod u-s) or the file, and find who created it.", "T1548.001",
     "high; critical for a copy of a shell or in a temporary directory"},
    {"files.capability", "Program with file capabilities",
     "A file capability gives a program part of root's power whoever runs it: cap_setuid, cap_sys_admin, "
     "cap_dac_override and the like are root in all but name, and on a copy of python, perl or a shell they let "
     "any user become root (the quiet alternative to a setuid shell).",
     "Check why the program has it (getcap), remove it with setcap -r unless a package or you set it, and find "
     "who did.",
     "T1548", "critical for a root-equivalent capability on a shell or interpreter; high for one on an "
     "unpackaged program (medium for other capabilities); low or medium on a packaged program its package does "
     "not set that way"},
    {"files.web-shell", "Web shell in a web root",
     "A PHP, JSP or ASP file under a document root hands what a web request sends to eval, system or a shell "
     "(or decodes hidden code and runs it, or names a published web shell): anyone who knows its URL runs "
     "commands as the web server.",
     "Copy the file for evidence, take it out of the web root, read the access log for requests to it (vigil "
     "logs scan), and find how it was uploaded.",
     "T1505.003", "critical for request input run as code or a shell, unpackaged; high for decoding and running "
     "hidden code; one step lower in a file a package installed"},
    {"evasion.history-emptied", "Shell history emptied after the account logged in",
     "The account's history file is empty although it logged in after the file was last written: the history "
     "was cleared (history -c, > ~/.bash_history), or the sessions run with history off.",
     "Rely on auditd, the journal and auth.log for what the sessions did; ask the account's owner.",
     "T1070.003", "low; medium for root"},
    {"evasion.log-missing", "Log file deleted while its rotated copies remain",
     "logrotate rotates this log and its older copy is there, but the file itself is gone: logrotate recreates "
     "it (or truncates it in place), so someone deleted it - the crude way to clear tracks.",
     "Recover what you can from the rotated copies, the journal and remote syslog; find who deleted it (auditd); "
     "restart the logger so it writes again.",
     "T1070.002", "medium; high for authentication, system and audit logs"},
    {"evasion.log-emptied", "Log file emptied in place",
     "logrotate rotates this log by making a new file, yet the file is empty and was last written well after "
     "it was created (its birth time): it was truncated in place (> /var/log/auth.log), the usual way to wipe "
     "a log without the logger noticing.",
     "Recover what you can from the rotated copies, the journal and remote syslog; find who truncated it "
     "(auditd).",
     "T1070.002", "medium; high for authentication, system and audit logs"},
    {"files.world-writable-path", "World-writable file or directory on root's PATH",
     "Anyone can replace a command that root runs, and so become root.",
     "chmod o-w it, and check the command was not already replaced.", "T1574.007", "high"},
    {"files.elf-disguised", "Program disguised as a data file",
     "An ELF program named .jpg, .txt or .log in a web root or temporary directory is hiding what it is.",
     "Copy it for analysis, look for what runs it, then remove it.", "T1036.008", "high"},
    // logs: the built-in detections of vigil logs, which need the absence of an event
    {"logs.auth-slow-brute-force", "Failed logins from a source that never logged in",
     "A source failed to log in again and again and never succeeded, slower than any window rule counts: a "
     "password guesser that stays under per-window thresholds (fail2ban's 5 in 10 minutes).",
     "Block the source at the firewall and make sure password authentication is off where keys suffice.",
     "T1110.001", "low; medium from 20 failures"},
    {"logs.new-login-source", "Login from a source this user had not logged in from before",
     "A user logged in from a source not seen for them earlier in the logs: a stolen password or key used "
     "from elsewhere looks like this, and so does a new laptop.",
     "Confirm with the user that the logins were theirs; if not, lock the account and rotate its keys.", "T1078",
     "info for a private address; low once a public one is among the new sources"},
    // logs: the models of a learned web profile (vigil logs learn; logs scan --profile)
    {"logs.web-profile-unknown-path", "Request for a path the application never served",
     "The learned profile of the site has no such path (numeric and hex ids collapsed), and it is not a new file "
     "in a directory of many files: a probe for a page, an admin tool or a file that is not part of the "
     "application.",
     "Look at what the source requested before and after; if the path is new content, add it to the profile "
     "(or learn again).",
     "T1595.003", "low"},
    {"logs.web-profile-unknown-extension", "Request for a file extension the site never served",
     "The extension was never requested in the traffic the profile was learned from (.bak, .old, .inc, .nsf on a "
     "site of .jsp pages): a probe for source code, backups or another server's files.",
     "Make sure no such file is served; block sources that probe for many.", "T1595.003", "low"},
    {"logs.web-profile-unknown-parameter", "Request with a parameter the application never receives",
     "A parameter name the learned traffic never sent to this path (actionX= where only action= is known): "
     "parameter tampering, a probe for hidden debug or admin switches, or mass assignment.",
     "Check how the application handles unexpected parameters; if the name is new and legitimate, add it to the "
     "profile.",
     "T1190", "medium"},
    {"logs.web-profile-missing-parameter", "Request without a parameter the application always receives",
     "Every learned request to this path with a query carried the parameter; this one did not: tampering that "
     "removes a field to reach an untested code path.",
     "Check that the application rejects the request when the parameter is missing.", "T1190", "low"},
    {"logs.web-profile-value-length", "Parameter value far longer than the application receives",
     "The value is longer than the Chebyshev bound of the learned lengths (mean plus σ/√p): an overflow attempt, "
     "an injected payload or a smuggled file.",
     "Check the application limits the field's length; raise max_length in the profile if long values are "
     "legitimate.",
     "T1190", "medium"},
    {"logs.web-profile-value-characters", "Parameter value with characters the application never receives",
     "The value holds a character class no learned value of this parameter had (a quote or a semicolon in a "
     "quantity, a slash in a button label, control characters): injection or tampering.",
     "Check how the application validates the field; if the characters are legitimate, add them to the "
     "parameter's chars in the profile.",
     "T1190", "medium"},
    {"logs.web-profile-value-enumeration", "Parameter value outside the few values the application receives",
     "The parameter only ever took a few values in the learned traffic (a button label, a sort order, a "
     "country code), and this one is none of them: tampering with a value the user cannot type.",
     "Check that the application rejects unexpected values; add a legitimate one to the profile's values.",
     "T1190", "medium"},
    // vigil watch: what the daemon says about itself, so a gap in watching is never silent
    {"watch.source-problem", "A watched log cannot be followed as it should",
     "vigil watch could not read a log it follows (permission, not a regular file), or the log now holds binary "
     "data: events written there are not being judged. Logs overwritten with other data, or removed, are also "
     "how an intruder hides.",
     "Check the file: who changed it, its permissions; restore logging to it. vigil keeps watching the other "
     "sources and picks this one up again when it is readable.",
     "T1070", "info when unreadable or not a file; low when a followed log is deleted; medium when it turns to binary data"},
    {"watch.sink-down", "A finding output cannot be reached",
     "vigil watch could not deliver to a configured output (a syslog receiver refusing connections, journald "
     "absent): its findings wait in a bounded spool on disk and are sent when it comes back.",
     "Start or fix the receiver; `vigil watch --status` shows the queue and the last error.", "", "info"},
    {"watch.sink-dropped", "Findings were dropped because an output's queue was full",
     "An output was down or slow for so long that its bounded queue filled; the oldest findings waiting for it "
     "were dropped (the other outputs still have them).",
     "Fix the receiver, or raise the sink's buffer in watch.yaml; read the dropped findings from the JSONL output.",
     "", "info"},
    {"watch.action", "vigil watch responded to a finding",
     "A trigger in watch.yaml selected a finding and ran one of its actions: an address blocked in nftables, its "
     "traffic captured, a handler run - or, in a dry run or for an address never blocked, said what it would "
     "have done. event.outcome tells which; the actions ledger in the state directory keeps them all.",
     "Nothing to do unless the action was not wanted: then narrow the trigger (when, severity) or add the "
     "address to response.allowlist; `vigil watch --unblock ADDRESS` lifts a block at once.",
     "", "info"},
    {"watch.action-failed", "A response vigil watch was configured to take did not happen",
     "A trigger selected a finding but its action failed: nftables refused the command, the handler is missing, "
     "failed or hung (killed at its timeout), the capture interface is gone. The attack it answered was not "
     "blocked or recorded.",
     "Read the message for the reason and fix the action in watch.yaml (vigil watch --check-config), or the "
     "handler; meanwhile respond by hand to the finding named in vigil.trigger_rule. A firewall that refuses "
     "changes it accepted before can also be a defence switched off.",
     "T1562.004", "medium"},
    {"watch.state-unsaved", "vigil watch cannot save its state",
     "The state directory is full or unwritable: after a restart vigil would read logs again from the last "
     "saved positions (findings could repeat) or lose windows it was counting.",
     "Free space in (or fix the permissions of) the state directory; a disk filled on purpose blinds the "
     "monitor.",
     "T1562.001", "medium"},
    {"watch.self-limit", "vigil watch went over its resource limit and slowed down",
     "The daemon used more memory or CPU than its configured limits (limits.rss, limits.cpu), so it reads its "
     "sources less often until it is back under them; findings come later, none are skipped.",
     "Look at what is flooding the logs (`vigil watch --status` shows lines per second per source), or raise "
     "the limits in watch.yaml. A flood of log lines is also a way to drown a monitor.",
     "T1562.001", "low"},
    {"watch.config-rejected", "A new vigil watch configuration was refused",
     "On SIGHUP the configuration file was read again and had errors; the daemon keeps running with the "
     "configuration it had.",
     "Run `vigil watch --check-config` and fix what it lists, then send SIGHUP again.", "", "info"},
    // application allowlisting (vigil allowlist check and enforce)
    {"allowlist.file-unlisted", "Executable file not on the allowlist",
     "A program or shared library that neither a package installed (with its shipped content) nor the "
     "administrator added when the list was built. Locally built tools and software unpacked into /opt land "
     "here too; in a temporary or hidden directory it is where intruders keep their tools.",
     "Find out where the file came from (its owner, times, the shell histories); add it with vigil allowlist build "
     "--add if it belongs, delete it otherwise.",
     "T1204.002", "low; medium in a temporary, world-writable or hidden directory"},
    {"allowlist.file-changed", "Allowlisted file has other content",
     "The file is on the allowlist under this path but its size or SHA-256 differs: it was replaced after the "
     "list was built. A package upgrade does this (then the package's own checksum matches the new content); "
     "otherwise a program was trojaned in place.",
     "If a package upgrade explains it, build the list again; if not, compare the file with the package's "
     "(vigil triage, debsums) and treat the host as compromised.",
     "T1554", "low when the content is what its package now ships (an upgrade); high otherwise"},
    {"allowlist.process-unlisted", "Running program not on the allowlist",
     "A process runs an executable that is not on the allowlist, or whose content is not what the list "
     "recorded: with enforcement it could not have started.",
     "Look at the process (its parent, user, network connections, /proc/PID/exe) and decide whether to stop it "
     "or to add its program.",
     "T1204.002", "medium; high when the program is deleted, in a temporary or hidden directory, or changed"},
    {"allowlist.exec-unlisted", "Program not on the allowlist was started (audit mode)",
     "vigil allowlist enforce --audit saw the kernel start a program or interpreter that is not on the list and "
     "let it run; --deny would have refused it.",
     "Review what ran; add legitimate programs to the list before turning on --deny.",
     "T1204.002", "low; medium in a temporary, world-writable or hidden directory"},
    {"allowlist.exec-denied", "Program not on the allowlist was refused",
     "vigil allowlist enforce --deny refused to let the kernel start a program or interpreter that is not on the "
     "list (the caller got EPERM).",
     "Find out who tried to run it (the process and user in the evidence) and why; if it is legitimate, add it "
     "to the list.",
     "T1204.002", "medium; high in a temporary, world-writable or hidden directory"},
    {"allowlist.list-invalid", "Allowlist fails its signature check",
     "The allowlist was edited after it was signed, or signed with another key: it cannot be trusted, so "
     "nothing was compared. Someone who can write it may have added their own program.",
     "Build the list again from a trusted state, or check against a copy kept on read-only media.",
     "T1562.001", "critical"},
    // patch status (vigil audit patches)
    {"patch.security-update", "A security update is waiting to be installed",
     "The apt lists on this host offer a newer version of the package from a security archive (debian-security, "
     "an Ubuntu -security pocket): a vulnerability with a published fix is still open here. Worms and "
     "exploit kits go after exactly these.",
     "Install it (apt-get install --only-upgrade PACKAGE, or apt-get upgrade) and restart what uses it; "
     "unattended-upgrades keeps security updates flowing.",
     "T1190, T1068", "medium"},
    {"patch.updates-pending", "Updates are waiting to be installed",
     "The apt lists offer newer versions of installed packages (point releases, bug fixes) that no security "
     "archive announces.",
     "Review them with apt list --upgradable and install them in the next maintenance window.", "", "info"},
    {"patch.lists-stale", "The package lists are old: the patch status is unknown",
     "apt's lists on this host were published long ago, so updates released since then are invisible to it and "
     "to this audit: a host whose lists are months old cannot say it is patched.",
     "Run apt-get update (and find out why it stopped running: a broken mirror, no network, a disabled timer); "
     "then audit again.",
     "T1562.001", "low after a week; medium after a month"},
    {"patch.no-security-source", "apt has no security archive configured",
     "None of the repositories apt reads is a security archive, so security fixes released between point "
     "releases never reach this host.",
     "Add the security archive (deb.debian.org/debian-security SUITE-security on Debian, SUITE-security on "
     "Ubuntu) to apt's sources and update.",
     "T1190, T1068", "medium"},
    {"patch.no-lists", "No package lists: the patch status cannot be judged",
     "There are no apt lists on this host (never updated, or cleaned to save space, as container images do), so "
     "nothing says which updates exist.",
     "Run apt-get update and audit again, or audit with a vulnerability feed (--osv, --debian-tracker).",
     "T1190, T1068", "low"},
    {"patch.vulnerable-package", "An installed package has a known vulnerability",
     "The vulnerability feed given to the audit (OSV or the Debian security tracker) lists the installed "
     "version of this source package as affected, with the fixed version when the release has one.",
     "Install the fixed version (apt-get install --only-upgrade on the binary packages named); when there is no "
     "fix yet, weigh the issue's scope (remote or local) and mitigate or remove the package.",
     "T1190, T1068", "as the feed rates it: low, medium, high (critical when the feed says so); medium when it does "
     "not say; info for issues with no fix (--unfixed)"},
    // the network view from outside (vigil scan-ports)
    {"netscan.port-open", "Open TCP port",
     "A TCP connect to this port succeeded: a service accepts connections here. The banner is what it said "
     "first, or its answer to an HTTP HEAD; for this host's loopback addresses the listening process is named.",
     "Compare with what the host should offer; save the expected set with --save-baseline and scan with "
     "--baseline so only changes are reported.",
     "", "info"},
    {"netscan.port-new", "Open TCP port not in the baseline",
     "A port accepts connections that the baseline of expected open ports does not list: a new service, or a "
     "backdoor listening (a netcat renamed and bound to an odd port is the classic).",
     "Find the listening program (vigil triage on that host shows the port with its process), decide whether it "
     "belongs; if it does, add it to the baseline file.",
     "T1571, T1205", "high"},
    {"netscan.port-gone", "Port in the baseline no longer open",
     "The baseline says this port was open and it no longer accepts connections: a service stopped, moved or is "
     "now filtered.",
     "Check that the service is meant to be down; update the baseline if so.", "", "info"},
    // collection
    {"collector.partial", "Some of the system could not be read",
     "vigil could not read everything it wanted; what follows is a partial picture, and a "
     "rootkit or a permission can cause a gap.",
     "Run as root; if root cannot read it either, find out why.", "", "info"},
});

}  // namespace

std::span<const RuleInfo> rule_catalog() {
  static const std::vector<RuleInfo> all = [] {
    std::vector<RuleInfo> v(kRules.begin(), kRules.end());
    auto changes = change_rules();
    v.insert(v.end(), changes.begin(), changes.end());
    return v;
  }();
  return all;
}

const RuleInfo& rule_info(std::string_view id) {
  for (const auto& r : rule_catalog())
    if (r.id == id) return r;
  throw std::out_of_range("unknown rule id: " + std::string(id));
}

std::string catalog_markdown() {
  std::string out =
      "# Rules\n\nEvery rule vigil raises from code: `vigil triage`, `vigil diff` (the `change.` rules), "
      "`vigil fim` (the `fim.` rules), the built-in detections of `vigil logs` (the `logs.` rules; its Sigma "
      "rules are in [LOG_RULES.md](LOG_RULES.md)) and what `vigil watch` says about its own watching (the "
      "`watch.` rules). Generated by `vigil rules --markdown`; a test keeps this file "
      "equal to it. ATT&CK ids starting TA name a tactic where no one technique fits.\n\n| rule id | title | severity | ATT&CK | what it means "
      "|\n|---|---|---|---|---|\n";
  for (const auto& r : rule_catalog())
    out += fmt::format("| `{}` | {} | {} | {} | {} |\n", r.id, r.title, r.severities,
                       r.attack.empty() ? "—" : r.attack, r.why);
  return out + attack_coverage_markdown();
}

Finding make_finding(std::string_view id, Severity severity, std::string_view source,
                     std::string_view detail) {
  const auto& info = rule_info(id);
  Finding f;
  f.rule = std::string(info.id);
  f.severity = severity;
  f.title = std::string(info.title);
  f.why = std::string(info.why);
  if (!detail.empty()) f.why += " " + std::string(detail);
  f.remedy = std::string(info.remedy);
  if (!info.attack.empty())
    for (auto t : split(info.attack, ',')) f.attack.emplace_back(trim(t));
  f.source = std::string(source);
  return f;
}

}  // namespace vigil
