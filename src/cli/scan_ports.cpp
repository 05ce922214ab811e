// vigil scan-ports: the network view from outside — a TCP connect scan with banners, against
// a baseline of the ports that should be open.
#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/report_output.hpp"
#include "core/host_files.hpp"
#include "core/time_format.hpp"
#include "netscan/baseline.hpp"
#include "netscan/connect_scan.hpp"
#include "netscan/port_findings.hpp"
#include "netscan/targets.hpp"

namespace vigil::cli {

namespace {

struct ScanPortsOptions {
  std::vector<std::string> targets;
  std::string ports = "1-1024";
  std::string baseline, save_baseline;
  int timeout_ms = 1000;
  int retries = 1;
  std::size_t max_in_flight = 1024, per_host = 256;
  bool no_banners = false;
  int banner_timeout_ms = 2000;
  std::size_t banner_bytes = 1024;
  bool discovery = false;
  bool udp = false;
  std::string udp_ports;
  bool table = false, all_states = false;
  ReportOptions report;
};

ResultSet port_rows(const std::vector<netscan::Target>& targets, const netscan::ScanResult& scan,
                    const netscan::Listeners& listeners, bool all_states) {
  ResultSet rows;
  rows.columns = {"host", "port", "transport", "state", "banner", "pid", "process"};
  for (const auto& p : scan.ports) {
    if (p.state != netscan::PortState::open && !all_states) continue;
    const auto& t = targets[p.target];
    const auto* owner = netscan::owner_of(t, p.port, p.udp, listeners);
    rows.rows.push_back({t.address, static_cast<std::int64_t>(p.port), std::string(p.udp ? "udp" : "tcp"),
                         std::string(netscan::state_name(p.state)),
                         netscan::banner_text(p.banner, 80),
                         owner && owner->pid > 0 ? SqlValue(owner->pid) : SqlValue(),
                         owner ? owner->process : std::string()});
  }
  return rows;
}

int run(ScanPortsOptions o) {
  auto setup = prepare_report(o.report);
  if (!setup) return o.report.error(setup.error());
  auto ports = netscan::parse_ports(o.ports);
  if (!ports) return o.report.error(ports.error());
  if (o.timeout_ms < 1 || o.retries < 0 || o.max_in_flight < 1 || o.per_host < 1)
    return o.report.error("scan-ports: --timeout, --concurrency and --per-host take positive numbers, --retries 0 or more");
  std::optional<netscan::Baseline> baseline;
  if (!o.baseline.empty()) {
    auto text = read_host_file(o.baseline);
    if (!text) return o.report.error("--baseline: " + text.error().message());
    auto b = netscan::parse_baseline(*text, o.baseline);
    if (!b) return o.report.error("--baseline " + b.error());
    baseline = std::move(*b);
  }
  if (o.udp && o.udp_ports.empty()) o.udp_ports = "53,123,161";
  std::vector<std::uint16_t> udp_ports;
  if (!o.udp_ports.empty()) {
    auto u = netscan::parse_ports(o.udp_ports);
    if (!u) return o.report.error("--udp-ports: " + u.error().substr(u.error().find(':') + 2));
    udp_ports = std::move(*u);
  }
  auto targets = netscan::expand_targets(o.targets);
  if (!targets) return o.report.error("scan-ports: " + targets.error());
  netscan::ScanOptions so;
  so.ports = *ports;
  so.timeout = std::chrono::milliseconds(o.timeout_ms);
  so.retries = o.retries;
  so.max_in_flight = o.max_in_flight;
  so.per_host = o.per_host;
  so.banners = !o.no_banners;
  so.banner_timeout = std::chrono::milliseconds(o.banner_timeout_ms);
  so.banner_bytes = o.banner_bytes;
  so.discovery = o.discovery;
  so.udp_ports = udp_ports;
  auto scan = netscan::connect_scan(*targets, so);

  IssueLog log;
  netscan::Listeners listeners;
  bool loopback_open = std::any_of(scan.ports.begin(), scan.ports.end(), [&](const auto& p) {
    return p.state == netscan::PortState::open && (*targets)[p.target].loopback();
  });
  if (loopback_open) listeners = netscan::loopback_listeners(log);
  if (!o.save_baseline.empty()) {
    std::ofstream out(o.save_baseline, std::ios::trunc);
    out << netscan::baseline_text(*targets, scan, iso8601(epoch_now()));
    if (!out.flush()) return o.report.error("--save-baseline " + o.save_baseline + ": cannot be written");
    if (!o.report.quiet) std::cerr << "vigil: scan-ports: baseline written to " << o.save_baseline << "\n";
  }
  if (o.table) return render_rows(port_rows(*targets, scan, listeners, o.all_states), RowsOptions{o.report.format, o.report.out});

  std::size_t counts[4] = {};
  for (const auto& p : scan.ports) ++counts[static_cast<int>(p.state)];
  std::size_t up = static_cast<std::size_t>(std::count(scan.host_up.begin(), scan.host_up.end(), true));
  auto live = Root::open("/");
  if (!live) return o.report.error(live.error().message());
  auto header = host_header(*live);
  auto r = findings_report(header, "vigil scan-ports");
  r.seconds = scan.seconds;
  std::string hosts = o.discovery ? fmt::format("{} host(s) ({} up by discovery)", targets->size(), up)
                                  : fmt::format("{} host(s)", targets->size());
  std::string each = udp_ports.empty() ? fmt::format("{} port(s) each", ports->size())
                                      : fmt::format("{} TCP and {} UDP port(s) each", ports->size(), udp_ports.size());
  r.subtitle = fmt::format("{}, {}: {} open, {} closed, {} filtered, {} unreachable; {} "
                           "connects, at most {} at once{}",
                           hosts, each, counts[0], counts[1],
                           counts[2], counts[3], scan.tries, scan.in_flight_limit,
                           baseline ? "; compared with the baseline " + o.baseline : "");
  r.findings = netscan::port_findings(*targets, scan, listeners, baseline, *ports, udp_ports);
  for (auto& f : partial_findings(log.issues(), "scan-ports/")) r.findings.push_back(std::move(f));
  return render_report(r, o.report, *setup, false);
}

}  // namespace

void add_scan_ports_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<ScanPortsOptions>();
  auto* cmd = app.add_subcommand(
      "scan-ports", "The network view from outside: a TCP connect scan (no root needed) of addresses, networks, "
                    "ranges or host names, with banners, against a baseline of the ports that should be open");
  cmd->add_option("targets", o->targets, "192.0.2.10, 192.0.2.0/24, 192.0.2.1-20, 2001:db8::/120, ::1, a host name")
      ->required();
  cmd->add_option("--ports", o->ports, "1-1024 (default), 22,80,443, 8000-8100, top100, all (1-65535); mixed with commas");
  cmd->add_option("--baseline", o->baseline,
                  "the expected open ports (a file --save-baseline wrote, edited as needed): new ones are high, gone "
                  "ones info");
  cmd->add_option("--save-baseline", o->save_baseline, "write the open ports found to FILE, for a later --baseline");
  cmd->add_option("--timeout", o->timeout_ms, "milliseconds a connect may take before the port counts as filtered (1000)");
  cmd->add_option("--retries", o->retries, "more tries for a port that timed out (1)");
  cmd->add_option("--concurrency", o->max_in_flight, "connections in flight over all hosts (1024; bounded by the fd limit)");
  cmd->add_option("--per-host", o->per_host, "connections in flight to one host (256)");
  cmd->add_flag("--no-banners", o->no_banners, "only the port states: do not wait for what the services say");
  cmd->add_option("--banner-timeout", o->banner_timeout_ms,
                  "milliseconds to wait for a banner: half for the service to speak, half for its answer to an HTTP "
                  "HEAD (2000)");
  cmd->add_option("--banner-size", o->banner_bytes, "bytes of a banner kept (1024)");
  cmd->add_flag("--discover", o->discovery,
                "scan only hosts that answer a connect to 80 or 443 (even refusing it), as nmap does without root");
  cmd->add_flag("--udp", o->udp, "also probe UDP 53 (a DNS query), 123 (NTP) and 161 (SNMP, community public)");
  cmd->add_option("--udp-ports", o->udp_ports,
                  "UDP ports to probe instead (a DNS, NTP or SNMP payload on those ports, an empty datagram elsewhere)");
  cmd->add_flag("--table", o->table,
                "the ports as rows (host, port, transport, state, banner, pid, process) instead of findings");
  cmd->add_flag("--all-states", o->all_states, "--table: closed, filtered and unreachable ports too");
  add_report_options(cmd, o->report);
  cmd->callback([o, &exit_code] { exit_code = run(*o); });
}

}  // namespace vigil::cli
