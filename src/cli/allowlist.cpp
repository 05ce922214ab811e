// vigil allowlist: build a signed list of the programs allowed to run, check a host (or an
// image) against it, enforce it with fanotify.
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>

#include "allow/build.hpp"
#include "allow/check.hpp"
#include "allow/enforce.hpp"
#include "cli/collect_setup.hpp"
#include "cli/commands.hpp"
#include "cli/report_output.hpp"
#include "collect/snapshot.hpp"
#include "core/outside_root.hpp"
#include "core/replace_file.hpp"
#include "core/rule_catalog.hpp"
#include "core/time_format.hpp"
#include "fim/signature.hpp"
#include "report/ecs.hpp"
#include "watch/units.hpp"

namespace vigil::cli {

namespace {

constexpr std::string_view kDefaultList = "/etc/vigil/allowlist";

struct AllowlistCliOptions {
  std::string list = std::string(kDefaultList);
  std::string key = std::string(fim::kDefaultKeyPath);
  std::string root = "/";
  unsigned jobs = 0;
  // build
  std::vector<std::string> add;
  bool no_packages = false;
  // check
  std::vector<std::string> paths;
  bool no_processes = false;
  ReportOptions report;
  // enforce
  bool deny = false, audit = false;
  std::string duration;
  bool no_console_shells = false;
  std::string shells = "/etc/shells";
  std::string format = "text";
};

int run_build(const AllowlistCliOptions& o) {
  auto root = open_root(o.root);
  if (!root) return error_exit(root.error());
  if (auto r = refuse_inside_root(*root, o.list, "--list"); !r) return error_exit(r.error());
  auto key = fim::SigningKey::load_or_create(o.key, *root);
  if (!key) return error_exit("--key: " + key.error());
  if (!key->warning().empty()) warn(key->warning());
  if (!key->can_sign()) return error_exit("--key " + o.key + " is a public key: give the private key to sign the list");
  IssueLog log;
  auto packages = o.no_packages ? collect::no_package_db() : collect::open_package_db(*root, log);
  if (!o.no_packages && !packages->knows_ownership())
    return error_exit(fmt::format("no package database under {}: give the programs to allow with --add and "
                                  "--no-packages", root->display("/var/lib/dpkg")));
  allow::BuildOptions bo;
  bo.packages = !o.no_packages;
  bo.add = o.add;
  bo.jobs = o.jobs;
  auto r = allow::build_allowlist(*root, *packages, bo, log);
  for (const auto& m : r.missing_adds) std::cerr << "vigil: allowlist: --add " << m << ": no such file or directory\n";
  if (!r.missing_adds.empty()) return kExitError;
  r.list.host = collect::collect_host_info(*root).hostname;
  auto text = allow::signed_allowlist(r.list, *key);
  if (!text) return error_exit(text.error());
  std::error_code ec;
  if (auto dir = std::filesystem::path(o.list).parent_path(); !dir.empty()) std::filesystem::create_directories(dir, ec);
  if (auto w = replace_file(o.list, *text, 0644); !w) return error_exit("--list: " + w.error());
  for (const auto& issue : log.issues())
    std::cerr << fmt::format("vigil: allowlist: {}: {} (left out)\n", issue.path, issue.detail);
  std::cout << fmt::format(
      "allowlist {}: {} files ({} programs and libraries of {} packages, {} package maintainer scripts, {} added; "
      "{:.1f} MiB hashed) in {:.2f} s; signed with {} key {} ({})\n",
      o.list, r.list.entries.size(), r.package_files, packages->package_count(), r.maintainer_scripts, r.added,
      static_cast<double>(r.bytes) / (1 << 20), r.seconds, key->kind(), key->id(), o.key);
  if (!r.modified.empty()) {
    std::cout << fmt::format(
        "{} package files left out: their content is not what the package installed (an edited script, or a "
        "replaced program). Review them and --add the ones that belong:\n",
        r.modified.size());
    for (std::size_t i = 0; i < r.modified.size() && i < 20; ++i) std::cout << "  " << r.modified[i] << "\n";
    if (r.modified.size() > 20) std::cout << fmt::format("  … and {} more\n", r.modified.size() - 20);
  }
  return kExitClean;
}

int run_check(AllowlistCliOptions o) {
  auto in = open_inspection(o.report, o.root, false);
  if (!in) return o.report.error(in.error());
  const Root* root = &in->root;
  auto key = fim::SigningKey::load(o.key);
  if (!key) return o.report.error("--key: " + key.error());
  auto header = host_header(*root);
  auto r = findings_report(header, "vigil allowlist check");
  auto list = allow::load_allowlist(o.list, *key);
  if (!list) {
    if (!std::filesystem::exists(o.list))
      return o.report.error(fmt::format("--list {}: no such file (make one with vigil allowlist build)", o.list));
    auto f = make_finding("allowlist.list-invalid", Severity::critical, "allowlist", list.error());
    f.add("file.path", o.list);
    r.findings.push_back(std::move(f));
    r.subtitle = "the allowlist failed its check: nothing was compared";
    return render_report(r, o.report, in->setup, false);
  }
  IssueLog log;
  auto packages = collect::open_package_db(*root, log);
  allow::CheckOptions co;
  co.paths = o.paths;
  co.processes = !o.no_processes;
  co.jobs = o.jobs;
  auto c = allow::check_allowlist(*root, *list, *packages, co, log);
  r.findings = std::move(c.findings);
  for (auto& f : partial_findings(log.issues(), "")) r.findings.push_back(std::move(f));
  r.seconds = c.seconds;
  r.subtitle = fmt::format(
      "{} executable files: {} as listed, {} not on the list, {} changed ({:.1f} MiB hashed){}; list of {} files "
      "built {}",
      c.executables, c.listed, c.unlisted, c.changed, static_cast<double>(c.bytes_hashed) / (1 << 20),
      root->live() && co.processes ? fmt::format("; {} processes, {} not as listed", c.processes, c.processes_unlisted)
                                   : "",
      list->entries.size(), iso8601(list->created));
  return render_report(r, o.report, in->setup, false);
}

std::atomic<bool> g_stop{false};
extern "C" void on_stop_signal(int) { g_stop = true; }

int run_enforce(const AllowlistCliOptions& o) {
  if (o.deny && o.audit) return error_exit("--audit and --deny: choose one");
  if (o.format != "text" && o.format != "jsonl") return error_exit("--format: text or jsonl");
  allow::EnforceOptions eo;
  eo.deny = o.deny;
  if (!o.duration.empty()) {
    auto ms = watch::parse_duration_ms(o.duration);
    if (!ms || *ms <= 0) return error_exit("--for: '" + o.duration + "' is not a duration (30s, 10m, 2h)");
    eo.duration = std::chrono::milliseconds(*ms);
  }
  auto key = fim::SigningKey::load(o.key);
  if (!key) return error_exit("--key: " + key.error());
  auto list = allow::load_allowlist(o.list, *key);
  if (!list) return error_exit("--list " + list.error() + "; nothing is enforced");
  if (list->root != "/")
    return error_exit(fmt::format("--list {} was built for the image {}, not for this host", o.list, list->root));
  eo.console_shells = !o.no_console_shells;
  eo.shells_file = o.shells;
  auto root = open_root("/");
  if (!root) return error_exit(root.error());
  auto host = collect::collect_host_info(*root);
  std::mutex out_mutex;
  eo.report = [&](Finding f) {
    std::lock_guard lock(out_mutex);
    if (o.format == "jsonl")
      std::cout << report::finding_to_ecs(f, host).dump() << "\n";
    else
      std::cout << fmt::format("{:<8} {} [{}] pid {} user {}\n", to_string(f.severity), f.title, f.rule,
                               f.get("process.pid"), f.get("user.id"));
    std::cout.flush();
  };
  eo.notice = [](const std::string& s) { std::cerr << "vigil: allowlist enforce: " << s << std::endl; };
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  eo.stop = &g_stop;
  if (o.deny && eo.duration.count() == 0)
    warn("--deny without --for: enforcement lasts until vigil is stopped (try a first trial with --for 10m)");
  auto stats = allow::enforce(*list, eo);
  if (!stats) return error_exit(stats.error());
  std::cerr << fmt::format(
      "vigil: allowlist enforce: {} executions in {:.1f} s: {} as listed, {} {}, {} by the safety net; decision "
      "time median {:.1f} µs, p99 {:.1f} µs, max {:.0f} µs ({} hashed a file: median {:.1f} µs); {} allowed "
      "programs no longer asked about (until written); {} queue overflows\n",
      stats->events, stats->seconds, stats->allowed, o.deny ? stats->refused : stats->unlisted_allowed,
      o.deny ? "refused" : "not on the list (allowed: audit)", stats->safety_net, stats->p50_us, stats->p99_us,
      stats->max_us, stats->first_decisions, stats->first_p50_us, stats->ignore_marks, stats->overflows);
  return kExitClean;
}

void add_common(CLI::App* cmd, AllowlistCliOptions& o) {
  cmd->add_option("--list", o.list, fmt::format("the allowlist file (default {})", kDefaultList));
  cmd->add_option("--key", o.key,
                  "the key that signs (build) or verifies (check, enforce) the list: the fim key, an HMAC secret or "
                  "an Ed25519 PEM key; a public key verifies");
}

}  // namespace

void add_allowlist_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<AllowlistCliOptions>();
  auto* cmd = app.add_subcommand("allowlist", "application allowlisting: the programs allowed to run, signed; "
                                              "check a host or image against it; enforce it with fanotify");
  cmd->require_subcommand(1);

  auto* build = cmd->add_subcommand(
      "build", "list every program and library the packages installed (content as shipped) and what --add names, "
               "with SHA-256, signed");
  add_common(build, *o);
  build->add_option("--add", o->add, "a file or directory (every program and library below it) to allow as it is now")
      ->allow_extra_args(false);
  build->add_flag("--no-packages", o->no_packages, "only what --add names");
  build->add_option("--root", o->root, "a mounted image to build the list of");
  build->add_option("--jobs", o->jobs, "hashing threads (default: every core)");
  build->callback([o, &exit_code] { exit_code = run_build(*o); });

  auto* check = cmd->add_subcommand(
      "check", "report every executable file and running program not on the list, or with other content");
  add_common(check, *o);
  check->add_option("paths", o->paths, "directories (inside --root) instead of the whole file system");
  check->add_option("--root", o->root, "a mounted image to check (its files only)");
  check->add_flag("--no-processes", o->no_processes, "leave out the running processes");
  check->add_option("--jobs", o->jobs, "hashing threads (default: every core)");
  add_report_options(check, o->report);
  check->callback([o, &exit_code] { exit_code = run_check(*o); });

  auto* enforce = cmd->add_subcommand(
      "enforce", "answer the kernel before each program runs: --audit reports what is not on the list, --deny "
                 "refuses it (EPERM)");
  add_common(enforce, *o);
  enforce->add_flag("--audit", o->audit, "allow everything, report what --deny would refuse (the default)");
  enforce->add_flag("--deny", o->deny, "refuse programs not on the list");
  enforce->add_option("--for", o->duration, "end after this long (30s, 10m, 2h): for first trials");
  enforce->add_flag("--no-console-shells", o->no_console_shells,
                    "also judge the shells of /etc/shells that root starts from a terminal (allowed by default)");
  enforce->add_option("--shells", o->shells, "the list of shells for that safety net (default /etc/shells)");
  enforce->add_option("--format", o->format, "text (a line per finding) or jsonl (ECS)");
  enforce->callback([o, &exit_code] { exit_code = run_enforce(*o); });
}

}  // namespace vigil::cli
