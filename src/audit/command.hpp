// Runs a policy's command without a shell: the line is split into argv as a shell would
// (quotes, backslashes) but never interpreted, run with a fixed PATH, no stdin, a timeout,
// and its output (stdout and stderr) capped.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"

namespace vigil::audit {

// The error names an unterminated quote.
expected<std::vector<std::string>, std::string> split_argv(std::string_view line);

struct CommandOutput {
  std::string output;  // stdout and stderr as they came, at most kMaxOutput bytes
  int exit_status = 0;
  bool truncated = false;
};
inline constexpr std::size_t kMaxCommandOutput = 1 << 20;

// The error says why it could not run or finish: not found, timed out (the process group is
// killed), or a system error.
expected<CommandOutput, std::string> run_command(std::string_view line, std::chrono::milliseconds timeout);

}  // namespace vigil::audit
