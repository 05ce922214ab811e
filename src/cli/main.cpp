// vigil: host intrusion detection, incident response and hardening for Linux.
#include <iostream>
#include <string>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"vigil — has this host been hacked? is it hardened?"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "vigil " VIGIL_VERSION);
  int exit_code = vigil::cli::kExitClean;
  std::string command_line;
  for (int i = 0; i < argc; ++i) command_line += (i ? " " : "") + std::string(argv[i]);
  vigil::cli::add_triage_command(app, exit_code);
  vigil::cli::add_collect_command(app, exit_code, command_line);
  vigil::cli::add_snapshot_command(app, exit_code);
  vigil::cli::add_diff_command(app, exit_code);
  vigil::cli::add_query_command(app, exit_code);
  vigil::cli::add_fim_command(app, exit_code);
  vigil::cli::add_logs_command(app, exit_code);
  vigil::cli::add_scan_command(app, exit_code);
  vigil::cli::add_scan_ports_command(app, exit_code);
  vigil::cli::add_allowlist_command(app, exit_code);
  vigil::cli::add_audit_command(app, exit_code);
  vigil::cli::add_watch_command(app, exit_code);
  vigil::cli::add_rules_command(app, exit_code);
  vigil::cli::add_tables_command(app, exit_code);
  vigil::cli::add_generate_command(app, exit_code);
  // Every command says how it exits; those that judge something say it in their own words.
  auto footers = [](auto&& self, CLI::App* cmd) -> void {
    for (auto* sub : cmd->get_subcommands({})) {
      if (sub->get_footer().empty()) sub->footer("Exit codes: 0 done; 2 error (bad option, unreadable input, refused path).");
      self(self, sub);
    }
  };
  footers(footers, &app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : vigil::cli::kExitError;
  } catch (const std::exception& e) {
    std::cerr << "vigil: " << e.what() << "\n";
    return vigil::cli::kExitError;
  }
  return exit_code;
}
