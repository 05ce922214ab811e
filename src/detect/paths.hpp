// Path and program-name classification shared by the detectors.
#pragma once

#include <string>
#include <string_view>

namespace vigil::detect {

// /tmp, /var/tmp, /dev/shm and the other directories anyone may write.
bool in_temp_dir(std::string_view path);
// A directory component starting with '.' (/tmp/.x/run).
bool has_hidden_dir(std::string_view path);

// Where an executable lives, as evidence: a world-writable temporary directory; a hidden
// directory outside the homes (a place to hide); a dot-directory of a home, where pyenv, nvm,
// cargo, pipx and ~/.local install their tools (weaker); or anywhere else.
enum class Place { ordinary, temp, hidden, home_dotdir };
Place place_of(std::string_view path);
// A temporary or a hidden directory outside the homes: where intruders keep their tools.
inline bool hides_tools(Place p) { return p == Place::temp || p == Place::hidden; }
// "a temporary directory", "a hidden directory", "a hidden directory in a home", for a why.
std::string_view place_text(Place p);
// sh, bash, dash, zsh, ksh, csh, tcsh, fish, ash, busybox.
bool is_shell(std::string_view name);
// python*, perl*, php*, ruby*, lua*, node, tclsh, awk family.
bool is_interpreter(std::string_view name);
bool is_netcat_like(std::string_view name);
// A command line that names a mining pool (stratum+tcp://, stratum+ssl://, stratum2+tcp://).
bool names_mining_pool(std::string_view command_line);
// Long-running network services whose children should not be shells.
bool is_network_service(std::string_view name);
// Names of system daemons an intruder would borrow (sshd, cron, systemd-*, …).
bool is_system_daemon_name(std::string_view name);
// Program name for matching: basename of argv[0], else comm.
std::string program_name(std::string_view argv0, std::string_view comm);

}  // namespace vigil::detect
