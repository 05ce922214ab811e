// vigil rules and vigil tables: what vigil can say and what it reads. `vigil rules` lists every
// rule of every engine (triage and diff detectors, fim, the log rules and built-ins, the
// hardening checks of the bundled policies); docs/DETECTORS.md and docs/TABLES.md are the
// --markdown output of the detector catalog and of the tables.
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "audit/policy.hpp"
#include "cli/commands.hpp"
#include "cli/report_output.hpp"
#include "core/host_files.hpp"
#include "core/rule_catalog.hpp"
#include "logs/rules.hpp"
#include "report/schema_doc.hpp"

namespace vigil::cli {

namespace {

std::string_view engine_of(std::string_view id) {
  if (id.starts_with("change.")) return "diff";
  if (id.starts_with("fim.")) return "fim";
  if (id.starts_with("logs.")) return "logs";
  return "triage";
}

ResultSet every_rule() {
  ResultSet rs;
  rs.columns = {"id", "engine", "severity", "attack", "title"};
  for (const auto& r : rule_catalog())
    rs.rows.push_back({std::string(r.id), std::string(engine_of(r.id)), std::string(r.severities), std::string(r.attack),
                       std::string(r.title)});
  auto logs = logs::load_log_rules({default_rules_dir() + "/logs"});
  for (const auto& m : logs.loaded)
    rs.rows.push_back({logs::sigma::finding_rule_id(m), "logs", m.level, fmt::format("{}", fmt::join(m.attack, ",")),
                       m.title});
  auto policies = audit::load_policies({default_rules_dir() + "/policies"});
  for (const auto& p : policies.policies)
    for (const auto& c : p.checks) {
      std::vector<std::string> mitre;
      for (const auto* list : {&c.techniques, &c.mitigations})
        for (const auto& m : *list) mitre.push_back(m.id);
      rs.rows.push_back({fmt::format("audit.{}.{}", p.id, c.id), "audit", "check",
                         fmt::format("{}", fmt::join(mitre, ",")), c.title});
    }
  return rs;
}

}  // namespace

void add_rules_command(CLI::App& app, int& exit_code) {
  auto markdown = std::make_shared<bool>(false);
  auto output = std::make_shared<RowsOptions>();
  auto* cmd = app.add_subcommand(
      "rules", "List every rule vigil can raise: triage and diff detectors, fim, log rules, hardening checks.");
  cmd->add_flag("--markdown", *markdown, "the detector catalog as docs/DETECTORS.md holds it");
  add_rows_options(cmd, *output);
  cmd->footer("Exit codes: 0 listed; 2 error.");
  cmd->callback([markdown, output, &exit_code] {
    if (*markdown) {
      std::cout << catalog_markdown();
      exit_code = kExitClean;
      return;
    }
    auto rows = every_rule();
    if (output->format != "text" && output->format != "table") {
      exit_code = render_rows(rows, *output);
      return;
    }
    std::size_t width = 0;
    for (const auto& r : rows.rows) width = std::max(width, std::get<std::string>(r[0]).size());
    exit_code = write_output(output->out, nullptr, [&](std::ostream& out) {
      for (const auto& r : rows.rows) {
        std::string attack = std::get<std::string>(r[3]), severity = std::get<std::string>(r[2]);
        severity = severity.substr(0, severity.find_first_of(" ;"));  // the lowest it is raised at
        out << fmt::format("{:<{}}  {:<6}  {:<13}  {:<18}  {}\n", std::get<std::string>(r[0]), width,
                           std::get<std::string>(r[1]), severity, attack.empty() ? "-" : attack.substr(0, 18),
                           std::get<std::string>(r[4]));
      }
    });
  });
}

void add_tables_command(CLI::App& app, int& exit_code) {
  auto markdown = std::make_shared<bool>(false);
  auto output = std::make_shared<RowsOptions>();
  auto* cmd = app.add_subcommand("tables", "List every table vigil collects, with its columns.");
  cmd->add_flag("--markdown", *markdown, "print the document docs/TABLES.md holds");
  add_rows_options(cmd, *output);
  cmd->footer("Exit codes: 0 listed; 2 error.");
  cmd->callback([markdown, output, &exit_code] {
    if (*markdown) std::cout << report::tables_markdown();
    else if (output->format == "text" || output->format == "table") std::cout << report::tables_text();
    else {
      exit_code = render_rows(report::tables_rows(), *output);
      return;
    }
    exit_code = kExitClean;
  });
}

}  // namespace vigil::cli
