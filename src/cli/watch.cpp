// vigil watch: follow logs as they grow and write findings as they happen.
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "core/host_files.hpp"
#include "watch/daemon.hpp"

namespace vigil::cli {

namespace {

constexpr const char* kWatchExitCodes =
    "Exit codes:\n  0  stopped by SIGINT or SIGTERM, state saved\n  2  error (no log given, an unusable state "
    "directory or output file, a state file that is not one)";

}  // namespace

void add_watch_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<watch::WatchOptions>();
  auto rules = std::make_shared<std::vector<std::string>>();
  auto no_builtin = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand(
      "watch",
      "Follow logs as they grow (rotation and restarts included) and write each finding as it happens, as JSON "
      "lines; the state (positions, windows) survives kill -9");
  cmd->add_option("--log", o->logs, "a log file to follow (repeatable)")->required()->allow_extra_args(false);
  cmd->add_option("--output", o->output, "JSONL file the findings are appended to (default STATE_DIR/findings.jsonl)");
  cmd->add_option("--state-dir", o->state_dir, "where positions and the engine's state are kept")
      ->capture_default_str();
  cmd->add_option("--rules", *rules, "more log rule files or directories (repeatable)")->allow_extra_args(false);
  cmd->add_flag("--no-builtin", *no_builtin, "only the --rules given, not vigil's rules/logs");
  cmd->add_flag("--from-start", o->from_start,
                "on a first start, read what the logs already hold (otherwise following starts at their end)");
  auto foreground = std::make_shared<bool>(false);
  cmd->add_flag("--foreground", *foreground, "run in the foreground (vigil watch always does; for service managers)");
  cmd->footer(kWatchExitCodes);
  cmd->callback([o, rules, no_builtin, foreground, &exit_code] {
    o->rule_paths = *rules;
    if (!*no_builtin) o->rule_paths.push_back(default_rules_dir() + "/logs");
    exit_code = watch::run_watch(*o, std::cerr);
  });
}

}  // namespace vigil::cli
