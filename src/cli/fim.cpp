// vigil fim: file integrity. init, check, update, export, list, and packages (the debsums job).
#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <optional>

#include "cli/collect_setup.hpp"
#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "cli/report_output.hpp"
#include "core/host_files.hpp"
#include "core/time_format.hpp"
#include "detect/detectors.hpp"
#include "fim/baseline.hpp"
#include "fim/compare.hpp"
#include "fim/scan.hpp"
#include "report/report.hpp"

namespace vigil::cli {

namespace {

struct FimOptions {
  std::string root = "/";
  std::string db = std::string(store::kDefaultStorePath);
  std::string policy;
  std::string name = "default";
  std::string key = std::string(fim::kDefaultKeyPath);
  ReportOptions report;
  std::string progress = "auto";
  unsigned jobs = 0;
  std::int64_t max_size = 0;
  double rate = 0;
  bool nice = false;
  std::string out;
  std::int64_t baseline_id = 0;
  std::size_t keep = 0;  // history baselines to keep on update; 0 keeps all
  RowsOptions listing;   // fim list
};

// Production hosts: lowest CPU priority and idle I/O class, so the walk yields to real work.
void be_nice() {
  ::setpriority(PRIO_PROCESS, 0, 19);
  constexpr int kIoprioClassIdle = 3, kIoprioClassShift = 13, kIoprioWhoProcess = 1;
  ::syscall(SYS_ioprio_set, kIoprioWhoProcess, 0, kIoprioClassIdle << kIoprioClassShift);
}

fim::ScanOptions scan_options(const FimOptions& o) {
  fim::ScanOptions s;
  s.jobs = o.jobs;
  s.max_hash_size = o.max_size;
  s.files_per_second = o.rate;
  s.progress = o.progress == "always" || (o.progress == "auto" && ::isatty(2));
  return s;
}

expected<fim::Policy, std::string> load_policy(const std::string& name, const std::string& text) {
  std::vector<ParseError> errors;
  auto p = fim::Policy::parse(text, errors);
  if (!errors.empty()) {
    std::string all;
    for (const auto& e : errors) all += fmt::format("\n  {}:{}: {}", name, e.line, e.message);
    return make_unexpected("policy has errors:" + all);
  }
  if (p.rules().empty()) return make_unexpected(name + ": the policy selects nothing");
  return p;
}

std::string policy_path(const FimOptions& o) {
  return o.policy.empty() ? default_rules_dir() + "/fim/default.policy" : o.policy;
}

// A host header for the report: the root's identity, now.
collect::Snapshot header_of(const Root& root) {
  collect::Snapshot s;
  s.host = collect::collect_host_info(root);
  s.packages = collect::no_package_db();
  return s;
}

struct Opened {
  Root root;
  store::Store store;
};

expected<Opened, std::string> open_all(const FimOptions& o, store::Create create) {
  auto root = open_root(o.root);
  if (!root) return make_unexpected(root.error());
  auto st = open_store(o.db, *root, create);
  if (!st) return make_unexpected(st.error());
  return Opened{std::move(*root), std::move(*st)};
}

// Scans with `policy_text` and saves the result as the active baseline.
// `out` hears what was saved: standard output for init, standard error after an update's
// report (which may be JSON).
int take_baseline(Opened& s, const FimOptions& o, const std::string& policy_name, const std::string& policy_text,
                  const char* verb, std::ostream& out = std::cout) {
  auto policy = load_policy(policy_name, policy_text);
  if (!policy) return o.report.error(policy.error());
  auto key = fim::SigningKey::load_or_create(o.key, s.root);
  if (!key) return o.report.error(key.error().starts_with("--key") ? key.error() : "--key: " + key.error());
  if (!key->warning().empty()) warn(key->warning());
  if (!key->can_sign()) return o.report.error("--key " + o.key + " is a public key: give the private key to sign a baseline");
  if (o.nice) be_nice();
  IssueLog log;
  fim::ScanStats stats;
  auto entries = fim::scan(s.root, *policy, scan_options(o), log, stats);
  fim::BaselineInfo info;
  info.name = o.name;
  info.hostname = collect::collect_host_info(s.root).hostname;
  info.root = s.root.path();
  info.created_at = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  info.policy = policy_text;
  auto id = fim::save_baseline(s.store, info, entries, *key);
  if (!id) return o.report.error(id.error());
  out << fmt::format(
      "fim {}: baseline #{} '{}' of {}: {} entries, {} files hashed ({:.1f} MiB) in {:.2f} s; signed with {} key {} "
      "({})\n",
      verb, *id, o.name, s.root.path(), stats.entries, stats.files_hashed, static_cast<double>(stats.bytes_hashed) / (1 << 20),
      stats.seconds, key->kind(), key->id(), o.key);
  if (stats.unreadable || !log.issues().empty())
    out << fmt::format("note: {} files could not be read and {} directories could not be listed (recorded as such)\n",
                       stats.unreadable, log.issues().size());
  return kExitClean;
}

// The baseline a check compares against, verified; a failed signature is rendered as its
// critical finding, never suppressed.
expected<fim::BaselineInfo, int> trusted_baseline(Opened& s, const FimOptions& o) {
  auto base = fim::open_trusted_baseline(
      s.store, {o.name, s.root.path(), o.baseline_id, o.key, [](const std::string& w) { warn(w); }});
  if (base) return std::move(*base);
  if (!base.error().finding) return make_unexpected(o.report.error(base.error().message));
  auto header = header_of(s.root);
  report::TriageReport r;
  r.snapshot = &header;
  r.title = "vigil fim check";
  r.subtitle = "REFUSED: " + base.error().message;
  r.findings.push_back(std::move(*base.error().finding));
  render_report(r, o.report, ReportSetup{}, false);  // no suppressions: a forged baseline is never hidden
  std::cerr << "vigil: fim: BASELINE REJECTED: " << base.error().message << "\n";
  return make_unexpected(kExitError);
}

int run_check(FimOptions o, bool update) {
  auto setup = prepare_report(o.report);
  if (!setup) return o.report.error(setup.error());
  // update --policy: the new policy is read and checked before anything is scanned.
  std::string new_policy;
  if (update && !o.policy.empty()) {
    auto text = read_host_file(o.policy);
    if (!text) return o.report.error("--policy: " + text.error().message());
    if (auto p = load_policy(o.policy, *text); !p) return o.report.error(p.error());
    new_policy = std::move(*text);
  }
  auto s = open_all(o, store::Create::no);
  if (!s) return o.report.error(s.error());
  setup->inspected = s->root;
  // One read transaction: the rows compared are the rows whose signature was checked.
  if (auto r = s->store.db().exec("BEGIN"); !r) return o.report.error(r.error());
  auto base = trusted_baseline(*s, o);
  if (!base) return base.error();
  auto& info = *base;
  auto policy = load_policy(fmt::format("baseline #{} policy", info.id), info.policy);
  if (!policy) return o.report.error(policy.error());
  if (o.nice) be_nice();
  auto sopts = scan_options(o);
  sopts.expected_files = info.entries;
  IssueLog log;
  fim::ScanStats stats;
  auto now = fim::scan(s->root, *policy, sopts, log, stats);
  fim::Comparison comparison(now);
  if (auto streamed = fim::for_each_entry(s->store, info.id, [&](const fim::FimEntry& e) { comparison.baseline(e); });
      !streamed)
    return o.report.error(streamed.error());
  (void)s->store.db().exec("COMMIT");
  auto result = comparison.finish();
  auto header = header_of(s->root);
  report::TriageReport r;
  r.snapshot = &header;
  r.title = update ? "vigil fim update" : "vigil fim check";
  r.seconds = stats.seconds;
  r.findings = std::move(result.findings);
  r.subtitle = fmt::format(
      "{} against baseline #{} '{}' of {}: {} entries checked, {} added, {} removed, {} changed ({} files hashed, "
      "{:.1f} MiB)",
      result.added + result.removed + result.changed ? "DIFFERENCES" : "no differences", info.id, info.name,
      iso8601(info.created_at), result.checked, result.added, result.removed, result.changed, stats.files_hashed,
      static_cast<double>(stats.bytes_hashed) / (1 << 20));
  for (auto& f : partial_findings(log.issues(), "")) r.findings.push_back(std::move(f));
  int rc = render_report(r, o.report, *setup, false);
  if (!update) return rc;
  o.name = info.name;
  int taken = new_policy.empty()
                  ? take_baseline(*s, o, fmt::format("baseline #{} policy", info.id), info.policy, "update", std::cerr)
                  : take_baseline(*s, o, o.policy, new_policy, "update", std::cerr);
  if (taken != kExitClean) return taken;
  if (o.keep) {
    auto gone = fim::prune_history(s->store, o.name, s->root.path(), o.keep);
    if (!gone) return o.report.error(gone.error());
    if (*gone)
      std::cerr << fmt::format("vigil: deleted {} older history baseline{} (--keep {})\n", *gone, *gone == 1 ? "" : "s",
                               o.keep);
  }
  return rc;  // the changes accepted are still findings: --fail-on holds as for check
}

int run_init(const FimOptions& o) {
  auto s = open_all(o, store::Create::yes);
  if (!s) return o.report.error(s.error());
  auto existing = fim::find_baseline(s->store, o.name, s->root.path());
  if (!existing) return o.report.error(existing.error());
  if (*existing)
    return o.report.error(fmt::format("a baseline '{}' for {} exists (#{}): vigil fim update accepts the current state", o.name,
                            s->root.path(), (*existing)->id));
  auto path = policy_path(o);
  auto text = read_host_file(path);
  if (!text) return o.report.error("--policy: " + text.error().message());
  return take_baseline(*s, o, path, *text, "init");
}

int run_list(const FimOptions& o) {
  auto s = open_all(o, store::Create::no);
  if (!s) return o.listing.error(s.error());
  auto all = fim::list_baselines(s->store);
  if (!all) return o.listing.error(all.error());
  ResultSet rows;
  rows.columns = {"id", "name", "status", "made", "entries", "key", "key_id", "root", "hostname"};
  for (const auto& b : *all)
    rows.rows.push_back({b.id, b.name, b.status, iso8601(b.created_at), b.entries, b.key_kind, b.key_id, b.root, b.hostname});
  return render_rows(rows, o.listing, &s->root);
}

int run_export(const FimOptions& o) {
  if (o.out.empty()) return o.report.error("fim export: --out FILE is required");
  auto s = open_all(o, store::Create::no);
  if (!s) return o.report.error(s.error());
  auto base = trusted_baseline(*s, o);
  if (!base) return base.error();
  if (auto r = fim::export_baseline(s->store, base->id, o.out); !r) return o.report.error(r.error());
  std::cout << fmt::format("exported baseline #{} ({} entries, signed with {} key {}) to {}; check against it with "
                           "vigil fim check --db {}\n",
                           base->id, base->entries, base->key_kind, base->key_id, o.out, o.out);
  return kExitClean;
}

int run_packages(FimOptions o) {
  auto in = open_inspection(o.report, o.root, false);
  if (!in) return o.report.error(in.error());
  const Root* root = &in->root;
  const ReportSetup* setup = &in->setup;
  if (o.nice) be_nice();
  collect::CollectOptions copts;
  copts.tables = {"file_checks"};
  copts.files.walk = false;
  copts.files.verify = collect::VerifyScope::all;
  copts.threads = o.jobs;
  auto t0 = std::chrono::steady_clock::now();
  std::optional<collect::Snapshot> collected;
  {
    Progress progress(Progress::wanted(o.report.quiet));
    progress.set("checking every package file against its checksum");
    collected = collect::collect_snapshot(*root, copts);
  }
  auto& snapshot = *collected;
  report::TriageReport r;
  r.snapshot = &snapshot;
  r.title = "vigil fim packages";
  r.findings = detect::detect_files(snapshot, {});
  auto issues = detect::detect_collector_issues(snapshot, {});
  r.findings.insert(r.findings.end(), issues.begin(), issues.end());
  sort_findings(r.findings);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.subtitle = fmt::format("every file of {} {} packages against the package manager's checksums",
                           snapshot.packages->package_count(), snapshot.packages->format());
  return render_report(r, o.report, *setup, false);
}

void common_options(CLI::App* cmd, FimOptions& o, bool scans, bool reports) {
  cmd->add_option("--root", o.root, "a mounted image instead of the live host (read-only)");
  if (scans || reports) add_store_option(cmd, o.db);
  cmd->add_option("--name", o.name, "baseline name (default: default)");
  cmd->add_option("--key", o.key,
                  "signing key: an HMAC secret (made on first init) or an Ed25519 PEM key; a public key only "
                  "verifies (default " + std::string(fim::kDefaultKeyPath) + ")");
  if (scans) {
    cmd->add_option("--jobs", o.jobs, "threads for the walk and hashing (default: one per core)");
    cmd->add_option("--max-size", o.max_size, "do not hash files larger than this many bytes (recorded, not hashed)");
    cmd->add_option("--rate", o.rate, "at most this many files hashed per second");
    cmd->add_flag("--nice", o.nice, "lowest CPU priority and idle I/O class, for busy production hosts");
    cmd->add_option("--progress", o.progress, "progress line on stderr: auto (a terminal), always or never")
        ->check(CLI::IsMember({"auto", "always", "never"}));
  }
  if (reports) add_report_options(cmd, o.report);
}

}  // namespace

void add_fim_command(CLI::App& app, int& exit_code) {
  auto* fim = app.add_subcommand("fim", "File integrity: a signed baseline of your files, and what changed since.");
  fim->require_subcommand(1);
  auto o = std::make_shared<FimOptions>();
  auto* init = fim->add_subcommand("init", "Walk and hash what the policy selects; save it as a signed baseline.");
  common_options(init, *o, true, false);
  init->add_option("--policy", o->policy, "policy file (default: rules/fim/default.policy)");
  init->callback([o, &exit_code] { exit_code = run_init(*o); });
  auto* check = fim->add_subcommand("check", "Compare the files now with the baseline (refused if its signature fails).");
  common_options(check, *o, true, true);
  check->add_option("--baseline", o->baseline_id, "check against this baseline number instead of the active one");
  check->callback([o, &exit_code] { exit_code = run_check(*o, false); });
  auto* update = fim->add_subcommand("update", "Report what changed, then accept it as the new baseline (the old one is kept as history).");
  common_options(update, *o, true, true);
  update->add_option("--policy", o->policy, "a new policy file (default: the baseline's own)");
  update->add_option("--keep", o->keep, "keep only the newest N history baselines (default: all)");
  update->callback([o, &exit_code] { exit_code = run_check(*o, true); });
  auto* exp = fim->add_subcommand("export", "Copy the active baseline to a new store file (read-only media, another host).");
  common_options(exp, *o, false, false);
  add_store_option(exp, o->db);
  exp->add_option("--out", o->out, "the new file")->required();
  exp->callback([o, &exit_code] { exit_code = run_export(*o); });
  auto* list = fim->add_subcommand("list", "List the baselines in the store.");
  list->add_option("--root", o->root, "the root whose store rule applies");
  add_store_option(list, o->db);
  add_rows_options(list, o->listing);
  list->callback([o, &exit_code] { exit_code = run_list(*o); });
  auto* pkgs = fim->add_subcommand("packages", "Check every installed package file against the package manager's checksums (no baseline needed).");
  pkgs->add_option("--root", o->root, "a mounted image instead of the live host (read-only)");
  pkgs->add_option("--jobs", o->jobs, "threads (default: one per core)");
  pkgs->add_flag("--nice", o->nice, "lowest CPU priority and idle I/O class");
  add_report_options(pkgs, o->report);
  pkgs->callback([o, &exit_code] { exit_code = run_packages(*o); });
}

}  // namespace vigil::cli
