// Runs a program without a shell: an argv list (or a line split into one as a shell would -
// quotes, backslashes - but never interpreted), a fixed PATH, a timeout after which its whole
// process group is killed, its output (stdout and stderr) capped, and optionally data on its
// stdin and variables in its environment. The audit's command checks and vigil watch's exec
// actions both run through it.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"

namespace vigil {

// The error names an unterminated quote.
expected<std::vector<std::string>, std::string> split_argv(std::string_view line);

struct CommandOutput {
  std::string output;  // stdout and stderr as they came, at most kMaxCommandOutput bytes
  int exit_status = 0;
  bool truncated = false;
};
inline constexpr std::size_t kMaxCommandOutput = 1 << 20;

struct Command {
  std::vector<std::string> argv;  // argv[0]: a path, or a program looked up in the system PATH
  std::vector<std::string> env;   // NAME=VALUE, beside PATH and LC_ALL=C (nothing else is passed)
  std::string input;              // written to its stdin, then closed; empty: /dev/null
  std::chrono::milliseconds timeout{10'000};
};

// The error says why it could not run or finish: not found, timed out (the process group is
// killed), or a system error.
expected<CommandOutput, std::string> run_command(const Command& command);
// A command line split by split_argv, with no input.
expected<CommandOutput, std::string> run_command(std::string_view line, std::chrono::milliseconds timeout);

}  // namespace vigil
