// Command-line patterns of remote shells in a process's arguments (start-up items are judged
// by the shared patterns in collect/script_patterns).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::detect {

// Why a command serves a shell over the network (netcat/socat -e or exec, bash /dev/tcp,
// a scripting one-liner, a fifo loop), or nullopt. `comm` and `executable` may be empty.
std::optional<std::string> reverse_shell_reason(const std::vector<std::string>& argv, std::string_view comm,
                                                std::string_view executable, std::string_view cmdline);
// Whitespace-separated words with simple surrounding quotes removed.
std::vector<std::string> command_words(std::string_view command);

}  // namespace vigil::detect
