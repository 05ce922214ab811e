// Path and program-name classification shared by the detectors.
#pragma once

#include <string>
#include <string_view>

namespace vigil::detect {

// /tmp, /var/tmp, /dev/shm and the other directories anyone may write.
bool in_temp_dir(std::string_view path);
// A directory component starting with '.' (/tmp/.x/run).
bool has_hidden_dir(std::string_view path);
// sh, bash, dash, zsh, ksh, csh, tcsh, fish, ash, busybox.
bool is_shell(std::string_view name);
// python*, perl*, php*, ruby*, lua*, node, tclsh, awk family.
bool is_interpreter(std::string_view name);
bool is_netcat_like(std::string_view name);
// Long-running network services whose children should not be shells.
bool is_network_service(std::string_view name);
// Names of system daemons an intruder would borrow (sshd, cron, systemd-*, …).
bool is_system_daemon_name(std::string_view name);
// Program name for matching: basename of argv[0], else comm.
std::string program_name(std::string_view argv0, std::string_view comm);

}  // namespace vigil::detect
