// vigil watch: follow logs as they grow and send findings as they happen.
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "core/host_files.hpp"
#include "watch/daemon.hpp"
#include "watch/nft_block.hpp"
#include "watch/status.hpp"

namespace vigil::cli {

namespace {

constexpr const char* kWatchExitCodes =
    "Exit codes:\n  0  stopped by SIGINT or SIGTERM, state saved (--check-config: the config is good; --status: "
    "the daemon runs)\n  2  error: the config has errors (each is listed with file:line:column), nothing to watch, "
    "an unusable state directory or output, another daemon on the same state directory\n  3  --status: the daemon "
    "does not run (its last status is shown)\n  --blocked, --unblock: 0 done; 2 nftables refused, or not an address";

// The nftables table the config names (response.table), else vigil's default.
std::string block_table(const watch::CommandLine& cl) {
  auto c = watch::resolve_config(cl);
  return c ? c->response.table : "vigil";
}

int list_blocked(const std::string& table) {
  watch::NftBlocker nft(table);
  auto list = nft.blocked();
  if (!list) {
    std::cerr << "vigil: watch: " << list.error() << "\n";
    return kExitError;
  }
  for (const auto& b : *list)
    std::cout << b.address << (b.expires_s ? "  expires in " + std::to_string(b.expires_s) + " s" : "") << "\n";
  std::cout << list->size() << (list->size() == 1 ? " address" : " addresses") << " blocked (nftables table inet "
            << table << ")\n";
  return kExitClean;
}

int unblock(const std::string& table, const std::string& address) {
  if (!Cidr::parse(address) || address.find('/') != std::string::npos) {
    std::cerr << "vigil: watch: --unblock: '" << address << "' is not an IP address\n";
    return kExitError;
  }
  watch::NftBlocker nft(table);
  if (auto r = nft.unblock(address); !r) {
    std::cerr << "vigil: watch: --unblock " << address << ": " << r.error() << "\n";
    return kExitError;
  }
  std::cout << address << " unblocked (nftables table inet " << table << ")\n";
  return kExitClean;
}

}  // namespace

void add_watch_command(CLI::App& app, int& exit_code) {
  auto cl = std::make_shared<watch::CommandLine>();
  auto check = std::make_shared<bool>(false);
  auto status = std::make_shared<bool>(false);
  auto format = std::make_shared<std::string>("text");
  auto* cmd = app.add_subcommand(
      "watch",
      "Follow logs (files, directories, the journal) as they grow, through rotation and restarts, and send each "
      "finding as it happens to JSONL files, stdout, syslog or the journal; configured in /etc/vigil/watch.yaml");
  cmd->add_option("--config", cl->config,
                  "the config file (default /etc/vigil/watch.yaml when it exists and no --log is given)");
  cmd->add_option("--log", cl->logs, "a log file, a directory of logs or 'journal' to follow (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--output", cl->output, "JSONL file the findings are appended to (default STATE_DIR/findings.jsonl)");
  cmd->add_option("--state-dir", cl->state_dir, "where positions, the engine's state and spools are kept (default "
                                                 "/var/lib/vigil/watch)");
  cmd->add_option("--rules", cl->rules, "more log rule files or directories (repeatable)")->allow_extra_args(false);
  cmd->add_flag("--no-builtin", cl->no_builtin, "only the --rules given, not vigil's rules/logs");
  cmd->add_flag("--from-start", cl->from_start,
                "on a first start, read what the logs already hold (otherwise following starts at their end)");
  auto foreground = std::make_shared<bool>(false);
  cmd->add_flag("--foreground", *foreground, "run in the foreground (vigil watch always does; for service managers)");
  cmd->add_flag("--dry-run", cl->dry_run, "triggers say what their actions would do (block, capture, exec) and do nothing");
  auto blocked = std::make_shared<bool>(false);
  auto unblock_address = std::make_shared<std::string>();
  cmd->add_flag("--blocked", *blocked, "list the addresses block actions put in nftables, with the time left, and exit");
  cmd->add_option("--unblock", *unblock_address, "lift the block of this address at once, and exit");
  cmd->add_flag("--check-config", *check, "read the config and its rules, list every error, and exit");
  cmd->add_flag("--status", *status, "show what the running daemon does (from its state directory) and exit");
  cmd->add_option("--format", *format, "for --status: text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->footer(kWatchExitCodes);
  cmd->callback([cl, check, status, format, blocked, unblock_address, &exit_code] {
    cl->builtin_rules = default_rules_dir() + "/logs";
    if (*blocked || !unblock_address->empty()) {
      auto table = block_table(*cl);
      exit_code = *blocked ? list_blocked(table) : unblock(table, *unblock_address);
      return;
    }
    if (*status) {
      std::string dir = cl->state_dir;
      if (dir.empty()) {  // the configured one, else the default
        auto c = watch::resolve_config(*cl);
        dir = c ? c->state_dir : watch::kDefaultStateDir;
      }
      exit_code = watch::print_status(dir, *format == "json", std::cout, std::cerr);
      return;
    }
    watch::ConfigLoader load = [cl] { return watch::resolve_config(*cl); };
    exit_code = *check ? watch::check_watch_config(load, std::cout, std::cerr) : watch::run_watch(load, std::cerr);
  });
}

}  // namespace vigil::cli
