// vigil triage: collect this host (or an image), run the triage detectors, render.
#include <memory>

#include "cli/commands.hpp"
#include "cli/report_output.hpp"
#include "cli/triage_run.hpp"
#include "report/report.hpp"

namespace vigil::cli {

namespace {

struct TriageOptions {
  TriageRunOptions run;
  ReportOptions report;
  bool no_inventory = false;
};

int run_triage(TriageOptions o) {
  auto setup = prepare_report(o.report);
  if (!setup) return o.report.error(setup.error());
  o.run.quiet = o.report.quiet;
  auto run = run_triage_collection(o.run);
  if (!run) return o.report.error(run.error());
  setup->inspected = *(*run)->root;
  report::TriageReport r;
  r.snapshot = &(*run)->snapshot;
  r.findings = std::move((*run)->findings);
  r.seconds = (*run)->seconds;
  return render_report(r, o.report, *setup, !o.no_inventory);
}

}  // namespace

void add_triage_command(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<TriageOptions>();
  auto* cmd = app.add_subcommand("triage",
                                 "Has this host been hacked? Processes, ports, accounts, logins.");
  add_triage_run_options(cmd, opts->run, true);
  add_report_options(cmd, opts->report);
  cmd->add_flag("--no-inventory", opts->no_inventory, "text format: findings only");
  cmd->callback([opts, &exit_code] { exit_code = run_triage(*opts); });
}

}  // namespace vigil::cli
