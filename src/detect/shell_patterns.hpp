// Command-line patterns of remote shells and download-and-run.
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
// Why a shell command downloads and runs code (curl|sh, base64 -d|sh, fetch + chmod +x).
std::optional<std::string> download_and_run_reason(std::string_view command);
// Whitespace-separated words with simple surrounding quotes removed.
std::vector<std::string> command_words(std::string_view command);
std::string lower(std::string_view s);

}  // namespace vigil::detect
