// vigil rules and vigil tables: what vigil can say and what it reads (docs/DETECTORS.md and
// docs/TABLES.md are their --markdown output).
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "core/rule_catalog.hpp"
#include "report/schema_doc.hpp"

namespace vigil::cli {

void add_rules_command(CLI::App& app, int& exit_code) {
  auto markdown = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("rules", "List every triage rule: id, severity, ATT&CK, meaning.");
  cmd->add_flag("--markdown", *markdown, "print the table docs/DETECTORS.md holds");
  cmd->callback([markdown, &exit_code] {
    if (*markdown) {
      std::cout << catalog_markdown();
    } else {
      for (const auto& r : rule_catalog())
        std::cout << fmt::format("{:<36} {:<10} {}\n", r.id, r.attack.empty() ? "-" : r.attack,
                                 r.title);
    }
    exit_code = kExitClean;
  });
}

void add_tables_command(CLI::App& app, int& exit_code) {
  auto markdown = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("tables", "List every table vigil collects, with its columns.");
  cmd->add_flag("--markdown", *markdown, "print the document docs/TABLES.md holds");
  cmd->callback([markdown, &exit_code] {
    std::cout << (*markdown ? report::tables_markdown() : report::tables_text());
    exit_code = kExitClean;
  });
}

}  // namespace vigil::cli
