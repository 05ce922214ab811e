// Subcommand registration: each adds its options to the app and sets its callback.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace vigil::cli {

// Exit codes: 0 clean, 1 findings at or above --fail-on, 2 error.
inline constexpr int kExitClean = 0, kExitFindings = 1, kExitError = 2;

void add_triage_command(CLI::App& app, int& exit_code);
// `command_line`: how vigil was run, recorded in the bundle.
void add_collect_command(CLI::App& app, int& exit_code, const std::string& command_line);
void add_rules_command(CLI::App& app, int& exit_code);
void add_tables_command(CLI::App& app, int& exit_code);
void add_snapshot_command(CLI::App& app, int& exit_code);
void add_diff_command(CLI::App& app, int& exit_code);
void add_query_command(CLI::App& app, int& exit_code);
void add_fim_command(CLI::App& app, int& exit_code);
void add_logs_command(CLI::App& app, int& exit_code);
void add_audit_command(CLI::App& app, int& exit_code);
void add_watch_command(CLI::App& app, int& exit_code);
void add_scan_command(CLI::App& app, int& exit_code);
void add_scan_ports_command(CLI::App& app, int& exit_code);
void add_allowlist_command(CLI::App& app, int& exit_code);
// Hidden: manual pages and shell completions from the commands' own options (for packaging).
void add_generate_command(CLI::App& app, int& exit_code);

// --db PATH, the store, for the commands that use one.
void add_store_option(CLI::App* cmd, std::string& db);

}  // namespace vigil::cli
